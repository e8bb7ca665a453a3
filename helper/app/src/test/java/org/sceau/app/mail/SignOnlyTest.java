package org.sceau.app.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;

/**
 * Signing without encrypting (mail.sign, mail.signInline, mail.send with encrypt false) and taking
 * back a key confirmation (keys.verify with verified false), through the real capability and vault.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SignOnlyTest {
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

  static String text(JsonNode base64) {
    return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
  }

  @Test
  void signedMailNeedsNoRecipientKeyAndVerifiesGoodWithTheSendersKey() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    String fp = alice.generate("Alice <alice@example.org>");
    bob.importCert(alice, fp);
    // Bob's key is unknown to Alice: signing does not need it.
    ObjectNode d =
        MailCapabilityTest.draft(
            "Alice <alice@example.org>", "bob@example.org", "Lunch", "See you at noon.\n");
    JsonNode r = alice.call("mail.sign", d);
    assertTrue(r.get("messageId").asText().matches("<[0-9a-f]{32}@example\\.org>"), r.toString());
    String mail = text(r.get("message"));
    String head = mail.substring(0, mail.indexOf("\r\n\r\n"));
    assertTrue(head.contains("multipart/signed"), head);
    assertTrue(head.contains("protocol=\"application/pgp-signature\""), head);
    assertTrue(head.contains("Subject: Lunch"), head);
    assertTrue(head.contains("Autocrypt: addr=alice@example.org"), head);
    assertTrue(mail.contains("hp=\"clear\"") || mail.contains("hp=clear"), mail);
    assertTrue(mail.contains("See you at noon."), mail);

    JsonNode v = bob.call("mail.verify", Json.object().put("raw", r.get("message").asText()));
    assertEquals("PGP_MIME_SIGNED", v.get("kind").asText());
    assertEquals("GOOD", v.get("signatureStatus").asText());
    assertTrue(v.get("signedBySender").asBoolean());
    assertEquals("Lunch", v.get("subject").asText());
    // And Alice reads her own copy the same way.
    assertEquals(
        "GOOD",
        alice
            .call("mail.verify", Json.object().put("raw", r.get("message").asText()))
            .get("signatureStatus")
            .asText());
  }

  @Test
  void signingWithoutAnOwnKeyIsNoSecretKey() throws Exception {
    Node alice = new Node("alice");
    ObjectNode d = MailCapabilityTest.draft("alice@example.org", "bob@example.org", "s", "t");
    for (String m : List.of("mail.sign", "mail.signInline")) {
      assertEquals(MailErrors.NO_SECRET_KEY, error(() -> alice.call(m, d)).error(), m);
    }
  }

  @Test
  void inlineSignatureIsACleartextSignedBody() throws Exception {
    Node alice = new Node("alice");
    alice.generate("Alice <alice@example.org>");
    ObjectNode d =
        MailCapabilityTest.draft(
            "alice@example.org", "bob@example.org", "s", "Bonjour,\n- à demain\n");
    String t = alice.call("mail.signInline", d).get("text").asText();
    assertTrue(t.startsWith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n"), t);
    // The text stays readable; a line starting with a dash is dash-escaped.
    assertTrue(t.contains("Bonjour,\n- - à demain\n"), t);
    assertTrue(t.contains("-----BEGIN PGP SIGNATURE-----"), t);
    assertFalse(t.contains("\r"), "one kind of line end");

    // A long line is wrapped before signing, so a mail client's own wrapping cannot break it.
    String longLine = "word ".repeat(40).strip();
    ObjectNode l = MailCapabilityTest.draft("alice@example.org", "bob@example.org", "s", longLine);
    String w = alice.call("mail.signInline", l).get("text").asText();
    String body = w.substring(w.indexOf("\n\n") + 2, w.indexOf("-----BEGIN PGP SIGNATURE-----"));
    assertTrue(body.lines().allMatch(x -> x.length() <= 72), body);
    assertEquals(longLine, body.strip().replace("\n", " "));
    assertTrue(t.strip().endsWith("-----END PGP SIGNATURE-----"), t);
  }

  /** The cleartext-signed text as Thunderbird's own sending wraps it (format=flowed). */
  static String sentByThunderbird(String text) {
    String stuffed = text.replaceAll("(?m)^(From |>| )", " $1");
    String mail =
        "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: Signed inline\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8; format=flowed\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\n"
            + stuffed.replace("\n", "\r\n");
    return Base64.getEncoder().encodeToString(mail.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void cleartextSignedMailIsVerifiedGoodAndAChangeIsBad() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    String fp = alice.generate("Alice <alice@example.org>");
    bob.importCert(alice, fp);
    ObjectNode d =
        MailCapabilityTest.draft(
            "alice@example.org",
            "bob@example.org",
            "s",
            "Salut Bob,\nFrom the lobby at noon.\n- Alice\n");
    String t = alice.call("mail.signInline", d).get("text").asText();
    JsonNode v = bob.call("mail.verify", Json.object().put("raw", sentByThunderbird(t)));
    assertEquals("INLINE_PGP", v.get("kind").asText());
    assertFalse(v.get("encrypted").asBoolean());
    assertEquals("GOOD", v.get("signatureStatus").asText(), v.toString());
    assertTrue(v.get("signedBySender").asBoolean());
    assertEquals("Salut Bob,\nFrom the lobby at noon.\n- Alice", v.get("text").asText().strip());
    // mail.decrypt, which the add-on calls for what looks signed, gives the same verdict.
    assertEquals(
        "GOOD",
        bob.call("mail.decrypt", Json.object().put("raw", sentByThunderbird(t)))
            .get("signatureStatus")
            .asText());
    JsonNode bad =
        bob.call(
            "mail.verify", Json.object().put("raw", sentByThunderbird(t.replace("noon", "one"))));
    assertEquals("BAD", bad.get("signatureStatus").asText());
    // Someone whose key Bob lacks: not GOOD.
    Node carol = new Node("carol");
    carol.generate("Carol <alice@example.org>");
    String c = carol.call("mail.signInline", d).get("text").asText();
    assertFalse(
        "GOOD"
            .equals(
                bob.call("mail.verify", Json.object().put("raw", sentByThunderbird(c)))
                    .get("signatureStatus")
                    .asText()));
  }

  @Test
  void sendWithEncryptFalseUsesTheSameAccountAndMissingPasswordCueAndKeepsTheSignedMessage()
      throws Exception {
    Node alice = new Node("alice");
    alice.generate("Alice <alice@example.org>");
    ObjectNode send =
        MailCapabilityTest.draft("alice@example.org", "nokey@example.net", "Hello", "Hi there");
    send.put("encrypt", false);
    RpcException none = error(() -> alice.call("mail.send", send));
    assertEquals(MailErrors.SMTP_PASSWORD_MISSING, none.error());
    assertFalse(none.data().get("account").asBoolean());

    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    alice.call(
        "mail.setSmtpAccount",
        MailFallbackAndBackupTest.account("alice@example.org", closed).put("password", "pw"));
    // No key for the recipient is needed; the (closed) server answers and the message comes back.
    RpcException down = error(() -> alice.call("mail.send", send));
    assertEquals(MailErrors.SMTP_UNAVAILABLE, down.error());
    assertTrue(text(down.data().get("message")).contains("multipart/signed"));

    // Encrypting (the default) still needs the recipient's key.
    send.remove("encrypt");
    assertEquals("NO_KEY_FOR_RECIPIENT", error(() -> alice.call("mail.send", send)).error().type());
    send.put("encrypt", "no");
    assertEquals(RpcError.INVALID_PARAMS, error(() -> alice.call("mail.send", send)).error());
  }

  @Test
  void aConfirmationCanBeTakenBackButOwnKeysStayVerified() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    String aliceFp = alice.generate("Alice <alice@example.org>");
    String bobFp = bob.generate("Bob <bob@example.org>");
    alice.importCert(bob, bobFp);
    assertEquals("unverified", alice.status("bob@example.org"));
    JsonNode on = alice.call("keys.verify", Json.object().put("fingerprint", bobFp));
    assertTrue(on.get("verified").asBoolean());
    assertEquals("verified", alice.status("bob@example.org"));

    JsonNode off =
        alice.call("keys.verify", Json.object().put("fingerprint", bobFp).put("verified", false));
    assertFalse(off.get("verified").asBoolean());
    assertEquals("unverified", alice.status("bob@example.org"));
    assertEquals(0, alice.vault.store(VaultKeyRing.VERIFIED).count());
    // Twice is fine; and it can be confirmed again.
    alice.call("keys.verify", Json.object().put("fingerprint", bobFp).put("verified", false));
    alice.call("keys.verify", Json.object().put("fingerprint", bobFp).put("verified", true));
    assertEquals("verified", alice.status("bob@example.org"));

    JsonNode own =
        alice.call("keys.verify", Json.object().put("fingerprint", aliceFp).put("verified", false));
    assertTrue(own.get("verified").asBoolean(), "one's own key stays verified");
    assertEquals(
        RpcError.INVALID_PARAMS,
        error(
                () ->
                    alice.call(
                        "keys.verify",
                        Json.object().put("fingerprint", bobFp).put("verified", "false")))
            .error());
    String unknown = "0".repeat(40);
    RpcException missing =
        error(
            () ->
                alice.call(
                    "keys.verify",
                    Json.object().put("fingerprint", unknown).put("verified", false)));
    assertEquals("KEY_NOT_FOUND", missing.error().type());
  }
}
