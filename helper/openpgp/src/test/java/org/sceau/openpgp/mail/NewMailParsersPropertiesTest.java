package org.sceau.openpgp.mail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;
import org.sceau.openpgp.OpenPgpException;

/**
 * The parsers added for the add-on: the HTML sanitiser (never throws, never lets an active or
 * remote-loading construct through, whatever the token soup) and the setup-message reader (typed
 * errors only).
 */
class NewMailParsersPropertiesTest {

  @Provide
  Arbitrary<String> htmlSoup() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "<p>",
            "</p>",
            "<div style=\"",
            "background:url(",
            "https://evil.example/x",
            "\">",
            "<img src=\"",
            "cid:a@b",
            "\" onerror=\"",
            "alert(1)",
            "<script>",
            "</script>",
            "<svg",
            "<iframe src=",
            "<a href=\"",
            "javascript:",
            "<style>",
            "@import ",
            "</style>",
            "<form action=",
            "<",
            ">",
            "\"",
            "'",
            "=",
            " ",
            "text",
            "<!--",
            "-->",
            "<![CDATA[",
            "&lt;",
            "<scr",
            "ipt>",
            "<object data=",
            "<link rel=stylesheet href=",
            "\\75rl(",
            "<table background=",
            "<video poster=",
            "<base href=",
            "<meta http-equiv=refresh ");
    return tokens.list().ofMaxSize(40).map(l -> String.join("", l));
  }

  @Property(tries = 400)
  void sanitisedHtmlHasNothingActiveOrRemote(@ForAll("htmlSoup") String html) {
    String out = HtmlContent.sanitize(html).html();
    // Checked on the structure, as a browser would see it (text that merely reads "url(" is text).
    for (Element e : Jsoup.parseBodyFragment(out).body().getAllElements()) {
      String tag = e.normalName();
      assertFalse(
          List.of("script", "iframe", "svg", "object", "form", "link", "style", "base", "meta")
                  .contains(tag)
              || List.of("video", "audio", "embed", "math").contains(tag),
          tag + " in " + out);
      for (Attribute a : e.attributes()) {
        String k = a.getKey().toLowerCase(Locale.ROOT);
        String v = a.getValue().strip().toLowerCase(Locale.ROOT);
        assertFalse(k.startsWith("on"), k + " in " + out);
        assertFalse(
            List.of("background", "poster", "srcset", "action", "data", "formaction").contains(k),
            k + " in " + out);
        if (k.equals("src")) {
          assertTrue(v.startsWith("cid:"), v + " in " + out);
        }
        if (k.equals("href")) {
          assertFalse(v.startsWith("javascript:"), v + " in " + out);
        }
        if (k.equals("style")) {
          assertFalse(v.contains("url(") || v.contains("\\") || v.contains("expression"), v);
        }
      }
    }
    HtmlContent.toText(html);
  }

  @Property(tries = 200)
  void setupMessageReaderGivesOnlyTypedErrors(@ForAll @Size(max = 4000) byte[] raw) {
    try {
      AutocryptSetupMessage.read(raw, "1234-5678-9012-3456-7890-1234-5678-9012-3456");
    } catch (MailException | OpenPgpException expected) {
      // typed
    }
  }

  @Property(tries = 100)
  void setupMessageReaderOnMimeLikeInputGivesOnlyTypedErrors(@ForAll("setupish") String raw) {
    try {
      AutocryptSetupMessage.read(raw.getBytes(UTF_8), "123456789012345678901234567890123456");
    } catch (MailException | OpenPgpException expected) {
      // typed
    }
  }

  @Provide
  Arbitrary<String> setupish() {
    return Arbitraries.of(
            "Autocrypt-Setup-Message: v1\r\n",
            "Content-Type: multipart/mixed; boundary=\"b\"\r\n",
            "\r\n",
            "--b\r\n",
            "--b--\r\n",
            "Content-Type: application/autocrypt-setup\r\n",
            "-----BEGIN PGP MESSAGE-----\r\n",
            "Passphrase-Format: numeric9x4\r\n",
            "Passphrase-Format: other\r\n",
            "jA0ECQMC\r\n",
            "=abcd\r\n",
            "-----END PGP MESSAGE-----\r\n",
            "text\r\n")
        .list()
        .ofMaxSize(25)
        .map(l -> String.join("", l));
  }
}
