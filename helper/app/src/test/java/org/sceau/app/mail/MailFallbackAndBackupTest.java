package org.sceau.app.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.activation.DataHandler;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.Passphrase;

/**
 * What the add-on needs beyond PGP/MIME: SMTP accounts per sender, the inline-PGP fallback read
 * back by mail.decrypt, secret-key backups moving a key between two vaults, and revocation.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MailFallbackAndBackupTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  /** One user's helper, closed after the test. */
  final class Node extends MailUser {
    Node(String name) throws Exception {
      super(dir.resolve(name));
      open.add(vault);
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  static RpcException error(MailCapabilityTest.Executable e) {
    return assertThrows(RpcException.class, e::run);
  }

  static ObjectNode account(String address, int port) {
    return Json.object()
        .put("address", address)
        .put("host", "127.0.0.1")
        .put("port", port)
        .put("security", "tls")
        .put("user", "alice");
  }

  @Test
  void smtpAccountsAreKeptPerSenderAndNeverShowThePassword() throws Exception {
    Node alice = new Node("alice");
    assertEquals(0, alice.call("mail.smtpAccounts", Json.object()).get("accounts").size());
    JsonNode r = alice.call("mail.setSmtpAccount", account("Alice@Example.org", 465));
    assertFalse(r.get("hasPassword").asBoolean());
    alice.call(
        "mail.setSmtpAccount",
        account("alice@example.org", 465).put("password", "s3cret-pw").put("port", 587));
    alice.call("mail.setSmtpAccount", account("alias@example.org", 465));
    JsonNode list = alice.call("mail.smtpAccounts", Json.object());
    assertFalse(list.toString().contains("s3cret-pw"));
    assertEquals(2, list.get("accounts").size(), list.toString());
    for (JsonNode a : list.get("accounts")) {
      // same host and user: the password serves both
      assertTrue(a.get("hasPassword").asBoolean(), a.toString());
      assertEquals("tls", a.get("security").asText());
    }
    JsonNode first = list.get("accounts").get(0);
    assertEquals("alias@example.org", first.get("address").asText());
    // deleting one keeps the password the other still uses
    alice.call("mail.deleteSmtpAccount", Json.object().put("address", "alias@example.org"));
    assertEquals(1, alice.vault.store(MailCapability.SMTP).count());
    alice.call("mail.deleteSmtpAccount", Json.object().put("address", "alice@example.org"));
    assertEquals(0, alice.vault.store(MailCapability.SMTP).count());
    assertEquals(
        MailErrors.SMTP_ACCOUNT_NOT_FOUND,
        error(
                () ->
                    alice.call(
                        "mail.deleteSmtpAccount",
                        Json.object().put("address", "alice@example.org")))
            .error());
    assertEquals(
        RpcError.INVALID_PARAMS,
        error(() -> alice.call("mail.setSmtpAccount", account("x@y.org", 0))).error());
  }

  @Test
  void sendWithoutSmtpUsesTheFromAddressAccountAndMissingPasswordIsTheFallbackCue()
      throws Exception {
    Node alice = new Node("alice");
    alice.generate("Alice <alice@example.org>");
    ObjectNode send = MailCapabilityTest.draft("alice@example.org", "alice@example.org", "s", "t");
    RpcException none = error(() -> alice.call("mail.send", send));
    assertEquals(MailErrors.SMTP_PASSWORD_MISSING, none.error());
    assertFalse(none.data().get("account").asBoolean());

    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    alice.call("mail.setSmtpAccount", account("alice@example.org", closed));
    RpcException noPw = error(() -> alice.call("mail.send", send));
    assertEquals(MailErrors.SMTP_PASSWORD_MISSING, noPw.error());
    assertTrue(noPw.data().get("account").asBoolean());

    alice.call("mail.setSmtpAccount", account("alice@example.org", closed).put("password", "pw"));
    // Now the stored account is used: its (closed) port answers, and the message is kept.
    RpcException down = error(() -> alice.call("mail.send", send));
    assertEquals(MailErrors.SMTP_UNAVAILABLE, down.error());
    assertTrue(down.data().get("message").asText().length() > 100);
  }

  /** The inline mail as Thunderbird's own sending would wrap it. */
  static String sentByThunderbird(JsonNode inline) throws Exception {
    MimeMessage msg = new MimeMessage(Session.getInstance(new Properties()));
    msg.setFrom(new InternetAddress("Alice <alice@example.org>"));
    msg.setRecipients(MimeMessage.RecipientType.TO, "bob@example.org");
    msg.setSubject("Inline fallback");
    MimeMultipart mixed = new MimeMultipart("mixed");
    MimeBodyPart text = new MimeBodyPart();
    text.setText(inline.get("text").asText(), "UTF-8");
    text.setHeader("Content-Transfer-Encoding", "quoted-printable");
    mixed.addBodyPart(text);
    for (JsonNode a : inline.get("attachments")) {
      MimeBodyPart p = new MimeBodyPart();
      p.setDataHandler(
          new DataHandler(
              new ByteArrayDataSource(
                  Base64.getDecoder().decode(a.get("data").asText()),
                  a.get("mediaType").asText())));
      p.setFileName(a.get("fileName").asText());
      p.setDisposition(MimeBodyPart.ATTACHMENT);
      mixed.addBodyPart(p);
    }
    msg.setContent(mixed);
    msg.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    msg.writeTo(out);
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  @Test
  void inlineFallbackIsReadBackByMailDecryptWithAnHonestVerdict() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    String aliceFp = alice.generate("Alice <alice@example.org>");
    String bobFp = bob.generate("Bob <bob@example.org>");
    alice.importCert(bob, bobFp);
    bob.importCert(alice, aliceFp);
    byte[] pdf = new byte[70_000];
    new java.util.Random(5).nextBytes(pdf);
    ObjectNode d =
        MailCapabilityTest.draft("Alice <alice@example.org>", "bob@example.org", "s", "");
    ((ObjectNode) d.get("draft")).remove("text");
    ((ObjectNode) d.get("draft"))
        .put("html", "<p>Salut <b>Bob</b></p><img src=\"https://tracker.example/p.gif\">");
    ((ObjectNode) d.get("draft"))
        .putArray("attachments")
        .addObject()
        .put("fileName", "plan.pdf")
        .put("mediaType", "application/pdf")
        .put("data", Base64.getEncoder().encodeToString(pdf));
    JsonNode inline = alice.call("mail.encryptInline", d);
    assertTrue(inline.get("text").asText().startsWith("-----BEGIN PGP MESSAGE-----"));
    assertFalse(inline.get("text").asText().contains("Salut"));
    assertEquals("plan.pdf.pgp", inline.get("attachments").get(0).get("fileName").asText());
    assertEquals(
        "application/octet-stream", inline.get("attachments").get(0).get("mediaType").asText());

    JsonNode r = bob.call("mail.decrypt", Json.object().put("raw", sentByThunderbird(inline)));
    assertEquals("INLINE_PGP", r.get("kind").asText());
    assertTrue(r.get("encrypted").asBoolean());
    assertEquals("GOOD", r.get("signatureStatus").asText());
    assertTrue(r.get("signedBySender").asBoolean());
    assertEquals("Salut Bob", r.get("text").asText().strip());
    assertEquals(1, r.get("attachments").size());
    assertEquals("plan.pdf", r.get("attachments").get(0).get("fileName").asText());
    assertArrayEquals(
        pdf, Base64.getDecoder().decode(r.get("attachments").get(0).get("data").asText()));
    // Two signatures (text and file), both Alice's.
    assertEquals(2, r.get("signatures").size());
  }

  @Test
  void secretKeyBackupMovesTheKeyToAnotherVault() throws Exception {
    Node alice = new Node("alice");
    Node laptop = new Node("laptop");
    Node bob = new Node("bob");
    String fp = alice.generate("Alice <alice@example.org>");
    String bobFp = bob.generate("Bob <bob@example.org>");
    bob.importCert(alice, fp);
    alice.importCert(bob, bobFp);

    assertEquals(
        RpcError.INVALID_PARAMS,
        error(
                () ->
                    alice.call(
                        "keys.exportSecret",
                        Json.object().put("fingerprint", fp).put("passphrase", "short")))
            .error());
    assertEquals(
        MailErrors.KEY_NOT_FOUND,
        error(
                () ->
                    bob.call(
                        "keys.exportSecret",
                        Json.object().put("fingerprint", fp).put("passphrase", "long enough")))
            .error());
    String backupPass = "correct horse battery";
    String armored =
        alice
            .call(
                "keys.exportSecret",
                Json.object().put("fingerprint", fp).put("passphrase", backupPass))
            .get("armored")
            .asText();
    assertTrue(armored.startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----"));
    var backup = Keys.readSecretKey(armored.getBytes(StandardCharsets.US_ASCII));
    assertTrue(backup.isProtected());
    assertTrue(backup.unlocks(Passphrase.of(backupPass)));
    assertFalse(backup.unlocks(Passphrase.of("something else")));

    assertEquals(
        "WRONG_PASSPHRASE",
        error(
                () ->
                    laptop.call(
                        "keys.importSecret",
                        Json.object().put("armored", armored).put("passphrase", "wrong one")))
            .error()
            .type());
    assertEquals(
        "MALFORMED_KEY",
        error(
                () ->
                    laptop.call(
                        "keys.importSecret",
                        Json.object()
                            .put(
                                "armored",
                                bob.call("keys.export", Json.object().put("fingerprint", bobFp))
                                    .get("armored")
                                    .asText())))
            .error()
            .type());
    JsonNode imported =
        laptop.call(
            "keys.importSecret",
            Json.object().put("armored", armored).put("passphrase", backupPass));
    assertEquals(fp, imported.get("keys").get(0).get("fingerprint").asText());
    assertTrue(imported.get("keys").get(0).get("secret").asBoolean());
    // Stored under the laptop vault's own random passphrase, not the backup one.
    var stored =
        Keys.readSecretKey(laptop.vault.store(VaultKeyRing.SECRETS).get(fp).orElseThrow().value());
    assertTrue(stored.isProtected());
    assertFalse(stored.unlocks(Passphrase.of(backupPass)));

    // The laptop now reads mail Bob sends to Alice, and signs as Alice.
    JsonNode mail =
        bob.call(
            "mail.encrypt",
            MailCapabilityTest.draft("bob@example.org", "alice@example.org", "s", "hi"));
    laptop.importCert(bob, bobFp);
    JsonNode read =
        laptop.call("mail.decrypt", Json.object().put("raw", mail.get("message").asText()));
    assertEquals("GOOD", read.get("signatureStatus").asText());
    JsonNode fromLaptop =
        laptop.call(
            "mail.encrypt",
            MailCapabilityTest.draft("alice@example.org", "bob@example.org", "s", "yo"));
    assertTrue(
        bob.call("mail.decrypt", Json.object().put("raw", fromLaptop.get("message").asText()))
            .get("signedBySender")
            .asBoolean());
  }

  @Test
  void revokedOwnKeyIsListedRevokedAndCorrespondentsStopEncryptingToIt() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    String fp = alice.generate("Alice <alice@example.org>");
    String bobFp = bob.generate("Bob <bob@example.org>");
    bob.importCert(alice, fp);
    alice.importCert(bob, bobFp);
    assertEquals(
        RpcError.INVALID_PARAMS,
        error(
                () ->
                    alice.call(
                        "keys.revoke", Json.object().put("fingerprint", bobFp).put("reason", "x")))
            .error());
    assertEquals(
        RpcError.INVALID_PARAMS,
        error(() -> alice.call("keys.revoke", Json.object().put("fingerprint", bobFp))).error());

    JsonNode r =
        alice.call(
            "keys.revoke",
            Json.object()
                .put("fingerprint", fp)
                .put("reason", "superseded")
                .put("description", "new key"));
    assertTrue(r.get("revoked").asBoolean(), r.toString());
    JsonNode listed = alice.call("keys.list", Json.object()).get("keys");
    JsonNode own = null;
    for (JsonNode k : listed) {
      if (k.get("fingerprint").asText().equals(fp)) {
        own = k;
      }
    }
    assertEquals("revoked", own.get("problem").asText());
    assertFalse(own.get("canEncrypt").asBoolean());
    String exported =
        alice.call("keys.export", Json.object().put("fingerprint", fp)).get("armored").asText();
    assertFalse(
        Keys.readCertificate(exported.getBytes(StandardCharsets.US_ASCII)).status().canEncrypt());

    // Bob merges the update: his badge for Alice falls to none and encrypting to her fails.
    assertEquals(
        "unverified",
        bob.call("keys.status", Json.object().put("email", "alice@example.org"))
            .get("status")
            .asText());
    bob.call("keys.import", Json.object().put("armored", exported));
    assertEquals(
        "none",
        bob.call("keys.status", Json.object().put("email", "alice@example.org"))
            .get("status")
            .asText());
    // Alice can no longer sign new mail with it.
    assertEquals(
        MailErrors.NO_SECRET_KEY,
        error(
                () ->
                    alice.call(
                        "mail.encrypt",
                        MailCapabilityTest.draft("alice@example.org", "bob@example.org", "s", "t")))
            .error());
  }

  @Test
  void autocryptSetupMessageMovesTheKeyWithTheCodeOnly() throws Exception {
    Node alice = new Node("alice");
    Node other = new Node("other-client");
    String fp = alice.generate("Alice <alice@example.org>");
    JsonNode e = alice.call("keys.autocryptSetupMessage", Json.object().put("fingerprint", fp));
    String code = e.get("setupCode").asText();
    assertTrue(code.matches("([0-9]{4}-){8}[0-9]{4}"), code);
    String message = e.get("message").asText();
    assertFalse(
        new String(Base64.getDecoder().decode(message), StandardCharsets.US_ASCII)
            .contains("PRIVATE KEY"));
    assertEquals(
        "INVALID_SETUP_MESSAGE",
        error(
                () ->
                    other.call(
                        "keys.importAutocryptSetup",
                        Json.object().put("message", message).put("setupCode", "12")))
            .error()
            .type());
    JsonNode imported =
        other.call(
            "keys.importAutocryptSetup",
            Json.object().put("message", message).put("setupCode", code.replace("-", "")));
    assertEquals(fp, imported.get("keys").get(0).get("fingerprint").asText());
    var stored =
        Keys.readSecretKey(other.vault.store(VaultKeyRing.SECRETS).get(fp).orElseThrow().value());
    assertTrue(stored.isProtected(), "re-protected under the vault's own passphrase at once");
    assertEquals(
        MailErrors.KEY_NOT_FOUND,
        error(
                () ->
                    other.call(
                        "keys.autocryptSetupMessage",
                        Json.object().put("fingerprint", "AB".repeat(20))))
            .error());
  }

  @Test
  void verifyGivesTheVerdictOfSignedMailWithoutDecrypting() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    String fp = alice.generate("Alice <alice@example.org>");
    String bobFp = bob.generate("Bob <bob@example.org>");
    bob.importCert(alice, fp);
    alice.importCert(bob, bobFp);
    VaultKeyRing ring = new VaultKeyRing(alice.vault);
    var key = ring.secretKeys().get(0);
    java.io.ByteArrayOutputStream signed = new java.io.ByteArrayOutputStream();
    org.sceau.openpgp.mail.MailComposer.builder()
        .signWith(key, ring.passphraseFor(fp))
        .build()
        .writeSigned(
            org.sceau.openpgp.mail.Draft.of(
                org.sceau.openpgp.mail.MailAddress.of("Alice", "alice@example.org"),
                List.of(org.sceau.openpgp.mail.MailAddress.of("bob@example.org")),
                "Signed",
                "Only signed.\r\n"),
            signed);
    String raw = Base64.getEncoder().encodeToString(signed.toByteArray());
    JsonNode v = bob.call("mail.verify", Json.object().put("raw", raw));
    assertEquals("PGP_MIME_SIGNED", v.get("kind").asText());
    assertTrue(v.get("signed").asBoolean());
    assertEquals("GOOD", v.get("signatureStatus").asText());
    assertTrue(v.get("signedBySender").asBoolean());
    assertEquals("Signed", v.get("subject").asText());

    String tampered =
        Base64.getEncoder()
            .encodeToString(
                signed
                    .toString(StandardCharsets.US_ASCII)
                    .replace("Only signed.", "Only signet.")
                    .getBytes(StandardCharsets.US_ASCII));
    assertEquals(
        "BAD",
        bob.call("mail.verify", Json.object().put("raw", tampered))
            .get("signatureStatus")
            .asText());

    JsonNode plain =
        bob.call(
            "mail.verify",
            Json.object()
                .put(
                    "raw",
                    Base64.getEncoder()
                        .encodeToString(
                            "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII))));
    assertFalse(plain.get("signed").asBoolean());
    // Encrypted mail is not opened by verify, even for its recipient.
    JsonNode enc =
        alice.call(
            "mail.encrypt",
            MailCapabilityTest.draft("alice@example.org", "bob@example.org", "s", "t"));
    assertEquals(
        "NO_DECRYPTION_KEY",
        error(() -> bob.call("mail.verify", Json.object().put("raw", enc.get("message").asText())))
            .error()
            .type());
  }

  @Test
  void ownPreferEncryptSettingGoesInTheHeaderAndTheRecommendation() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    alice.generate("Alice <alice@example.org>");
    bob.generate("Bob <bob@example.org>");
    assertEquals(
        RpcError.INVALID_PARAMS,
        error(
                () ->
                    alice.call(
                        "mail.setAutocryptPreference",
                        Json.object()
                            .put("address", "alice@example.org")
                            .put("preferEncrypt", "x")))
            .error());
    alice.call(
        "mail.setAutocryptPreference",
        Json.object().put("address", "Alice@example.org").put("preferEncrypt", "mutual"));
    bob.call(
        "mail.setAutocryptPreference",
        Json.object().put("address", "bob@example.org").put("preferEncrypt", "mutual"));
    // Bob's mail to Alice carries his mutual preference; Alice learns it.
    JsonNode fromBob =
        bob.call(
            "mail.encrypt",
            MailCapabilityTest.draft("bob@example.org", "bob@example.org", "s", "t"));
    String raw = new String(Base64.getDecoder().decode(fromBob.get("message").asText()));
    assertTrue(raw.contains("prefer-encrypt=mutual"), raw.substring(0, 400));
    alice.call("mail.autocrypt.process", Json.object().put("raw", fromBob.get("message").asText()));
    ObjectNode rec = Json.object().put("from", "alice@example.org");
    rec.putArray("recipients").add("bob@example.org");
    // Both sides mutual: the spec says encrypt by default.
    assertEquals("encrypt", alice.call("mail.recommend", rec).get("ui").asText());
    alice.call(
        "mail.setAutocryptPreference",
        Json.object().put("address", "alice@example.org").put("preferEncrypt", "nopreference"));
    assertEquals("available", alice.call("mail.recommend", rec).get("ui").asText());
  }

  @Test
  void aListFooterComesBackApartFromTheDecryptedText() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    String fp = alice.generate("Alice <alice@example.org>");
    String bobFp = bob.generate("Bob <bob@example.org>");
    bob.importCert(alice, fp);
    alice.importCert(bob, bobFp);
    String enc =
        new String(
            Base64.getDecoder()
                .decode(
                    alice
                        .call(
                            "mail.encrypt",
                            MailCapabilityTest.draft(
                                "alice@example.org", "bob@example.org", "s", "the plan"))
                        .get("message")
                        .asText()),
            StandardCharsets.US_ASCII);
    int split = enc.indexOf("\r\n\r\n");
    String head = enc.substring(0, split);
    String ct = head.substring(head.indexOf("Content-Type: multipart/encrypted"));
    String outerHeaders = head.substring(0, head.indexOf("Content-Type: multipart/encrypted"));
    // What a mailing list makes of it: the original message as a part, a footer appended.
    String listed =
        outerHeaders
            + "Content-Type: multipart/mixed; boundary=\"L\"\r\n\r\n--L\r\n"
            + ct
            + enc.substring(split)
            + "\r\n--L\r\nContent-Type: text/plain\r\n\r\nList footer\r\n--L--\r\n";
    JsonNode r =
        bob.call(
            "mail.decrypt",
            Json.object()
                .put(
                    "raw",
                    Base64.getEncoder()
                        .encodeToString(listed.getBytes(StandardCharsets.US_ASCII))));
    assertEquals("the plan", r.get("text").asText());
    assertEquals("GOOD", r.get("signatureStatus").asText());
    assertEquals(1, r.get("unencryptedParts").size());
    assertFalse(r.get("unencryptedParts").get(0).get("encrypted").asBoolean());
    assertEquals("List footer", r.get("unencryptedParts").get(0).get("text").asText().strip());
  }

  @Test
  void anAttachedKeyIsListedForImportButNotStored() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    String fp = alice.generate("Alice <alice@example.org>");
    String bobFp = bob.generate("Bob <bob@example.org>");
    alice.importCert(bob, bobFp);
    String aliceCert =
        alice.call("keys.export", Json.object().put("fingerprint", fp)).get("armored").asText();
    ObjectNode d = MailCapabilityTest.draft("alice@example.org", "bob@example.org", "s", "my key");
    ((ObjectNode) d.get("draft"))
        .putArray("attachments")
        .addObject()
        .put("fileName", "OpenPGP_0x1234.asc")
        .put("mediaType", "application/pgp-keys")
        .put(
            "data",
            Base64.getEncoder().encodeToString(aliceCert.getBytes(StandardCharsets.US_ASCII)));
    String msg = alice.call("mail.encrypt", d).get("message").asText();
    JsonNode r = bob.call("mail.decrypt", Json.object().put("raw", msg));
    assertEquals(1, r.get("attachedKeys").size());
    JsonNode k = r.get("attachedKeys").get(0);
    assertEquals(fp, k.get("fingerprint").asText());
    assertFalse(k.get("known").asBoolean());
    assertFalse(k.get("verified").asBoolean());
    assertEquals(
        "none",
        bob.call("keys.status", Json.object().put("email", "alice@example.org"))
            .get("status")
            .asText());
  }
}
