package org.sceau.app.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.rpc.Caller;
import org.sceau.app.rpc.Dispatcher;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.vault.KdfParams;
import org.sceau.vault.Record;
import org.sceau.vault.VaultOptions;

/** The keys and mail methods against real vaults in a temporary directory (two users). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MailCapabilityTest {
  static final VaultOptions FAST = new VaultOptions(Duration.ZERO, new KdfParams(1024, 1, 1));

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  /** One user's helper: a vault and the capability's methods. */
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

  static RpcException error(Executable e) {
    return assertThrows(RpcException.class, e::run);
  }

  @FunctionalInterface
  interface Executable {
    void run() throws Exception;
  }

  static ObjectNode draft(String from, String to, String subject, String text) {
    ObjectNode d = Json.object().put("from", from).put("subject", subject).put("text", text);
    d.putArray("to").add(to);
    return Json.object().set("draft", d);
  }

  @Test
  void generatedKeyIsListedExportedAndItsSecretStaysProtectedInTheVault() throws Exception {
    Node alice = new Node("alice");
    JsonNode g =
        alice.call("keys.generate", Json.object().put("userId", "Alice <alice@example.org>"));
    String fp = g.get("fingerprint").asText();
    assertTrue(g.get("certificate").asText().startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    assertTrue(g.get("secret").asBoolean());
    assertTrue(g.get("canEncrypt").asBoolean());

    JsonNode keys = alice.call("keys.list", Json.object()).get("keys");
    assertEquals(1, keys.size());
    assertEquals(fp, keys.get(0).get("fingerprint").asText());
    assertTrue(keys.get(0).get("secret").asBoolean());

    String exported = alice.exportCert(fp);
    assertFalse(exported.contains("PRIVATE"));

    // The stored secret key is itself passphrase-protected (a copy of the record alone is useless).
    Record secret = alice.vault.store(VaultKeyRing.SECRETS).get(fp).orElseThrow();
    assertTrue(org.sceau.openpgp.Keys.readSecretKey(secret.value()).isProtected());

    // No method returns a secret key: not even the whole API's output for this fingerprint.
    for (String m : alice.registry.names()) {
      if (m.equals("keys.revoke")) {
        continue; // would succeed: it changes the key, and returns its public certificate only
      }
      try {
        JsonNode r = alice.call(m, Json.object().put("fingerprint", fp));
        assertFalse(r.toString().contains("PRIVATE KEY"), m);
      } catch (RpcException expected) {
        // most methods need other params
      }
    }

    // It survives locking and unlocking.
    alice.vault.lock();
    alice.vault.unlock("a passphrase".toCharArray(), null);
    assertEquals(
        fp, alice.call("keys.list", Json.object()).get("keys").get(0).get("fingerprint").asText());
  }

  @Test
  void statusIsNoneThenUnverifiedAfterImportThenVerified() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    alice.generate("Alice <alice@example.org>");
    String bobFp = bob.generate("Bob <bob@example.org>");

    assertEquals(
        "none",
        alice
            .call("keys.status", Json.object().put("email", "bob@example.org"))
            .get("status")
            .asText());
    JsonNode imported =
        alice.call("keys.import", Json.object().put("armored", bob.exportCert(bobFp)));
    assertEquals(bobFp, imported.get("keys").get(0).get("fingerprint").asText());
    assertFalse(imported.get("keys").get(0).get("updated").asBoolean());

    JsonNode st = alice.call("keys.status", Json.object().put("email", "Bob@Example.org"));
    assertEquals("unverified", st.get("status").asText());
    assertEquals(bobFp, st.get("fingerprint").asText());

    alice.call("keys.verify", Json.object().put("fingerprint", bobFp));
    ObjectNode many = Json.object();
    many.putArray("emails")
        .add("bob@example.org")
        .add("carol@example.org")
        .add("alice@example.org");
    JsonNode statuses = alice.call("keys.status", many).get("statuses");
    assertEquals("verified", statuses.get(0).get("status").asText());
    assertEquals("none", statuses.get(1).get("status").asText());
    assertEquals("verified", statuses.get(2).get("status").asText()); // one's own key

    // Importing the same certificate again merges (an update), it does not duplicate.
    JsonNode again = alice.call("keys.import", Json.object().put("armored", bob.exportCert(bobFp)));
    assertTrue(again.get("keys").get(0).get("updated").asBoolean());
    assertEquals(2, alice.call("keys.list", Json.object()).get("keys").size());

    alice.call("keys.delete", Json.object().put("fingerprint", bobFp));
    assertEquals(
        "none",
        alice
            .call("keys.status", Json.object().put("email", "bob@example.org"))
            .get("status")
            .asText());
  }

  @Test
  void ownKeyIsOnlyDeletedWhenAskedExplicitly() throws Exception {
    Node alice = new Node("alice");
    String fp = alice.generate("alice@example.org");
    RpcException e = error(() -> alice.call("keys.delete", Json.object().put("fingerprint", fp)));
    assertEquals(RpcError.INVALID_PARAMS, e.error());
    alice.call("keys.delete", Json.object().put("fingerprint", fp).put("secret", true));
    assertEquals(0, alice.call("keys.list", Json.object()).get("keys").size());
    assertTrue(alice.vault.store(VaultKeyRing.PASSPHRASES).keys("").isEmpty());
    assertEquals(
        MailErrors.KEY_NOT_FOUND,
        error(() -> alice.call("keys.delete", Json.object().put("fingerprint", fp))).error());
  }

  @Test
  void secretKeysAndGarbageAreNotImported() throws Exception {
    Node alice = new Node("alice");
    assertEquals(
        RpcError.INVALID_PARAMS,
        error(
                () ->
                    alice.call(
                        "keys.import",
                        Json.object()
                            .put("armored", "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxx\n")))
            .error());
    RpcException e =
        error(() -> alice.call("keys.import", Json.object().put("armored", "not a key at all")));
    assertTrue(
        e.error().type().equals("MALFORMED_KEY") || e.error().type().equals("MALFORMED_MESSAGE"),
        e.error().type());
  }

  @Test
  void encryptedMailIsReadByTheRecipientWithSenderVerdictAndAttachments() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    String aliceFp = alice.generate("Alice <alice@example.org>");
    String bobFp = bob.generate("Bob <bob@example.org>");
    alice.call("keys.import", Json.object().put("armored", bob.exportCert(bobFp)));
    bob.call("keys.import", Json.object().put("armored", alice.exportCert(aliceFp)));

    ObjectNode p =
        draft(
            "Alice <alice@example.org>",
            "Bob <bob@example.org>",
            "Quarterly plans",
            "Hello Bob,\r\nsee attached.\r\n");
    ObjectNode d = (ObjectNode) p.get("draft");
    d.put(
        "html",
        "<p>Hello <b>Bob</b></p><img src=\"https://tracker.example/p.gif\">"
            + "<img src=\"cid:logo@example.org\"><script>alert(1)</script>"
            + "<a href=\"https://example.org/\" onclick=\"steal()\">link</a>");
    byte[] pdf = "%PDF-1.4 pretend".getBytes(StandardCharsets.US_ASCII);
    d.putArray("attachments")
        .addObject()
        .put("fileName", "plan.pdf")
        .put("mediaType", "application/pdf")
        .put("data", Base64.getEncoder().encodeToString(pdf));
    d.put("inReplyTo", "<earlier@example.org>");
    JsonNode enc = alice.call("mail.encrypt", p);
    byte[] message = Base64.getDecoder().decode(enc.get("message").asText());
    String text = new String(message, StandardCharsets.US_ASCII);
    assertTrue(text.contains("multipart/encrypted"));
    assertTrue(text.contains("protocol=\"application/pgp-encrypted\""));
    assertTrue(text.contains("Autocrypt: addr=alice@example.org"));
    assertTrue(text.contains("Subject: ...\r\n"));
    assertFalse(text.contains("Quarterly"));
    assertTrue(text.contains("Message-ID: " + enc.get("messageId").asText()));

    JsonNode read = bob.call("mail.decrypt", Json.object().put("raw", enc.get("message").asText()));
    assertEquals("PGP_MIME_ENCRYPTED", read.get("kind").asText());
    assertTrue(read.get("encrypted").asBoolean());
    assertEquals("GOOD", read.get("signatureStatus").asText());
    assertTrue(read.get("signedBySender").asBoolean());
    assertEquals(aliceFp, read.get("signatures").get(0).get("fingerprint").asText());
    assertFalse(read.get("signatures").get(0).get("signerVerified").asBoolean());
    assertEquals("Quarterly plans", read.get("subject").asText());
    assertEquals("Hello Bob,\r\nsee attached.\r\n", read.get("text").asText());
    String html = read.get("html").asText();
    assertTrue(html.contains("<b>Bob</b>"));
    // Sanitised on read: nothing remote or active reaches the add-on; inline cid: images stay.
    assertTrue(read.get("remoteContentRemoved").asBoolean());
    assertFalse(html.contains("tracker.example"), html);
    assertFalse(html.contains("script"), html);
    assertFalse(html.contains("onclick"), html);
    assertTrue(html.contains("src=\"cid:logo@example.org\""), html);
    assertTrue(html.contains("href=\"https://example.org/\""), html);
    assertEquals("plan.pdf", read.get("attachments").get(0).get("fileName").asText());
    assertArrayEquals(
        pdf, Base64.getDecoder().decode(read.get("attachments").get(0).get("data").asText()));
    assertEquals("RFC9788_CIPHER", read.get("protectedHeaders").get("scheme").asText());

    // The sender can read her own copy too.
    assertEquals(
        "Quarterly plans",
        alice
            .call("mail.decrypt", Json.object().put("raw", enc.get("message").asText()))
            .get("subject")
            .asText());
  }

  @Test
  void missingRecipientKeyAndMissingOwnKeyAreTypedErrors() throws Exception {
    Node alice = new Node("alice");
    ObjectNode p = draft("alice@example.org", "carol@example.org", "s", "t");
    assertEquals(MailErrors.NO_SECRET_KEY, error(() -> alice.call("mail.encrypt", p)).error());
    alice.generate("alice@example.org");
    RpcException e = error(() -> alice.call("mail.encrypt", p));
    assertEquals("NO_KEY_FOR_RECIPIENT", e.error().type());
    assertEquals("carol@example.org", e.data().get("addresses").get(0).asText());
  }

  @Test
  void unreadableMessagesGiveTypedErrors() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    Node carol = new Node("carol");
    alice.generate("alice@example.org");
    String bobFp = bob.generate("bob@example.org");
    carol.generate("carol@example.org");
    alice.call("keys.import", Json.object().put("armored", bob.exportCert(bobFp)));
    String msg =
        alice
            .call("mail.encrypt", draft("alice@example.org", "bob@example.org", "s", "t"))
            .get("message")
            .asText();
    // Carol is not a recipient.
    assertEquals(
        "NO_DECRYPTION_KEY",
        error(() -> carol.call("mail.decrypt", Json.object().put("raw", msg))).error().type());
    // A damaged ciphertext.
    String damaged = new String(Base64.getDecoder().decode(msg), StandardCharsets.US_ASCII);
    int at = damaged.indexOf("-----BEGIN PGP MESSAGE-----") + 200;
    damaged =
        damaged.substring(0, at)
            + (damaged.charAt(at) == 'A' ? 'B' : 'A')
            + damaged.substring(at + 1);
    String d64 = Base64.getEncoder().encodeToString(damaged.getBytes(StandardCharsets.US_ASCII));
    String type =
        error(() -> bob.call("mail.decrypt", Json.object().put("raw", d64))).error().type();
    assertTrue(
        List.of("MALFORMED_MESSAGE", "BAD_SIGNATURE", "NO_DECRYPTION_KEY").contains(type), type);
    assertEquals(
        RpcError.INVALID_PARAMS,
        error(() -> bob.call("mail.decrypt", Json.object().put("raw", "%%%"))).error());
  }

  @Test
  void autocryptHeaderTeachesTheKeyAndTheRecommendation() throws Exception {
    Node alice = new Node("alice");
    Node bob = new Node("bob");
    alice.generate("Alice <alice@example.org>");
    String bobFp = bob.generate("Bob <bob@example.org>");
    // Bob writes to himself-and-Alice needs Alice's key; instead Alice learns Bob's key from his
    // Autocrypt header on a mail Bob sends to himself (any outgoing mail carries it).
    String fromBob =
        bob.call("mail.encrypt", draft("Bob <bob@example.org>", "bob@example.org", "s", "t"))
            .get("message")
            .asText();

    ObjectNode rec = Json.object().put("from", "alice@example.org");
    rec.putArray("recipients").add("bob@example.org");
    assertEquals("disable", alice.call("mail.recommend", rec).get("ui").asText());

    JsonNode processed = alice.call("mail.autocrypt.process", Json.object().put("raw", fromBob));
    assertFalse(processed.get("ignored").asBoolean());
    assertEquals("bob@example.org", processed.get("updated").get(0).asText());

    JsonNode r = alice.call("mail.recommend", rec);
    assertEquals("available", r.get("ui").asText());
    assertEquals(bobFp, r.get("recipients").get(0).get("fingerprint").asText());
    JsonNode st = alice.call("keys.status", Json.object().put("email", "bob@example.org"));
    assertEquals("unverified", st.get("status").asText());
    assertEquals("autocrypt", st.get("source").asText());

    // Confirming the fingerprint makes the Autocrypt key a verified key-ring entry.
    alice.call("keys.verify", Json.object().put("fingerprint", bobFp));
    JsonNode after = alice.call("keys.status", Json.object().put("email", "bob@example.org"));
    assertEquals("verified", after.get("status").asText());
    assertEquals("keyring", after.get("source").asText());

    // Now Alice can encrypt to Bob, and Bob reads it.
    String toBob =
        alice
            .call("mail.encrypt", draft("alice@example.org", "bob@example.org", "hi", "hello"))
            .get("message")
            .asText();
    assertEquals(
        "hello", bob.call("mail.decrypt", Json.object().put("raw", toBob)).get("text").asText());

    // The state is in the vault: it survives a lock.
    alice.vault.lock();
    alice.vault.unlock("a passphrase".toCharArray(), null);
    assertEquals("available", alice.call("mail.recommend", rec).get("ui").asText());
  }

  @Test
  void autoRepliesAreIgnoredForAutocrypt() throws Exception {
    Node alice = new Node("alice");
    String raw =
        "From bob@example.org Fri Nov 27 09:00:00 2026\r\n"
            + "From: bob@example.org\r\nTo: alice@example.org\r\nAuto-Submitted: auto-replied\r\n"
            + "Subject: away\r\n\r\nI am away.\r\n";
    JsonNode r =
        alice.call(
            "mail.autocrypt.process",
            Json.object()
                .put(
                    "raw",
                    Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII))));
    assertTrue(r.get("ignored").asBoolean());
    assertTrue(alice.vault.store(MailCapability.PEERS).keys("").isEmpty());
  }

  @Test
  void everyMethodAnswersVaultLockedWhileTheVaultIsLocked() throws Exception {
    Node alice = new Node("alice");
    alice.vault.lock();
    for (String m : alice.registry.names()) {
      assertEquals(RpcError.VAULT_LOCKED, error(() -> alice.call(m, Json.object())).error(), m);
    }
    assertEquals("locked", alice.mail.status().get("state").asText());
  }

  @Test
  void smtpPasswordIsKeptInTheVaultAndMissingOneIsATypedError() throws Exception {
    Node alice = new Node("alice");
    alice.generate("alice@example.org");
    ObjectNode p = draft("alice@example.org", "alice@example.org", "s", "t");
    p.putObject("smtp")
        .put("host", "127.0.0.1")
        .put("port", 9)
        .put("security", "tls")
        .put("user", "alice");
    assertEquals(MailErrors.SMTP_PASSWORD_MISSING, error(() -> alice.call("mail.send", p)).error());
    JsonNode r =
        alice.call(
            "mail.setSmtpPassword",
            Json.object().put("host", "127.0.0.1").put("user", "alice").put("password", "pw"));
    assertFalse(r.toString().contains("pw\""));
    assertEquals(1, alice.vault.store(MailCapability.SMTP).count());
  }

  @Test
  void methodsWorkThroughTheJsonRpcDispatcher() throws Exception {
    Node alice = new Node("alice");
    Dispatcher d = new Dispatcher(alice.registry);
    byte[] req =
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"keys.generate\",\"params\":{\"userId\":\"a@example.org\"}}"
            .getBytes(StandardCharsets.UTF_8);
    JsonNode resp =
        d.dispatch(Dispatcher.validate(Dispatcher.parse(req)), Caller.CLI).orElseThrow();
    assertEquals(7, resp.get("id").asInt());
    String fp = resp.get("result").get("fingerprint").asText();
    byte[] bad =
        "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"keys.export\",\"params\":{\"fingerprint\":\"00\"}}"
            .getBytes(StandardCharsets.UTF_8);
    JsonNode err = d.dispatch(Dispatcher.validate(Dispatcher.parse(bad)), Caller.CLI).orElseThrow();
    assertEquals("INVALID_PARAMS", err.get("error").get("data").get("type").asText());
    assertEquals(40, fp.length());
  }
}
