package org.sceau.openpgp.mail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.openpgp.mail.MailKeys.ALICE;
import static org.sceau.openpgp.mail.MailKeys.ALICE_PASS;
import static org.sceau.openpgp.mail.MailKeys.BOB;
import static org.sceau.openpgp.mail.MailKeys.CAROL;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SignatureStatus;

/**
 * The inline-PGP fallback: what {@link MailComposer#encryptInline} makes, sent the way a client's
 * own sending would wrap it (multipart/mixed, text body, {@code .pgp} attachments), read back.
 */
class InlinePgpTest {
  static final MailAddress ALICE_ADDR = MailAddress.of("Alice", "alice@example.org");
  static final MailAddress BOB_ADDR = MailAddress.of("Bob", "bob@example.org");

  static MailComposer composer() throws Exception {
    return MailComposer.builder()
        .signWith(ALICE.key(), ALICE_PASS)
        .recipientKey("bob@example.org", BOB.key().certificate())
        .build();
  }

  static MailReader reader(org.sceau.openpgp.GeneratedKey k, Passphrase p) {
    return MailReader.builder()
        .withKey(k.key(), p)
        .verifyWith(List.of(ALICE.key().certificate()))
        .build();
  }

  static final byte[] PDF = "%PDF-1.4 not really a pdf \u0000\u00ff".getBytes(UTF_8);

  static Draft draft() {
    return Draft.of(ALICE_ADDR, List.of(BOB_ADDR), "Inline", "Bonjour Bob,\r\nà demain.\r\n")
        .withAttachments(
            List.of(
                new Attachment("plan.pdf", "application/pdf", () -> new ByteArrayInputStream(PDF)),
                new Attachment(
                    "notes.txt",
                    "text/plain",
                    () -> new ByteArrayInputStream("note".getBytes(UTF_8)))));
  }

  /** The message as Thunderbird's own send would build it from the add-on's output. */
  static byte[] sent(InlineMail m) throws Exception {
    MimeMessage msg = new MimeMessage(Session.getInstance(new Properties()));
    msg.setFrom(new InternetAddress("alice@example.org"));
    msg.setRecipients(MimeMessage.RecipientType.TO, "bob@example.org");
    msg.setSubject("Inline");
    MimeMultipart mixed = new MimeMultipart("mixed");
    MimeBodyPart text = new MimeBodyPart();
    text.setText(m.text(), "UTF-8");
    mixed.addBodyPart(text);
    for (InlineMail.EncryptedFile f : m.attachments()) {
      MimeBodyPart a = new MimeBodyPart();
      a.setDataHandler(
          new jakarta.activation.DataHandler(
              new jakarta.mail.util.ByteArrayDataSource(f.data(), f.mediaType())));
      a.setFileName(f.fileName());
      a.setDisposition(MimeBodyPart.ATTACHMENT);
      a.setHeader("Content-Transfer-Encoding", "base64");
      mixed.addBodyPart(a);
    }
    msg.setContent(mixed);
    msg.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    msg.writeTo(out);
    return out.toByteArray();
  }

  @Test
  void bodyIsOneArmoredMessageAndEachAttachmentItsOwnPgpFile() throws Exception {
    InlineMail m = composer().encryptInline(draft());
    String t = m.text().strip();
    assertTrue(t.startsWith("-----BEGIN PGP MESSAGE-----"), t);
    assertTrue(t.endsWith("-----END PGP MESSAGE-----"));
    assertFalse(m.text().contains("Bonjour"));
    assertEquals(2, m.attachments().size());
    assertEquals("plan.pdf.pgp", m.attachments().get(0).fileName());
    assertEquals("notes.txt.pgp", m.attachments().get(1).fileName());
    assertEquals("application/octet-stream", m.attachments().get(0).mediaType());
    // binary OpenPGP: a packet tag, not armor
    assertTrue((m.attachments().get(0).data()[0] & 0x80) != 0);
  }

  @Test
  void recipientReadsTextAndAttachmentsWithGoodSignature() throws Exception {
    byte[] raw = sent(composer().encryptInline(draft()));
    ReadMail r = reader(BOB, Passphrase.none()).read(raw);
    assertEquals(MailKind.INLINE_PGP, r.kind());
    assertTrue(r.encrypted());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
    assertTrue(r.signedBySender());
    assertEquals("Bonjour Bob,\r\nà demain.\r\n", r.text().orElseThrow().replace("\r\n", "\r\n"));
    assertEquals(2, r.attachments().size());
    assertEquals("plan.pdf", r.attachments().get(0).fileName().orElseThrow());
    assertArrayEquals(PDF, r.attachments().get(0).content());
    assertEquals("note", r.attachments().get(1).text());
    // and the sender reads her own copy
    ReadMail own = reader(ALICE, ALICE_PASS).read(raw);
    assertArrayEquals(PDF, own.attachments().get(0).content());
  }

  @Test
  void htmlOnlyDraftIsSentAsItsText() throws Exception {
    Draft d =
        new Draft(
            ALICE_ADDR,
            List.of(BOB_ADDR),
            List.of(),
            List.of(),
            java.util.Optional.empty(),
            "html",
            java.util.Optional.empty(),
            java.util.Optional.of(
                "<html><head><style>p{color:red}</style></head><body><p>Hello <b>Bob</b></p>"
                    + "<ul><li>one</li><li>two</li></ul><p>See <a href=\"https://example.org/x\">"
                    + "this</a><br>bye</p><script>alert(1)</script></body></html>"),
            List.of(),
            java.util.Optional.empty(),
            List.of(),
            java.util.Optional.empty(),
            java.util.Optional.empty());
    ReadMail r = reader(BOB, Passphrase.none()).read(sent(composer().encryptInline(d)));
    String text = r.text().orElseThrow().replace("\r\n", "\n");
    assertEquals("Hello Bob\n\n- one\n- two\nSee this <https://example.org/x>\nbye\n", text);
  }

  @Test
  void aChangedAttachmentIsAnErrorAndNothingIsReturned() throws Exception {
    InlineMail m = composer().encryptInline(draft());
    byte[] bad = m.attachments().get(0).data();
    bad[bad.length - 3] ^= 1;
    InlineMail tampered =
        new InlineMail(
            m.text(),
            List.of(new InlineMail.EncryptedFile("plan.pdf.pgp", "application/octet-stream", bad)));
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class, () -> reader(BOB, Passphrase.none()).read(sent(tampered)));
    assertTrue(e.code().name().startsWith("MALFORMED"), e.code().name());
  }

  @Test
  void anUnencryptedAttachmentBesideInlineCiphertextIsStillRefused() throws Exception {
    InlineMail m = composer().encryptInline(draft());
    InlineMail plus =
        new InlineMail(
            m.text(),
            List.of(
                new InlineMail.EncryptedFile(
                    "evil.html", "text/html", "<img src=x>".getBytes(UTF_8))));
    MailException e =
        assertThrows(MailException.class, () -> reader(BOB, Passphrase.none()).read(sent(plus)));
    assertEquals(MailError.MIXED_ENCRYPTED_CONTENT, e.code());
  }

  @Test
  void nonRecipientCannotReadAndMissingKeyFailsBeforeEncrypting() throws Exception {
    byte[] raw = sent(composer().encryptInline(draft()));
    assertThrows(OpenPgpException.class, () -> reader(CAROL, Passphrase.none()).read(raw));
    Draft toCarol = Draft.of(ALICE_ADDR, List.of(MailAddress.of("carol@example.net")), "x", "y");
    MailException e = assertThrows(MailException.class, () -> composer().encryptInline(toCarol));
    assertEquals(MailError.INVALID_DRAFT, e.code());
  }
}
