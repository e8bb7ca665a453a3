package org.sceau.openpgp.mail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;
import static org.sceau.openpgp.mail.MailKeys.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SignatureStatus;

/** Our composer's output read back by our reader: structure, protected headers, gossip, bodies. */
class MailRoundTripTest {
  static final MailAddress ALICE_ADDR = MailAddress.of("Alice Ånström", "alice@example.org");
  static final MailAddress BOB_ADDR = MailAddress.of("Bob", "bob@example.org");
  static final MailAddress CAROL_ADDR = MailAddress.of("carol@example.net");

  static MailComposer composer() throws Exception {
    return MailComposer.builder()
        .signWith(ALICE.key(), ALICE_PASS)
        .recipientKey("bob@example.org", BOB.key().certificate())
        .recipientKey("carol@example.net", CAROL.key().certificate())
        .autocrypt(PreferEncrypt.MUTUAL)
        .build();
  }

  static MailReader readerFor(org.sceau.openpgp.GeneratedKey k, Passphrase p) {
    return MailReader.builder()
        .withKey(k.key(), p)
        .verifyWith(List.of(ALICE.key().certificate()))
        .build();
  }

  static Draft draft() {
    return Draft.of(
            ALICE_ADDR,
            List.of(BOB_ADDR),
            "Réunion secrète mardi",
            "Bonjour Bob,\r\nà mardi.  \r\nFrom here\r\n")
        .withMessageId("test-1@example.org", Instant.parse("2026-11-27T08:00:00Z"))
        .inReplyTo("<prev@example.org>", List.of("<root@example.org>", "<prev@example.org>"));
  }

  static String encrypted(Draft d) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    composer().writeEncrypted(d, out);
    return out.toString(UTF_8);
  }

  @Test
  void encryptedMailHidesSubjectOutsideAndCarriesAutocrypt() throws Exception {
    String mail = encrypted(draft());
    String outerHead = mail.substring(0, mail.indexOf("\r\n\r\n"));
    assertTrue(
        outerHead.contains("\r\nSubject: ...\r\n") || outerHead.startsWith("Subject: ..."),
        outerHead);
    assertFalse(mail.contains("union"), "the real subject must not appear in clear");
    assertTrue(outerHead.contains("multipart/encrypted; protocol=\"application/pgp-encrypted\""));
    assertTrue(
        outerHead.contains("Autocrypt: addr=alice@example.org; prefer-encrypt=mutual; keydata="));
    assertTrue(outerHead.contains("In-Reply-To: <prev@example.org>"));
    assertTrue(outerHead.contains("Message-ID: <test-1@example.org>"));
    assertTrue(mail.contains("\r\nVersion: 1\r\n"));
    assertTrue(mail.contains("-----BEGIN PGP MESSAGE-----\r\n"));
    assertFalse(mail.replace("\r\n", "").contains("\n"), "every line ends in CRLF");
    assertTrue(mail.chars().allMatch(c -> c < 128), "7-bit");
  }

  @Test
  void recipientReadsProtectedSubjectBodyAndGoodSignature() throws Exception {
    ReadMail r = readerFor(BOB, Passphrase.none()).read(encrypted(draft()).getBytes(UTF_8));
    assertEquals(MailKind.PGP_MIME_ENCRYPTED, r.kind());
    assertTrue(r.encrypted());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
    assertTrue(r.signedBySender());
    assertEquals("Réunion secrète mardi", r.subject());
    assertEquals("...", r.outerHeaders().get("subject").get(0));
    ProtectedHeaders ph = r.protectedHeaders().orElseThrow();
    assertEquals(HeaderProtection.RFC9788_CIPHER, ph.scheme());
    assertTrue(ph.first("from").orElseThrow().contains("alice@example.org"));
    assertEquals("<test-1@example.org>", ph.first("message-id").orElseThrow());
    assertEquals("<root@example.org> <prev@example.org>", ph.first("references").orElseThrow());
    assertEquals("Bonjour Bob,\r\nà mardi.  \r\nFrom here\r\n", r.text().orElseThrow());
    assertTrue(r.autocrypt().isPresent());
    assertEquals(PreferEncrypt.MUTUAL, r.autocrypt().get().preferEncrypt());
    assertTrue(r.gossip().isEmpty(), "no gossip for a single recipient");
  }

  @Test
  void senderCanReadOwnCopy() throws Exception {
    ReadMail r = readerFor(ALICE, ALICE_PASS).read(encrypted(draft()).getBytes(UTF_8));
    assertEquals("Réunion secrète mardi", r.subject());
  }

  @Test
  void multiRecipientMailGossipsToAndCcButNeverBcc() throws Exception {
    Draft d = draft().withCc(List.of(CAROL_ADDR));
    ReadMail r = readerFor(CAROL, Passphrase.none()).read(encrypted(d).getBytes(UTF_8));
    assertEquals(
        List.of("bob@example.org", "carol@example.net"),
        r.gossip().stream().map(AutocryptHeader::addr).sorted().toList());
    assertArrayEquals(
        BOB.key().certificate().encoded(org.sceau.openpgp.Encoding.BINARY),
        r.gossip().stream()
            .filter(g -> g.addr().equals("bob@example.org"))
            .findFirst()
            .orElseThrow()
            .keyData());

    Draft bcc = draft().withBcc(List.of(CAROL_ADDR));
    String mail = encrypted(bcc);
    assertFalse(mail.contains("carol"), "Bcc is written nowhere in clear");
    ReadMail rb = readerFor(CAROL, Passphrase.none()).read(mail.getBytes(UTF_8));
    assertTrue(rb.gossip().isEmpty(), "one visible recipient: no gossip; Bcc never gossiped");
    assertFalse(rb.protectedHeaders().orElseThrow().fields().containsKey("bcc"));
    assertEquals(SignatureStatus.GOOD, rb.signatureStatus(), "Bcc recipient can decrypt");
  }

  @Test
  void htmlAlternativeAndStreamedAttachmentsSurvive() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(5).nextBytes(big);
    int[] opened = {0};
    Attachment file =
        new Attachment(
            "données.bin",
            "application/octet-stream",
            () -> {
              opened[0]++;
              return new ByteArrayInputStream(big);
            });
    Attachment txt =
        new Attachment(
            "notes.txt",
            "text/plain; charset=UTF-8",
            () -> new ByteArrayInputStream("ligne 1\nligne 2\n".getBytes(UTF_8)));
    Draft d = draft().withHtml("<p>Bonjour <b>Bob</b></p>").withAttachments(List.of(file, txt));
    ReadMail r = readerFor(BOB, Passphrase.none()).read(encrypted(d).getBytes(UTF_8));
    assertEquals("<p>Bonjour <b>Bob</b></p>", r.html().orElseThrow());
    assertTrue(r.text().orElseThrow().startsWith("Bonjour Bob"));
    List<MailPart> att = r.attachments();
    assertEquals(2, att.size());
    assertEquals(Optional.of("données.bin"), att.get(0).fileName());
    assertTrue(Arrays.equals(big, att.get(0).content()));
    assertEquals("ligne 1\nligne 2\n", att.get(1).text().replace("\r\n", "\n"));
  }

  @Test
  void signedOnlyMailVerifiesAndKeepsRealSubject() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    composer().writeSigned(draft().withHtml("<i>hi</i>"), out);
    String mail = out.toString(UTF_8);
    assertTrue(
        mail.contains(
            "multipart/signed; micalg=pgp-sha512; protocol=\"application/pgp-signature\""));
    assertTrue(mail.contains("hp=clear") || mail.contains("hp=\"clear\""), mail.substring(0, 2000));
    assertTrue(mail.contains("\r\n=46rom here"), "a body line starting with 'From ' is escaped");
    assertTrue(mail.chars().allMatch(c -> c < 128), "7-bit");
    ReadMail r = readerFor(BOB, Passphrase.none()).read(mail.getBytes(UTF_8));
    assertEquals(MailKind.PGP_MIME_SIGNED, r.kind());
    assertTrue(r.text().orElseThrow().contains("\r\nFrom here"));
    assertFalse(r.encrypted());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
    assertEquals(HeaderProtection.RFC9788_CLEAR, r.protectedHeaders().orElseThrow().scheme());
    assertEquals("Réunion secrète mardi", r.subject());
    assertEquals("<i>hi</i>", r.html().orElseThrow());
  }

  @Test
  void signedOnlyMailWithLfLineEndingsStillVerifies() throws Exception {
    // local folders may store LF only; the signed part is canonicalised before verification
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    composer().writeSigned(draft(), out);
    String lf =
        "X-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\n"
            + out.toString(UTF_8).replace("\r\n", "\n");
    ReadMail r = readerFor(BOB, Passphrase.none()).read(lf.getBytes(UTF_8));
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
  }

  @Test
  void changedSignedMailIsBadAndItsProtectedHeadersAreNotTrusted() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    composer().writeSigned(draft(), out);
    String changed = out.toString(UTF_8).replace("Bonjour Bob", "Bonjour Eve");
    ReadMail r = readerFor(BOB, Passphrase.none()).read(changed.getBytes(UTF_8));
    assertEquals(SignatureStatus.BAD, r.signatureStatus());
    assertTrue(r.protectedHeaders().isEmpty());
  }

  @Test
  void unknownSignerIsReportedAsUnknownKey() throws Exception {
    MailReader noCerts = MailReader.builder().withKey(BOB.key(), Passphrase.none()).build();
    ReadMail r = noCerts.read(encrypted(draft()).getBytes(UTF_8));
    assertEquals(SignatureStatus.UNKNOWN_KEY, r.signatureStatus());
    assertEquals("Réunion secrète mardi", r.subject(), "encryption alone protects the headers");
  }

  @Test
  void goodSignatureByAnotherKeyIsNotTheSenders() throws Exception {
    // Carol signs a mail claiming to be from Alice: the signature is good, but not Alice's
    MailComposer carol =
        MailComposer.builder()
            .signWith(CAROL.key(), Passphrase.none())
            .recipientKey("bob@example.org", BOB.key().certificate())
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    carol.writeEncrypted(draft(), out);
    MailReader bob =
        MailReader.builder()
            .withKey(BOB.key(), Passphrase.none())
            .verifyWith(List.of(ALICE.key().certificate(), CAROL.key().certificate()))
            .build();
    ReadMail r = bob.read(out.toByteArray());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
    assertFalse(r.signedBySender());
  }

  @Test
  void lockedSigningKeyFailsBeforeWriting() throws Exception {
    MailComposer wrong =
        MailComposer.builder()
            .signWith(ALICE.key(), Passphrase.of("not the passphrase"))
            .recipientKey("bob@example.org", BOB.key().certificate())
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    org.sceau.openpgp.OpenPgpException e =
        assertThrows(
            org.sceau.openpgp.OpenPgpException.class, () -> wrong.writeEncrypted(draft(), out));
    assertEquals(org.sceau.openpgp.OpenPgpError.WRONG_PASSPHRASE, e.code());
    assertEquals(0, out.size());
  }

  @Test
  void readersAutocryptHeaderFeedsPeerStateAndRecommendation() throws Exception {
    ReadMail r = readerFor(BOB, Passphrase.none()).read(encrypted(draft()).getBytes(UTF_8));
    Instant when =
        Autocrypt.effectiveDate(Optional.of(Instant.parse("2026-11-27T08:00:00Z")), Instant.now());
    AutocryptPeer alice =
        Autocrypt.update(Optional.empty(), "alice@example.org", when, r.autocrypt());
    assertEquals(ALICE.key().fingerprint(), alice.publicKey().orElseThrow().fingerprint());
    assertEquals(
        UiRecommendation.ENCRYPT,
        Autocrypt.recommend("alice@example.org", Optional.of(alice), PreferEncrypt.MUTUAL, false)
            .ui());
  }

  @Test
  void missingRecipientKeyFailsBeforeWriting() throws Exception {
    Draft d = draft().withCc(List.of(MailAddress.of("dave@example.com")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MailException e = assertThrows(MailException.class, () -> composer().writeEncrypted(d, out));
    assertEquals(MailError.INVALID_DRAFT, e.code());
    assertTrue(e.getMessage().contains("dave@example.com"));
    assertEquals(0, out.size());
  }

  @Test
  void plainMailIsReadAsPlain() throws Exception {
    String m =
        "From: a@example.org\r\nTo: b@example.org\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\nhello\r\n";
    ReadMail r = readerFor(BOB, Passphrase.none()).read(m.getBytes(UTF_8));
    assertEquals(MailKind.PLAIN, r.kind());
    assertEquals("café", r.subject());
    assertEquals(SignatureStatus.NOT_SIGNED, r.signatureStatus());
    assertEquals("hello\r\n", r.text().orElseThrow());
  }

  static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(UTF_8));
  }

  static void unused() throws IOException {}
}
