package org.sceau.app.mail;

import static java.nio.charset.StandardCharsets.UTF_8;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** {@code sceau mail encrypt}'s draft reader: any input gives a draft or its typed error. */
class DraftEmlPropertiesTest {

  @Property(tries = 300)
  void randomBytesGiveADraftOrBadDraft(@ForAll @Size(max = 3000) byte[] eml) {
    try {
      DraftEml.toDraft(eml);
    } catch (DraftEml.BadDraft expected) {
      // typed
    }
  }

  @Provide
  Arbitrary<String> mailish() {
    return Arbitraries.of(
            "From: a@b.example\r\n",
            "From: \r\n",
            "To: c@d.example, =?UTF-8?Q?=C3=A9?= <e@f.example>\r\n",
            "Bcc: <>\r\n",
            "Subject: =?bogus?X?zz?=\r\n",
            "References: <a> <b>\r\n",
            "Content-Type: multipart/mixed; boundary=\"b\"\r\n",
            "Content-Type: multipart/alternative; boundary=\"c\"\r\n",
            "Content-Type: text/plain; charset=nonsense\r\n",
            "Content-Type: text/html\r\n",
            "Content-Transfer-Encoding: base64\r\n",
            "Content-Transfer-Encoding: quoted-printable\r\n",
            "Content-Disposition: attachment; filename=\"x.pdf\"\r\n",
            "\r\n",
            "--b\r\n",
            "--b--\r\n",
            "--c\r\n",
            "=ZZ\r\n",
            "!!!!\r\n",
            "body text\r\n")
        .list()
        .ofMaxSize(30)
        .map(l -> String.join("", l));
  }

  @Property(tries = 300)
  void mailLikeInputGivesADraftOrBadDraft(@ForAll("mailish") String eml) {
    try {
      DraftEml.toDraft(eml.getBytes(UTF_8));
    } catch (DraftEml.BadDraft expected) {
      // typed
    }
  }
}
