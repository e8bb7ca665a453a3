package org.sceau.openpgp.mail;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * HTML of mail, made safe to show and turned into text.
 *
 * <p>{@link #sanitize} guarantees that the result loads nothing by itself: no scripts, no event
 * handlers, no forms, frames, objects or embeds, no {@code <style>} or {@code <link>} elements, no
 * style attribute that mentions a URL or a CSS escape, and images only from {@code cid:} (the
 * message's own inline parts). Links stay (a click is the user's choice), marked {@code
 * rel="noopener noreferrer"}. It is an allow-list (jsoup's {@link Safelist}), so unknown elements
 * and attributes are dropped, never passed through.
 */
public final class HtmlContent {
  private static final Pattern UNSAFE_STYLE =
      Pattern.compile("url\\s*\\(|expression|@import|image-set|image\\s*\\(|\\\\|behavior|binding");

  private static final Safelist SAFE =
      Safelist.relaxed()
          .addTags("font", "hr", "center", "s", "del", "ins", "abbr", "address", "mark")
          .addAttributes(":all", "style", "dir", "align", "title", "lang")
          .addAttributes("font", "color", "face", "size")
          .addAttributes(
              "table", "bgcolor", "border", "cellpadding", "cellspacing", "width", "height")
          .addAttributes("td", "bgcolor", "valign", "nowrap")
          .addAttributes("th", "bgcolor", "valign", "nowrap")
          .addAttributes("tr", "bgcolor", "valign")
          .removeProtocols("img", "src", "http", "https")
          .addProtocols("img", "src", "cid")
          .addEnforcedAttribute("a", "rel", "noopener noreferrer");

  private HtmlContent() {}

  /** What {@link #sanitize} kept, and whether it removed anything that would have loaded. */
  public record Sanitized(String html, boolean remoteContentRemoved) {}

  /** The HTML with everything that could run or load removed (see the class comment). */
  public static Sanitized sanitize(String html) {
    Document dirty = Jsoup.parse(html);
    boolean remote = loadsSomething(dirty);
    Document clean = new Cleaner(SAFE).clean(dirty);
    for (Element e : clean.select("[style]")) {
      if (UNSAFE_STYLE.matcher(e.attr("style").toLowerCase(Locale.ROOT)).find()) {
        e.removeAttr("style");
        remote = true;
      }
    }
    clean.outputSettings().prettyPrint(false);
    return new Sanitized(clean.body().html(), remote);
  }

  private static final java.util.Set<String> ACTIVE_TAGS =
      java.util.Set.of(
          "script", "style", "link", "iframe", "frame", "object", "embed", "form", "meta", "base",
          "svg", "math", "video", "audio", "applet");

  /** Whether {@code d} holds anything that would run or load without the user asking. */
  private static boolean loadsSomething(Document d) {
    for (Element e : d.getAllElements()) {
      if (ACTIVE_TAGS.contains(e.normalName())) {
        return true;
      }
      for (org.jsoup.nodes.Attribute a : e.attributes()) {
        String k = a.getKey().toLowerCase(Locale.ROOT);
        String v = a.getValue().strip().toLowerCase(Locale.ROOT);
        boolean link = e.normalName().equals("a") && k.equals("href");
        if (k.startsWith("on")
            || (k.equals("src") && !v.startsWith("cid:"))
            || (!link && (k.endsWith("href") || k.equals("action") || k.equals("data")))
            || k.equals("srcset")
            || k.equals("background")
            || k.equals("poster")
            || (link && v.startsWith("javascript:"))
            || (k.equals("style") && UNSAFE_STYLE.matcher(v).find())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The text a reader sees in {@code html}: paragraphs and line breaks kept, list items marked,
   * link targets written after their text when they differ, scripts and styles left out.
   */
  public static String toText(String html) {
    Document d = Jsoup.parse(html);
    d.select("script, style, head, title, noscript, template").remove();
    StringBuilder sb = new StringBuilder();
    NodeTraversor.traverse(
        new NodeVisitor() {
          @Override
          public void head(Node node, int depth) {
            if (node instanceof TextNode t) {
              boolean pre = t.parent() != null && inPre(t.parent());
              String s = pre ? t.getWholeText() : t.text();
              if (!pre && (sb.length() == 0 || endsWithSpace(sb)) && s.startsWith(" ")) {
                s = s.stripLeading();
              }
              sb.append(s);
            } else if (node instanceof Element e) {
              String n = e.normalName();
              if (n.equals("br")) {
                sb.append('\n');
              } else if (block(n)) {
                newline(sb);
                if (n.equals("li")) {
                  sb.append("- ");
                }
              }
            }
          }

          @Override
          public void tail(Node node, int depth) {
            if (node instanceof Element e) {
              String n = e.normalName();
              if (n.equals("a")) {
                String href = e.attr("href");
                if (!href.isEmpty() && !href.equals(e.text()) && !href.startsWith("#")) {
                  sb.append(" <").append(href.replaceFirst("^mailto:", "")).append('>');
                }
              } else if (n.equals("p") || n.matches("h[1-6]") || n.equals("blockquote")) {
                newline(sb);
                sb.append('\n');
              } else if (block(n)) {
                newline(sb);
              } else if (n.equals("td") || n.equals("th")) {
                sb.append('\t');
              }
            }
          }
        },
        d.body());
    String text = sb.toString().replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n");
    return text.replaceFirst("^\\n+", "").stripTrailing() + "\n";
  }

  private static boolean inPre(Element e) {
    for (Element p = e; p != null; p = p.parent()) {
      if (p.normalName().equals("pre")) {
        return true;
      }
    }
    return false;
  }

  private static boolean endsWithSpace(StringBuilder sb) {
    char c = sb.charAt(sb.length() - 1);
    return c == ' ' || c == '\n' || c == '\t';
  }

  private static boolean block(String n) {
    return switch (n) {
      case "p",
          "div",
          "li",
          "ul",
          "ol",
          "tr",
          "table",
          "blockquote",
          "pre",
          "hr",
          "dl",
          "dt",
          "dd",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "center",
          "address" ->
          true;
      default -> false;
    };
  }

  private static void newline(StringBuilder sb) {
    if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
      sb.append('\n');
    }
  }
}
