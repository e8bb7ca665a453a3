package org.sceau.app.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.rpc.Caller;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.RpcException;
import org.sceau.net.Outbound;
import org.sceau.net.ProxySettings;
import org.sceau.net.testing.LoopbackSocks5Proxy;
import org.sceau.vault.Vault;

/**
 * {@code mail.send} against GreenMail, a real SMTP server, on loopback. The SMTPS server presents a
 * certificate made for 127.0.0.1 by keytool in this test; the test trusts exactly that certificate
 * through a trust store it builds (production code keeps validation on and the platform's trust
 * store). GreenMail has no STARTTLS: the STARTTLS path is shown refusing to go on without it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SmtpSendIT {
  @TempDir static Path tls;
  static GreenMail server;
  static SSLSocketFactory trustingTestServer;
  static SSLSocketFactory serverTls;
  static SSLSocketFactory trustingWrongName;
  static SSLSocketFactory wrongNameServerTls;

  /** A fresh RSA key and self-signed certificate for {@code san}, made by the JDK's keytool. */
  private static Path keystore(String name, String san) throws Exception {
    Path ks = tls.resolve(name);
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "greenmail",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=test",
                "-ext",
                "san=" + san,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    return ks;
  }

  private static KeyStore load(Path ks) throws Exception {
    KeyStore k = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      k.load(in, "changeit".toCharArray());
    }
    return k;
  }

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    Path ks = keystore("server.p12", "ip:127.0.0.1,dns:localhost,dns:smtp.mail.test");
    // GreenMail reads these once, when its first TLS server socket is made.
    System.setProperty("greenmail.tls.keystore.file", ks.toString());
    System.setProperty("greenmail.tls.keystore.password", "changeit");
    System.setProperty("greenmail.tls.key.password", "changeit");

    KeyStore server = load(ks);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("test-server", server.getCertificate("greenmail"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    trustingTestServer = ctx.getSocketFactory();
    javax.net.ssl.KeyManagerFactory kmf =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(server, "changeit".toCharArray());
    SSLContext serverCtx = SSLContext.getInstance("TLS");
    serverCtx.init(kmf.getKeyManagers(), null, null);
    serverTls = serverCtx.getSocketFactory();

    // A certificate for another name, trusted by the client: only the name check can refuse it.
    KeyStore other = load(keystore("other.p12", "dns:mail.example.net"));
    KeyStore otherTrust = KeyStore.getInstance(KeyStore.getDefaultType());
    otherTrust.load(null, null);
    otherTrust.setCertificateEntry("other", other.getCertificate("greenmail"));
    TrustManagerFactory otmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    otmf.init(otherTrust);
    SSLContext octx = SSLContext.getInstance("TLS");
    octx.init(null, otmf.getTrustManagers(), null);
    trustingWrongName = octx.getSocketFactory();
    javax.net.ssl.KeyManagerFactory okmf =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    okmf.init(other, "changeit".toCharArray());
    SSLContext oserver = SSLContext.getInstance("TLS");
    oserver.init(okmf.getKeyManagers(), null, null);
    wrongNameServerTls = oserver.getSocketFactory();

    SmtpSendIT.server =
        new GreenMail(
            new ServerSetup[] {
              new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort(),
              new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()
            });
    SmtpSendIT.server.start();
    SmtpSendIT.server.setUser("alice@example.org", "alice", "right password");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    server.purgeEmailFromAllMailboxes();
  }

  final class Node {
    final Vault vault;
    final MethodRegistry registry = new MethodRegistry();

    Node(String name, SSLSocketFactory trust) throws Exception {
      this(name, trust, Outbound.direct());
    }

    Node(String name, SSLSocketFactory trust, Outbound outbound) throws Exception {
      vault = Vault.at(dir.resolve(name), MailCapabilityTest.FAST);
      vault.create("a passphrase".toCharArray(), null);
      open.add(vault);
      new MailCapability(
              vault, new SmtpSubmission(outbound, trust, Duration.ofSeconds(10)), Clock.systemUTC())
          .register(registry, (m, p) -> {});
    }

    JsonNode call(String method, JsonNode params) throws RpcException {
      return registry.find(method).orElseThrow().method().call(Caller.CLI, params);
    }
  }

  /** Alice (who sends, with the given trust) and Bob (who receives), knowing each other's keys. */
  private Node[] aliceAndBob(SSLSocketFactory trust) throws Exception {
    Node alice = new Node("alice", trust);
    Node bob = new Node("bob", trustingTestServer);
    alice.call("keys.generate", Json.object().put("userId", "Alice <alice@example.org>"));
    String bobFp =
        bob.call("keys.generate", Json.object().put("userId", "Bob <bob@example.org>"))
            .get("fingerprint")
            .asText();
    String bobCert =
        bob.call("keys.export", Json.object().put("fingerprint", bobFp)).get("armored").asText();
    alice.call("keys.import", Json.object().put("armored", bobCert));
    alice.call(
        "mail.setSmtpPassword",
        Json.object()
            .put("host", "127.0.0.1")
            .put("user", "alice")
            .put("password", "right password"));
    return new Node[] {alice, bob};
  }

  private static ObjectNode send(String security, int port, String to) {
    ObjectNode p =
        MailCapabilityTest.draft(
            "Alice <alice@example.org>", to, "Secret plans", "See you at noon.");
    p.putObject("smtp")
        .put("host", "127.0.0.1")
        .put("port", port)
        .put("security", security)
        .put("user", "alice");
    return p;
  }

  private static int smtpsPort() {
    return server.getSmtps().getPort();
  }

  private static RpcException refused(Node n, ObjectNode p) {
    return assertThrows(RpcException.class, () -> n.call("mail.send", p));
  }

  @Test
  void sentMailArrivesEncryptedWithAutocryptAndHiddenSubjectAndBobReadsIt() throws Exception {
    Node[] ab = aliceAndBob(trustingTestServer);
    JsonNode r = ab[0].call("mail.send", send("tls", smtpsPort(), "Bob <bob@example.org>"));
    assertTrue(r.get("sent").asBoolean());

    MimeMessage[] got = server.getReceivedMessages();
    assertEquals(1, got.length);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    got[0].writeTo(raw);
    String text = raw.toString(StandardCharsets.US_ASCII);
    assertTrue(got[0].getContentType().startsWith("multipart/encrypted"), got[0].getContentType());
    assertEquals("...", got[0].getSubject());
    assertTrue(got[0].getHeader("Autocrypt")[0].startsWith("addr=alice@example.org"));
    assertFalse(text.contains("Secret plans"));
    assertFalse(text.contains("noon"));

    // Bob learns Alice's key from the Autocrypt header of what arrived, then reads the mail.
    String arrived = Base64.getEncoder().encodeToString(raw.toByteArray());
    ab[1].call("mail.autocrypt.process", Json.object().put("raw", arrived));
    JsonNode read = ab[1].call("mail.decrypt", Json.object().put("raw", arrived));
    assertEquals("Secret plans", read.get("subject").asText());
    assertEquals("See you at noon.", read.get("text").asText());
    assertEquals("GOOD", read.get("signatureStatus").asText());
    assertTrue(read.get("signedBySender").asBoolean());

    // The returned copy is the same message, and Alice can read it (encrypted to herself too).
    JsonNode own = ab[0].call("mail.decrypt", Json.object().put("raw", r.get("message").asText()));
    assertEquals("Secret plans", own.get("subject").asText());
  }

  @Test
  void signedOnlyMailGoesThroughTheStoredAccountAsMultipartSignedAndVerifiesGood()
      throws Exception {
    Node[] ab = aliceAndBob(trustingTestServer);
    ab[0].call(
        "mail.setSmtpAccount",
        Json.object()
            .put("address", "alice@example.org")
            .put("host", "127.0.0.1")
            .put("port", smtpsPort())
            .put("security", "tls")
            .put("user", "alice")
            .put("password", "right password"));
    // Carol has no key anywhere: a signed-only mail does not need one.
    ObjectNode p =
        MailCapabilityTest.draft(
            "Alice <alice@example.org>", "carol@example.org", "Open plans", "Noon, room 4.");
    ((ObjectNode) p.get("draft")).putArray("bcc").add("bob@example.org");
    p.put("encrypt", false);
    JsonNode r = ab[0].call("mail.send", p);
    assertTrue(r.get("sent").asBoolean());

    MimeMessage[] got = server.getReceivedMessages();
    assertEquals(2, got.length, "one message, delivered to Carol and to Bob (Bcc)");
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    got[0].writeTo(raw);
    String text = raw.toString(StandardCharsets.US_ASCII);
    assertTrue(got[0].getContentType().startsWith("multipart/signed"), got[0].getContentType());
    assertEquals("Open plans", got[0].getSubject());
    assertTrue(got[0].getHeader("Autocrypt")[0].startsWith("addr=alice@example.org"));
    assertTrue(text.contains("Noon, room 4."), "signed only: readable by everyone");
    assertFalse(text.contains("bob@example.org"), "Bcc is not written in the message");

    // Bob learns Alice's key from the Autocrypt header, then checks the signature.
    String arrived = Base64.getEncoder().encodeToString(raw.toByteArray());
    ab[1].call("mail.autocrypt.process", Json.object().put("raw", arrived));
    JsonNode v = ab[1].call("mail.verify", Json.object().put("raw", arrived));
    assertEquals("PGP_MIME_SIGNED", v.get("kind").asText());
    assertEquals("GOOD", v.get("signatureStatus").asText());
    assertTrue(v.get("signedBySender").asBoolean());
    // The copy for Sent is the signed message itself.
    assertTrue(
        new String(Base64.getDecoder().decode(r.get("message").asText()), StandardCharsets.UTF_8)
            .contains("multipart/signed"));
  }

  @Test
  void wrongPasswordIsAuthFailedAndTheMessageComesBack() throws Exception {
    Node[] ab = aliceAndBob(trustingTestServer);
    ab[0].call(
        "mail.setSmtpPassword",
        Json.object().put("host", "127.0.0.1").put("user", "alice").put("password", "wrong"));
    RpcException e = refused(ab[0], send("tls", smtpsPort(), "bob@example.org"));
    assertEquals(MailErrors.AUTH_FAILED, e.error());
    assertEquals(0, server.getReceivedMessages().length);
    assertKept(ab, e);
  }

  @Test
  void untrustedCertificateIsTlsFailedWithPlatformTrust() throws Exception {
    Node[] ab = aliceAndBob((SSLSocketFactory) SSLSocketFactory.getDefault());
    RpcException e = refused(ab[0], send("tls", smtpsPort(), "bob@example.org"));
    assertEquals(MailErrors.TLS_FAILED, e.error());
    assertEquals(0, server.getReceivedMessages().length);
    assertKept(ab, e);
  }

  @Test
  void starttlsIsRequiredSoAPlainServerIsTlsFailedAndNothingGoesOutInTheClear() throws Exception {
    Node[] ab = aliceAndBob(trustingTestServer);
    RpcException e =
        refused(ab[0], send("starttls", server.getSmtp().getPort(), "bob@example.org"));
    assertEquals(MailErrors.TLS_FAILED, e.error());
    assertEquals(0, server.getReceivedMessages().length);
    assertKept(ab, e);
  }

  @Test
  void droppedConnectionIsSmtpUnavailableInBothModes() throws Exception {
    Node[] ab = aliceAndBob(trustingTestServer);
    try (ServerSocket drop = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread t =
          new Thread(
              () -> {
                while (!drop.isClosed()) {
                  try (Socket s = drop.accept()) {
                    s.setSoLinger(true, 0); // reset: the connection drops at once
                  } catch (java.io.IOException done) {
                    return;
                  }
                }
              });
      t.setDaemon(true);
      t.start();
      for (String mode : List.of("tls", "starttls")) {
        RpcException e = refused(ab[0], send(mode, drop.getLocalPort(), "bob@example.org"));
        assertEquals(MailErrors.SMTP_UNAVAILABLE, e.error(), mode);
        assertKept(ab, e);
      }
    }
  }

  @Test
  void starttlsUpgradesBeforeAuthenticatingAndSends() throws Exception {
    Node[] ab = aliceAndBob(trustingTestServer);
    try (StarttlsSmtpServer smtp = new StarttlsSmtpServer(serverTls)) {
      JsonNode r;
      try {
        r = ab[0].call("mail.send", send("starttls", smtp.port(), "bob@example.org"));
      } catch (RpcException e) {
        throw new AssertionError(e.error() + " after " + smtp.verbs, e);
      }
      assertTrue(r.get("sent").asBoolean());
      // Only EHLO and STARTTLS were said in the clear: the password and mail went over TLS.
      assertEquals(
          2,
          smtp.clearTextCommandsAfterGreeting.size(),
          smtp.clearTextCommandsAfterGreeting.toString());
      assertTrue(smtp.clearTextCommandsAfterGreeting.get(0).startsWith("EHLO"));
      assertEquals("STARTTLS", smtp.clearTextCommandsAfterGreeting.get(1));
      assertEquals(1, smtp.received.size());
      String arrived = Base64.getEncoder().encodeToString(smtp.received.get(0));
      JsonNode read = ab[1].call("mail.decrypt", Json.object().put("raw", arrived));
      assertEquals("Secret plans", read.get("subject").asText());
      assertEquals("PGP_MIME_ENCRYPTED", read.get("kind").asText());
    }
  }

  @Test
  void certificateForAnotherHostNameIsTlsFailedEvenWhenTrusted() throws Exception {
    Node[] ab = aliceAndBob(trustingWrongName);
    try (StarttlsSmtpServer smtp = new StarttlsSmtpServer(wrongNameServerTls)) {
      RpcException e = refused(ab[0], send("starttls", smtp.port(), "bob@example.org"));
      assertEquals(MailErrors.TLS_FAILED, e.error(), e.getMessage() + " after " + smtp.verbs);
      assertEquals(0, smtp.received.size());
      assertFalse(smtp.verbs.stream().anyMatch(v -> v.startsWith("AUTH")), smtp.verbs.toString());
      assertKept(ab, e);
    }
  }

  @Test
  void refusedRecipientIsRecipientRefusedAndNothingIsSent() throws Exception {
    Node[] ab = aliceAndBob(trustingTestServer);
    Node other = new Node("refused", trustingTestServer);
    String fp =
        other
            .call("keys.generate", Json.object().put("userId", "refused@example.org"))
            .get("fingerprint")
            .asText();
    ab[0].call(
        "keys.import",
        Json.object()
            .put(
                "armored",
                other
                    .call("keys.export", Json.object().put("fingerprint", fp))
                    .get("armored")
                    .asText()));
    try (StarttlsSmtpServer smtp = new StarttlsSmtpServer(serverTls)) {
      ObjectNode p = send("starttls", smtp.port(), "bob@example.org");
      ((ObjectNode) p.get("draft")).putArray("cc").add("refused@example.org");
      RpcException e = refused(ab[0], p);
      assertEquals(MailErrors.RECIPIENT_REFUSED, e.error());
      assertTrue(e.data().get("refused").get(0).asText().contains("refused@example.org"));
      assertEquals(0, smtp.received.size());
      assertKept(ab, e);
    }
  }

  @Test
  void storedAccountSendsThroughTheSocksProxyWhichResolvesTheServerName() throws Exception {
    try (LoopbackSocks5Proxy proxy = new LoopbackSocks5Proxy()) {
      proxy.resolve("smtp.mail.test");
      Outbound viaProxy = Outbound.from(ProxySettings.parse("socks5://127.0.0.1:" + proxy.port()));
      Node alice = new Node("alice-proxied", trustingTestServer, viaProxy);
      Node bob = new Node("bob", trustingTestServer);
      alice.call("keys.generate", Json.object().put("userId", "Alice <alice@example.org>"));
      String bobFp =
          bob.call("keys.generate", Json.object().put("userId", "Bob <bob@example.org>"))
              .get("fingerprint")
              .asText();
      alice.call(
          "keys.import",
          Json.object()
              .put(
                  "armored",
                  bob.call("keys.export", Json.object().put("fingerprint", bobFp))
                      .get("armored")
                      .asText()));
      // The add-on's way: an account for the sender, then mail.send without smtp settings.
      alice.call(
          "mail.setSmtpAccount",
          Json.object()
              .put("address", "alice@example.org")
              .put("host", "smtp.mail.test")
              .put("port", smtpsPort())
              .put("security", "tls")
              .put("user", "alice")
              .put("password", "right password"));
      JsonNode r =
          alice.call(
              "mail.send",
              MailCapabilityTest.draft(
                  "Alice <alice@example.org>", "bob@example.org", "Secret plans", "Via proxy."));
      assertTrue(r.get("sent").asBoolean());
      assertEquals(1, server.getReceivedMessages().length);
      LoopbackSocks5Proxy.Request req = proxy.requests().get(0);
      assertEquals(3, req.addressType(), "the name went to the proxy, it was not resolved here");
      assertEquals("smtp.mail.test", req.host());
      assertEquals(smtpsPort(), req.port());
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      server.getReceivedMessages()[0].writeTo(raw);
      JsonNode read =
          bob.call(
              "mail.decrypt",
              Json.object().put("raw", Base64.getEncoder().encodeToString(raw.toByteArray())));
      assertEquals("Via proxy.", read.get("text").asText());
    }
  }

  @Test
  void eachBccRecipientGetsACopyOfTheirOwnThatTheOthersCannotTraceToThem() throws Exception {
    Node[] ab = aliceAndBob(trustingTestServer);
    Node carol = new Node("carol", trustingTestServer);
    String carolFp =
        carol
            .call("keys.generate", Json.object().put("userId", "Carol <carol@example.net>"))
            .get("fingerprint")
            .asText();
    ab[0].call(
        "keys.import",
        Json.object()
            .put(
                "armored",
                carol
                    .call("keys.export", Json.object().put("fingerprint", carolFp))
                    .get("armored")
                    .asText()));
    ObjectNode p = send("tls", smtpsPort(), "Bob <bob@example.org>");
    ((ObjectNode) p.get("draft")).putArray("bcc").add("carol@example.net");
    JsonNode r = ab[0].call("mail.send", p);
    assertTrue(r.get("sent").asBoolean());

    assertEquals(2, server.getReceivedMessages().length);
    MimeMessage[] toBob = inbox("bob@example.org");
    MimeMessage[] toCarol = inbox("carol@example.net");
    assertEquals(1, toBob.length);
    assertEquals(1, toCarol.length);
    String bobCopy = raw64(toBob[0]);
    String carolCopy = raw64(toCarol[0]);
    assertFalse(new String(Base64.getDecoder().decode(bobCopy)).contains("carol"));
    assertFalse(new String(Base64.getDecoder().decode(carolCopy)).contains("carol"));
    // Bob's copy is not encrypted to Carol: no key ID of hers is in it.
    assertEquals(
        "NO_DECRYPTION_KEY",
        assertThrows(
                RpcException.class,
                () -> carol.call("mail.decrypt", Json.object().put("raw", bobCopy)))
            .error()
            .type());
    assertEquals(
        "See you at noon.",
        ab[1].call("mail.decrypt", Json.object().put("raw", bobCopy)).get("text").asText());
    assertEquals(
        "See you at noon.",
        carol.call("mail.decrypt", Json.object().put("raw", carolCopy)).get("text").asText());
    // The Sent copy returned is the To/Cc one.
    assertEquals(
        "Secret plans",
        ab[0]
            .call("mail.decrypt", Json.object().put("raw", r.get("message").asText()))
            .get("subject")
            .asText());
  }

  /** What GreenMail delivered to one envelope recipient's mailbox. */
  private static MimeMessage[] inbox(String address) throws Exception {
    var user = server.getUserManager().getUserByEmail(address);
    var box = server.getManagers().getImapHostManager().getInbox(user);
    return box.getMessages().stream().map(m -> m.getMimeMessage()).toArray(MimeMessage[]::new);
  }

  private static String raw64(MimeMessage m) throws Exception {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    m.writeTo(raw);
    return Base64.getEncoder().encodeToString(raw.toByteArray());
  }

  /** The error carries the finished message, and it is the real thing: Bob can read it. */
  private static void assertKept(Node[] ab, RpcException e) throws Exception {
    String kept = e.data().get("message").asText();
    JsonNode read = ab[1].call("mail.decrypt", Json.object().put("raw", kept));
    assertEquals("Secret plans", read.get("subject").asText());
    assertTrue(e.data().get("messageId").asText().startsWith("<"));
  }
}
