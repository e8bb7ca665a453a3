package org.sceau.openpgp.mail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.GeneratedKey;
import org.sceau.openpgp.KeySpec;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SignatureStatus;

/**
 * PGP/MIME interop with the real GnuPG 2.2 from Debian, both ways: gpg decrypts and verifies the
 * payload of mail we build (and sees the real Subject inside), gpg verifies our multipart/signed,
 * and we read mail whose OpenPGP parts gpg made, in each shape (combined and nested signatures,
 * signed-only, inline, no MDC). Temporary GNUPGHOME, agent killed afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpgPgpMimeIT {
  static final Passphrase OUR_PASS = Passphrase.of("our mail passphrase");
  static final String GPG_ADDR = "gina@example.net";

  Path dir;
  Path home;
  GeneratedKey ours;
  String gpgFpr;
  Certificate gpgCert;

  @BeforeAll
  void setUp() throws Exception {
    dir = Files.createTempDirectory("sceau-mail-it");
    home = dir.resolve("gnupg");
    Files.createDirectories(home);
    home.toFile().setReadable(false, false);
    home.toFile().setReadable(true, true);
    home.toFile().setExecutable(false, false);
    home.toFile().setExecutable(true, true);
    Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
    ours = Keys.generate(KeySpec.of("Olivia <olivia@example.org>").withPassphrase(OUR_PASS));
    gpg(null, "--quick-gen-key", "Gina <" + GPG_ADDR + ">", "ed25519", "sign,cert", "never");
    String colons = new String(gpg(null, "--with-colons", "--list-keys", GPG_ADDR), UTF_8);
    gpgFpr =
        colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
    gpg(null, "--quick-add-key", gpgFpr, "cv25519", "encr", "never");
    gpgCert = Keys.readCertificate(gpg(null, "--export", gpgFpr));
    gpg(ours.key().certificate().encoded(Encoding.ARMORED), "--import");
  }

  @AfterAll
  void tearDown() throws Exception {
    if (home != null) {
      run(List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"), null);
    }
    if (dir != null) {
      try (var s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // ---- ours -> gpg

  @Test
  void gpgDecryptsTheAutocryptSetupMessageWithTheSetupCode() throws Exception {
    AutocryptSetupMessage.Export e =
        AutocryptSetupMessage.create(
            ours.key(), OUR_PASS, "olivia@example.org", PreferEncrypt.MUTUAL);
    String raw = new String(e.message(), UTF_8);
    String armored =
        raw.substring(
            raw.indexOf("-----BEGIN PGP MESSAGE-----"),
            raw.indexOf("-----END PGP MESSAGE-----") + "-----END PGP MESSAGE-----".length());
    Gpg r =
        gpgRun(
            armored.getBytes(UTF_8),
            "--status-fd",
            "2",
            "--passphrase",
            e.setupCode(),
            "--decrypt");
    assertEquals(0, r.exit, r.err);
    // AES-128 (7), with MDC (2)
    assertTrue(r.err.contains("[GNUPG:] DECRYPTION_INFO 2 7"), r.err);
    String key = new String(r.out, UTF_8);
    assertTrue(key.startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----"), key);
    assertTrue(key.contains("Autocrypt-Prefer-Encrypt: mutual"));
    assertEquals(
        ours.key().fingerprint(), Keys.readSecretKey(r.out).fingerprint(), "the key inside");
    Gpg wrong =
        gpgRun(
            armored.getBytes(UTF_8),
            "--passphrase",
            "0000-0000-0000-0000-0000-0000-0000-0000-0000",
            "--decrypt");
    assertTrue(wrong.exit != 0, "a wrong code must not decrypt");
  }

  MailComposer composer() throws MailException {
    return MailComposer.builder()
        .signWith(ours.key(), OUR_PASS)
        .recipientKey(GPG_ADDR, gpgCert)
        .recipientKey("bob@example.org", MailKeys.BOB.key().certificate())
        .autocrypt(PreferEncrypt.MUTUAL)
        .build();
  }

  Draft draft() {
    return Draft.of(
            MailAddress.of("Olivia", "olivia@example.org"),
            List.of(MailAddress.of("Gina", GPG_ADDR)),
            "Geheimes Treffen am Dienstag",
            "Hallo Gina,\r\nbis Dienstag.\r\n")
        .withMessageId("it-1@example.org", Instant.parse("2026-11-27T09:00:00Z"));
  }

  @Test
  void gpgDecryptsAndVerifiesOurPgpMimeAndSeesTheRealSubjectInside() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    composer().writeEncrypted(draft().withCc(List.of(MailAddress.of("bob@example.org"))), out);
    String mail = out.toString(UTF_8);
    String head = mail.substring(0, mail.indexOf("\r\n\r\n"));
    assertTrue(head.contains("\r\nSubject: ...\r\n"), head);
    assertTrue(
        head.contains("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\""));
    assertTrue(
        head.contains("Autocrypt: addr=olivia@example.org; prefer-encrypt=mutual; keydata="));
    assertFalse(mail.contains("Geheimes"));

    Gpg r = gpgRun(armoredBlock(mail, "MESSAGE").getBytes(UTF_8), "--status-fd", "2", "--decrypt");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.err.contains("[GNUPG:] GOODSIG"), r.err);
    assertTrue(
        r.err.contains(ours.key().fingerprint()), "VALIDSIG names our primary key: " + r.err);
    assertTrue(r.err.contains("[GNUPG:] DECRYPTION_OKAY"), r.err);
    String inner = new String(r.out, UTF_8);
    String innerHead = inner.substring(0, inner.indexOf("\r\n\r\n"));
    assertTrue(innerHead.contains("Subject: Geheimes Treffen am Dienstag"), innerHead);
    assertTrue(innerHead.contains("hp=cipher"), innerHead);
    assertTrue(innerHead.contains("protected-headers=v1"), innerHead);
    assertTrue(innerHead.contains("HP-Outer: Subject: ..."), innerHead);
    assertTrue(innerHead.contains("Autocrypt-Gossip: addr=" + GPG_ADDR), innerHead);
    assertTrue(innerHead.contains("Autocrypt-Gossip: addr=bob@example.org"), innerHead);
    assertTrue(inner.contains("Hallo Gina,"), inner);
  }

  @Test
  void gpgVerifiesOurMultipartSigned() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    composer().writeSigned(draft(), out);
    byte[] mail = out.toByteArray();
    String boundary = new String(mail, UTF_8).replaceAll("(?s).*?boundary=\"([^\"]+)\".*", "$1");
    MimeBytes.Parts parts = MimeBytes.twoParts(mail, boundary);
    assertNotNull(parts);
    Path data = Files.write(dir.resolve("signed-part"), parts.first());
    Path sig =
        Files.writeString(
            dir.resolve("part.sig"), armoredBlock(new String(parts.second(), UTF_8), "SIGNATURE"));
    Gpg r = gpgRun(null, "--status-fd", "2", "--verify", sig.toString(), data.toString());
    assertEquals(0, r.exit, r.err);
    assertTrue(r.err.contains("[GNUPG:] GOODSIG"), r.err);
    assertTrue(new String(parts.first(), UTF_8).contains("Subject: Geheimes Treffen am Dienstag"));
  }

  // ---- gpg -> ours

  MailReader reader() {
    return MailReader.builder().withKey(ours.key(), OUR_PASS).verifyWith(List.of(gpgCert)).build();
  }

  static final String INNER =
      "Content-Type: multipart/mixed; boundary=\"inner\"; protected-headers=\"v1\"\r\n"
          + "Subject: Vom GnuPG gebaut\r\nFrom: Gina <gina@example.net>\r\nTo: olivia@example.org\r\n"
          + "Autocrypt-Gossip: addr=olivia@example.org; keydata=AAAA\r\n\r\n"
          + "--inner\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
          + "Gr=C3=BC=C3=9Fe von gpg\r\n"
          + "--inner\r\nContent-Type: application/pdf; name=\"plan.pdf\"\r\nContent-Disposition: attachment; filename=\"plan.pdf\"\r\n"
          + "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--inner--\r\n";

  /** Wraps gpg's armored output the way Thunderbird's getRaw shows a local-folder message. */
  static String envelope(String armored, boolean lfOnly) {
    String m =
        "X-Mozilla-Status: 0001\r\nX-Mozilla-Status2: 00000000\r\n"
            + "From: Gina <gina@example.net>\r\nTo: olivia@example.org\r\nSubject: ...\r\n"
            + "Date: Fri, 27 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"XX\"\r\n\r\n"
            + "This is an OpenPGP/MIME encrypted message\r\n"
            + "--XX\r\nContent-Type: application/pgp-encrypted\r\nContent-Description: PGP/MIME version identification\r\n\r\nVersion: 1\r\n\r\n"
            + "--XX\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n"
            + armored.replace("\r\n", "\n").replace("\n", "\r\n")
            + "\r\n--XX--\r\n";
    return lfOnly ? m.replace("\r\n", "\n") : m;
  }

  @Test
  void readsGpgEncryptedAndSignedPgpMimeWithProtectedHeaders() throws Exception {
    byte[] armored =
        gpg(
            INNER.getBytes(UTF_8),
            "--armor",
            "--local-user",
            gpgFpr,
            "--recipient",
            ours.key().fingerprint(),
            "--sign",
            "--encrypt");
    for (boolean lf : new boolean[] {false, true}) {
      ReadMail r = reader().read(envelope(new String(armored, UTF_8), lf).getBytes(UTF_8));
      assertEquals(MailKind.PGP_MIME_ENCRYPTED, r.kind());
      assertTrue(r.encrypted());
      assertEquals(SignatureStatus.GOOD, r.signatureStatus());
      assertEquals(gpgFpr, r.signatures().get(0).certificateFingerprint().orElseThrow());
      assertTrue(r.signedBySender(), "the protected From is gina, whose key signed");
      assertEquals("Vom GnuPG gebaut", r.subject());
      assertEquals(HeaderProtection.DRAFT_V1, r.protectedHeaders().orElseThrow().scheme());
      assertEquals("Grüße von gpg", r.text().orElseThrow());
      assertEquals(1, r.attachments().size());
      assertEquals("plan.pdf", r.attachments().get(0).fileName().orElseThrow());
      assertEquals("%PDF-1.4\n", new String(r.attachments().get(0).content(), UTF_8));
      assertEquals(1, r.gossip().size());
    }
  }

  @Test
  void readsGpgSignedThenEncryptedNestedShape() throws Exception {
    String signedPart =
        "Content-Type: text/plain; charset=UTF-8; hp=\"cipher\"\r\nSubject: Nested\r\n\r\nnested body\r\n";
    byte[] sig =
        gpg(signedPart.getBytes(UTF_8), "--armor", "--local-user", gpgFpr, "--detach-sign");
    String inner =
        "Content-Type: multipart/signed; micalg=pgp-sha512; protocol=\"application/pgp-signature\"; boundary=\"S\"\r\n\r\n"
            + "--S\r\n"
            + signedPart
            + "\r\n--S\r\nContent-Type: application/pgp-signature\r\n\r\n"
            + new String(sig, UTF_8)
            + "\r\n--S--\r\n";
    byte[] armored =
        gpg(inner.getBytes(UTF_8), "--armor", "--recipient", ours.key().fingerprint(), "--encrypt");
    ReadMail r = reader().read(envelope(new String(armored, UTF_8), false).getBytes(UTF_8));
    assertTrue(r.encrypted());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
    assertEquals("Nested", r.subject());
    assertEquals("nested body\r\n", r.text().orElseThrow());
  }

  @Test
  void readsGpgMultipartSignedAndNoticesTampering() throws Exception {
    String signedPart =
        "Content-Type: text/plain; charset=UTF-8; hp=\"clear\"\r\nSubject: Signed by gpg\r\n\r\nsigned body  \r\n";
    byte[] sig =
        gpg(signedPart.getBytes(UTF_8), "--armor", "--local-user", gpgFpr, "--detach-sign");
    String mail =
        "From: Gina <gina@example.net>\r\nSubject: Signed by gpg\r\n"
            + "Content-Type: multipart/signed; micalg=pgp-sha512; protocol=\"application/pgp-signature\"; boundary=\"S\"\r\n\r\n"
            + "--S\r\n"
            + signedPart
            + "\r\n--S\r\nContent-Type: application/pgp-signature; name=\"signature.asc\"\r\n\r\n"
            + new String(sig, UTF_8)
            + "\r\n--S--\r\n";
    ReadMail r = reader().read(mail.getBytes(UTF_8));
    assertEquals(MailKind.PGP_MIME_SIGNED, r.kind());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
    assertEquals(HeaderProtection.RFC9788_CLEAR, r.protectedHeaders().orElseThrow().scheme());
    assertEquals("signed body  \r\n", r.text().orElseThrow());

    ReadMail bad = reader().read(mail.replace("signed body", "signed bodY").getBytes(UTF_8));
    assertEquals(SignatureStatus.BAD, bad.signatureStatus());
    assertTrue(bad.protectedHeaders().isEmpty());
  }

  @Test
  void readsGpgInlinePgp() throws Exception {
    byte[] armored =
        gpg(
            "inline from gpg\n".getBytes(UTF_8),
            "--armor",
            "--local-user",
            gpgFpr,
            "--recipient",
            ours.key().fingerprint(),
            "--sign",
            "--encrypt");
    String mail =
        "From: gina@example.net\r\nSubject: inline\r\nContent-Type: text/plain\r\n\r\n"
            + new String(armored, UTF_8);
    ReadMail r = reader().read(mail.getBytes(UTF_8));
    assertEquals(MailKind.INLINE_PGP, r.kind());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
    assertEquals("inline from gpg\n", r.text().orElseThrow());
  }

  @Test
  void refusesGpgCiphertextWithStrippedMdc() throws Exception {
    // gpg --rfc2440 still writes the old Symmetrically Encrypted Data packet (no MDC)
    byte[] sed =
        gpg(
            INNER.getBytes(UTF_8),
            "--armor",
            "--rfc2440",
            "--recipient",
            ours.key().fingerprint(),
            "--encrypt");
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class,
            () -> reader().read(envelope(new String(sed, UTF_8), false).getBytes(UTF_8)));
    assertEquals(OpenPgpError.INTEGRITY_PROTECTION_MISSING, e.code());
  }

  // ---- helpers

  static String armoredBlock(String s, String kind) {
    int a = s.indexOf("-----BEGIN PGP " + kind + "-----");
    String end = "-----END PGP " + kind + "-----";
    int b = s.indexOf(end, a);
    assertTrue(a >= 0 && b > a, "no armored " + kind);
    return s.substring(a, b + end.length()) + "\n";
  }

  record Gpg(int exit, byte[] out, String err) {}

  byte[] gpg(byte[] stdin, String... args) throws Exception {
    Gpg r = gpgRun(stdin, args);
    assertEquals(0, r.exit, "gpg " + String.join(" ", args) + ": " + r.err);
    return r.out;
  }

  Gpg gpgRun(byte[] stdin, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "gpg",
                "--homedir",
                home.toString(),
                "--batch",
                "--yes",
                "--no-tty",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--trust-model",
                "always",
                "--no-auto-key-retrieve"));
    cmd.addAll(List.of(args));
    return run(cmd, stdin);
  }

  Gpg run(List<String> cmd, byte[] stdin) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("GNUPGHOME", home.toString());
    Path err = Files.createTempFile(dir, "gpg", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    Thread w =
        new Thread(
            () -> {
              try (var o = p.getOutputStream()) {
                if (stdin != null) {
                  o.write(stdin);
                }
              } catch (IOException ignored) {
                // gpg may stop reading early on bad input
              }
            });
    w.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("gpg timed out");
    }
    w.join(10_000);
    String e = Files.readString(err);
    Files.deleteIfExists(err);
    return new Gpg(p.exitValue(), out, e);
  }
}
