package org.sceau.app.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.rpc.Caller;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.RpcException;
import org.sceau.vault.Vault;

/**
 * The helper's key and fallback methods against the real GnuPG: a secret-key backup gpg imports and
 * uses with the backup passphrase (and only with it), a revocation gpg sees, and inline PGP (body
 * and .pgp attachment) gpg decrypts and verifies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MailGpgIT {
  @TempDir Path dir;
  Gpg gpg;
  private final List<AutoCloseable> open = new ArrayList<>();
  private int n;

  @BeforeAll
  void startGpg() throws Exception {
    gpg = new Gpg();
  }

  @AfterAll
  void stopGpg() throws Exception {
    gpg.close();
  }

  @AfterEach
  void closeVaults() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    open.clear();
  }

  MethodRegistry node() throws Exception {
    Vault v = Vault.at(dir.resolve("v" + n++), MailCapabilityTest.FAST);
    v.create("a passphrase".toCharArray(), null);
    open.add(v);
    MethodRegistry r = new MethodRegistry();
    new MailCapability(v, SmtpSubmission.withPlatformTrust(), Clock.systemUTC())
        .register(r, (m, p) -> {});
    return r;
  }

  static JsonNode call(MethodRegistry r, String method, JsonNode params) throws RpcException {
    return r.find(method).orElseThrow().method().call(Caller.CLI, params);
  }

  static String generate(MethodRegistry r, String uid) throws RpcException {
    return call(r, "keys.generate", Json.object().put("userId", uid)).get("fingerprint").asText();
  }

  static byte[] export(MethodRegistry r, String fp) throws RpcException {
    return call(r, "keys.export", Json.object().put("fingerprint", fp))
        .get("armored")
        .asText()
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void gpgImportsTheSecretKeyBackupAndSignsWithItOnlyWithTheBackupPassphrase() throws Exception {
    MethodRegistry alice = node();
    String fp = generate(alice, "Backup Alice <backup-alice@example.org>");
    String pass = "a long backup passphrase";
    byte[] backup =
        call(
                alice,
                "keys.exportSecret",
                Json.object().put("fingerprint", fp).put("passphrase", pass))
            .get("armored")
            .asText()
            .getBytes(StandardCharsets.US_ASCII);
    gpg.ok(backup, pass, "--import");
    String colons = new String(gpg.ok(null, "", "--with-colons", "--list-secret-keys", fp));
    assertTrue(colons.contains("sec:"), colons);

    byte[] data = "signed by the restored key".getBytes(StandardCharsets.UTF_8);
    Gpg.Result wrong = gpg.run(data, "not the passphrase", "--local-user", fp, "--sign");
    assertNotEquals(0, wrong.exit(), "the backup must not be usable without its passphrase");
    byte[] sig = gpg.ok(data, pass, "--local-user", fp, "--sign");
    Gpg.Result verify = gpg.run(sig, "", "--decrypt");
    assertEquals(0, verify.exit(), verify.err());
    assertTrue(verify.err().contains("[GNUPG:] GOODSIG "), verify.err());
    assertTrue(
        verify.err().lines().anyMatch(l -> l.startsWith("[GNUPG:] VALIDSIG ") && l.endsWith(fp)),
        verify.err());
  }

  @Test
  void gpgSeesTheRevocation() throws Exception {
    MethodRegistry alice = node();
    String fp = generate(alice, "Revoked Alice <revoked-alice@example.org>");
    gpg.ok(export(alice, fp), "", "--import");
    String before = new String(gpg.ok(null, "", "--with-colons", "--list-keys", fp));
    assertTrue(
        before.lines().anyMatch(l -> l.startsWith("pub:u:") || l.startsWith("pub:-:")), before);
    call(alice, "keys.revoke", Json.object().put("fingerprint", fp).put("reason", "retired"));
    gpg.ok(export(alice, fp), "", "--import");
    String after = new String(gpg.ok(null, "", "--with-colons", "--list-keys", fp));
    assertTrue(after.lines().anyMatch(l -> l.startsWith("pub:r:")), after);
  }

  @Test
  void gpgDecryptsAndVerifiesTheInlineBodyAndEachAttachment() throws Exception {
    MethodRegistry alice = node();
    String fp = generate(alice, "Inline Alice <inline-alice@example.org>");
    gpg.ok(null, "", "--quick-gen-key", "Gina <gina@example.net>", "ed25519", "sign,cert", "never");
    String colons =
        new String(gpg.ok(null, "", "--with-colons", "--list-keys", "gina@example.net"));
    String gina =
        colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
    gpg.ok(null, "", "--quick-add-key", gina, "cv25519", "encr", "never");
    call(
        alice,
        "keys.import",
        Json.object().put("armored", new String(gpg.ok(null, "", "--armor", "--export", gina))));
    gpg.ok(export(alice, fp), "", "--import");

    byte[] file = new byte[50_000];
    new java.util.Random(7).nextBytes(file);
    ObjectNode d =
        MailCapabilityTest.draft(
            "inline-alice@example.org", "gina@example.net", "s", "Bonjour Gina,\nà bientôt.\n");
    ((ObjectNode) d.get("draft"))
        .putArray("attachments")
        .addObject()
        .put("fileName", "data.bin")
        .put("data", Base64.getEncoder().encodeToString(file));
    JsonNode inline = call(alice, "mail.encryptInline", d);

    Gpg.Result text =
        gpg.run(inline.get("text").asText().getBytes(StandardCharsets.US_ASCII), "", "--decrypt");
    assertEquals(0, text.exit(), text.err());
    assertEquals(
        "Bonjour Gina,\nà bientôt.\n", text.text().replace("\r\n", "\n"), "the body gpg reads");
    assertTrue(text.err().contains("[GNUPG:] DECRYPTION_OKAY"), text.err());
    assertTrue(text.err().contains("[GNUPG:] GOODSIG "), text.err());
    assertTrue(text.err().lines().anyMatch(l -> l.endsWith(" " + fp)), text.err());

    JsonNode a = inline.get("attachments").get(0);
    assertEquals("data.bin.pgp", a.get("fileName").asText());
    Gpg.Result att = gpg.run(Base64.getDecoder().decode(a.get("data").asText()), "", "--decrypt");
    assertEquals(0, att.exit(), att.err());
    assertArrayEquals(file, att.out());
    assertTrue(att.err().contains("[GNUPG:] GOODSIG "), att.err());
  }

  /** The signed part's exact bytes and the armored signature of a multipart/signed mail. */
  static byte[][] signedParts(byte[] mail) {
    String m = new String(mail, StandardCharsets.ISO_8859_1);
    String boundary = m.replaceAll("(?s).*?boundary=\"([^\"]+)\".*", "$1");
    String open = "--" + boundary + "\r\n";
    int start = m.indexOf(open) + open.length();
    int end = m.indexOf("\r\n--" + boundary + "\r\n", start);
    String sigPart = m.substring(end + 2 + open.length());
    String sig =
        sigPart.substring(
            sigPart.indexOf("-----BEGIN PGP SIGNATURE-----"),
            sigPart.indexOf("-----END PGP SIGNATURE-----") + 27);
    return new byte[][] {
      m.substring(start, end).getBytes(StandardCharsets.ISO_8859_1),
      (sig + "\n").getBytes(StandardCharsets.US_ASCII)
    };
  }

  @Test
  void gpgVerifiesTheSignedOnlyMailAndTheCleartextSignedBody() throws Exception {
    MethodRegistry alice = node();
    String fp = generate(alice, "Signing Alice <sign-alice@example.org>");
    gpg.ok(export(alice, fp), "", "--import");
    ObjectNode d =
        MailCapabilityTest.draft(
            "sign-alice@example.org",
            "anyone@example.net",
            "Ouvert",
            "Bonjour à tous,\n- rendez-vous à midi.\nFrom the lobby.\n");

    byte[] mail = Base64.getDecoder().decode(call(alice, "mail.sign", d).get("message").asText());
    byte[][] parts = signedParts(mail);
    Path data = Files.write(dir.resolve("signed-part"), parts[0]);
    Path sig = Files.write(dir.resolve("part.sig"), parts[1]);
    Gpg.Result r = gpg.run(null, "", "--verify", sig.toString(), data.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("[GNUPG:] GOODSIG "), r.err());
    assertTrue(r.err().lines().anyMatch(l -> l.endsWith(" " + fp)), r.err());
    assertTrue(new String(parts[0], StandardCharsets.US_ASCII).contains("Subject: Ouvert"));

    String text = call(alice, "mail.signInline", d).get("text").asText();
    Gpg.Result clear = gpg.run(text.getBytes(StandardCharsets.UTF_8), "", "--decrypt");
    assertEquals(0, clear.exit(), clear.err());
    assertTrue(clear.err().contains("[GNUPG:] GOODSIG "), clear.err());
    // (gpg writes a line end after the last line of its own)
    assertEquals(
        "Bonjour à tous,\n- rendez-vous à midi.\nFrom the lobby.",
        clear.text().replace("\r\n", "\n").strip(),
        "the text gpg reads back");
    // A changed word breaks it.
    Gpg.Result bad =
        gpg.run(text.replace("midi", "minuit").getBytes(StandardCharsets.UTF_8), "", "--decrypt");
    assertTrue(bad.err().contains("[GNUPG:] BADSIG "), bad.err());
  }
}
