package org.sceau.openpgp.discovery;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.sceau.net.Outbound;
import org.sceau.net.ProxySettings;
import org.sceau.net.UnreachableException;
import org.sceau.net.testing.LoopbackSocks5Proxy;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.GeneratedKey;
import org.sceau.openpgp.KeySpec;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.discovery.KeyServerStub.Answer;

/**
 * Key discovery against a real HTTPS server on loopback (test CA made with Bouncy Castle, trusted
 * through the injected SSLContext) serving WKD, VKS and HKP answers; names reach it through a
 * loopback Outbound, or through the real SOCKS5 test proxy, which resolves them itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyDiscoveryTest {
  static final String BOB = "Bob@Example.org";
  static final String HASH = Wkd.hash("Bob");
  static final String ADVANCED = "/.well-known/openpgpkey/example.org/hu/" + HASH + "?l=Bob";
  static final String DIRECT = "/.well-known/openpgpkey/hu/" + HASH + "?l=Bob";

  TestPki pki;
  KeyServerStub server;
  byte[] bobCert;
  byte[] bobArmored;
  byte[] malloryCert;
  String bobFp;

  @BeforeAll
  void setUp() throws Exception {
    pki = new TestPki("openpgpkey.example.org", "example.org", "keys.example.net");
    server = new KeyServerStub(pki);
    GeneratedKey bob = Keys.generate(KeySpec.of("Bob <bob@example.org>"));
    bobFp = bob.key().fingerprint();
    bobCert = bob.key().certificate().encoded(Encoding.BINARY);
    bobArmored = bob.key().certificate().encoded(Encoding.ARMORED);
    malloryCert =
        Keys.generate(KeySpec.of("Mallory <mallory@evil.example>"))
            .key()
            .certificate()
            .encoded(Encoding.BINARY);
  }

  @AfterAll
  void tearDown() {
    server.close();
  }

  /** Connects every name to the loopback server and remembers the names asked for. */
  static final class LoopbackOutbound implements Outbound {
    final List<String> hosts = new CopyOnWriteArrayList<>();
    final List<String> unreachable;

    LoopbackOutbound(String... unreachable) {
      this.unreachable = List.of(unreachable);
    }

    @Override
    public Socket connect(String host, int port) throws IOException {
      hosts.add(host);
      if (unreachable.contains(host)) {
        throw new UnreachableException(
            UnreachableException.Reason.UNKNOWN_HOST, host + " unknown", null);
      }
      return new Socket(InetAddress.getLoopbackAddress(), port);
    }

    @Override
    public boolean proxied() {
      return false;
    }

    @Override
    public String describe() {
      return "loopback";
    }
  }

  KeyDiscovery discovery(Outbound o, String vks, String hkp) {
    return KeyDiscovery.builder()
        .outbound(o)
        .tls(pki.clientTrustingCa)
        .timeout(Duration.ofSeconds(10))
        .maxBytes(64 * 1024)
        .vksServers(vks == null ? List.of() : List.of(URI.create(vks)))
        .hkpServers(hkp == null ? List.of() : List.of(URI.create(hkp)))
        .portOverride(server.port())
        .build();
  }

  static List<DiscoveryOutcome> outcomes(DiscoveryResult r) {
    return r.attempts().stream().map(DiscoveryAttempt::outcome).toList();
  }

  @Test
  void wkdHashAndUrlsFollowTheDraft() {
    // The example in draft-koch-openpgp-webkey-service.
    assertEquals("iy9q119eutrkn8s1mk4r39qejnbu3n5q", Wkd.hash("Joe.Doe"));
    assertEquals(
        "https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/"
            + "iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe",
        Wkd.advanced("Joe.Doe@Example.ORG").toString());
    assertEquals(
        "https://example.org/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe",
        Wkd.direct("Joe.Doe@Example.ORG").toString());
    assertEquals(
        "https://xn--bcher-kva.example/.well-known/openpgpkey/hu/" + Wkd.hash("anna") + "?l=anna",
        Wkd.direct("anna@Bücher.example").toString());
    assertThrows(IllegalArgumentException.class, () -> Wkd.direct("no-at-sign"));
    assertThrows(IllegalArgumentException.class, () -> Wkd.direct("a@bad/host"));
  }

  @Test
  void advancedMethodFindsTheKey() {
    server.answer("openpgpkey.example.org", ADVANCED, Answer.ok(bobCert));
    LoopbackOutbound o = new LoopbackOutbound();
    DiscoveryResult r = discovery(o, null, null).discover(BOB);
    assertEquals(List.of(DiscoveryOutcome.FOUND), outcomes(r));
    assertEquals(1, r.keys().size());
    assertEquals(bobFp, r.keys().get(0).certificate().fingerprint());
    assertEquals(DiscoverySource.WKD_ADVANCED, r.keys().get(0).source());
    assertEquals(List.of("openpgpkey.example.org"), o.hosts);
  }

  @Test
  void advancedMissingFallsBackToDirect() {
    server.answer("example.org", DIRECT, Answer.ok(bobArmored));
    // No such subdomain: unreachable, then the direct method.
    DiscoveryResult r =
        discovery(new LoopbackOutbound("openpgpkey.example.org"), null, null).discover(BOB);
    assertEquals(List.of(DiscoveryOutcome.UNREACHABLE, DiscoveryOutcome.FOUND), outcomes(r));
    assertEquals(DiscoverySource.WKD_DIRECT, r.keys().get(0).source());
  }

  @Test
  void notFoundAnywhereIsAnEmptyResultWithEveryAttempt() {
    DiscoveryResult r =
        discovery(new LoopbackOutbound(), "https://keys.example.net", "hkps://keys.example.net")
            .discover("nobody@example.org");
    assertTrue(r.keys().isEmpty());
    assertEquals(
        List.of(
            DiscoveryOutcome.NOT_FOUND,
            DiscoveryOutcome.NOT_FOUND,
            DiscoveryOutcome.NOT_FOUND,
            DiscoveryOutcome.NOT_FOUND),
        outcomes(r));
    assertFalse(r.nothingReached());
    assertEquals(
        List.of(
            DiscoverySource.WKD_ADVANCED,
            DiscoverySource.WKD_DIRECT,
            DiscoverySource.VKS,
            DiscoverySource.HKP),
        r.attempts().stream().map(DiscoveryAttempt::source).toList());
  }

  @Test
  void badKeyAndWrongUserIdAreRejectedAndTheKeyServerIsAsked() {
    String carol = "carol@example.org";
    String h = Wkd.hash("carol");
    server
        .answer(
            "openpgpkey.example.org",
            "/.well-known/openpgpkey/example.org/hu/" + h + "?l=carol",
            Answer.ok("<html>not a key</html>".getBytes(US_ASCII)))
        .answer(
            "example.org",
            "/.well-known/openpgpkey/hu/" + h + "?l=carol",
            Answer.ok(new byte[] {(byte) 0x99, 0, 5, 1, 2}))
        .answer("keys.example.net", "/vks/v1/by-email/carol%40example.org", Answer.ok(malloryCert));
    DiscoveryResult r =
        discovery(new LoopbackOutbound(), "https://keys.example.net", "https://keys.example.net")
            .discover(carol);
    assertTrue(r.keys().isEmpty(), "a key for another address is never returned");
    assertEquals(
        List.of(
            DiscoveryOutcome.BAD_KEY,
            DiscoveryOutcome.BAD_KEY,
            DiscoveryOutcome.WRONG_USER_ID,
            DiscoveryOutcome.NOT_FOUND),
        outcomes(r));
  }

  @Test
  void hkpServerIsAskedInMachineReadableFormAndChunkedAnswersAreRead() {
    String dave = "dave@example.org";
    server.answer(
        "keys.example.net",
        "/pks/lookup?op=get&options=mr&search=dave%40example.org",
        new Answer(200, bobArmored, Map.of(), true));
    DiscoveryResult r =
        discovery(new LoopbackOutbound(), null, "hkps://keys.example.net").discover(dave);
    // The server gave Bob's key for Dave: rejected.
    assertEquals(DiscoveryOutcome.WRONG_USER_ID, r.attempts().get(2).outcome());
    assertTrue(
        server.requests.contains(
            new KeyServerStub.Request(
                "keys.example.net", "/pks/lookup?op=get&options=mr&search=dave%40example.org")));
  }

  @Test
  void vksFindsTheKeyAfterWkdHasNone() {
    String erin = "bob@example.org";
    server.answer("keys.example.net", "/vks/v1/by-email/bob%40example.org", Answer.ok(bobArmored));
    DiscoveryResult r =
        KeyDiscovery.builder()
            .outbound(new LoopbackOutbound())
            .tls(pki.clientTrustingCa)
            .withoutWkd()
            .vksServers(List.of(URI.create("https://keys.example.net")))
            .hkpServers(List.of())
            .portOverride(server.port())
            .build()
            .discover(erin);
    assertEquals(List.of(DiscoveryOutcome.FOUND), outcomes(r));
    assertEquals(DiscoverySource.VKS, r.keys().get(0).source());
  }

  @Test
  void certificatesAreCheckedUntrustedOrForAnotherNameIsTlsFailed() {
    // Trusted CA, but the certificate does not name this host.
    DiscoveryResult wrongName =
        KeyDiscovery.builder()
            .outbound(new LoopbackOutbound())
            .tls(pki.clientTrustingCa)
            .withoutWkd()
            .vksServers(List.of(URI.create("https://other.example.com")))
            .hkpServers(List.of())
            .portOverride(server.port())
            .build()
            .discover("bob@example.org");
    assertEquals(List.of(DiscoveryOutcome.TLS_FAILED), outcomes(wrongName));
    assertTrue(wrongName.nothingReached());
    // The platform trust store does not know the test CA.
    DiscoveryResult untrusted =
        KeyDiscovery.builder()
            .outbound(new LoopbackOutbound())
            .withoutWkd()
            .vksServers(List.of(URI.create("https://keys.example.net")))
            .hkpServers(List.of())
            .portOverride(server.port())
            .build()
            .discover("bob@example.org");
    assertEquals(List.of(DiscoveryOutcome.TLS_FAILED), outcomes(untrusted));
  }

  @Test
  void oversizedAnswersAndRedirectLoopsAreBadAnswers() {
    String big = "big@example.org";
    String h = Wkd.hash("big");
    server
        .answer(
            "openpgpkey.example.org",
            "/.well-known/openpgpkey/example.org/hu/" + h + "?l=big",
            Answer.ok(new byte[200 * 1024]))
        .answer(
            "example.org",
            "/.well-known/openpgpkey/hu/" + h + "?l=big",
            new Answer(
                302,
                new byte[0],
                Map.of("Location", "https://example.org/.well-known/openpgpkey/hu/" + h + "?l=big"),
                false));
    DiscoveryResult r = discovery(new LoopbackOutbound(), null, null).discover(big);
    assertEquals(List.of(DiscoveryOutcome.BAD_ANSWER, DiscoveryOutcome.BAD_ANSWER), outcomes(r));
  }

  @Test
  void redirectToHttpsIsFollowed() {
    String h = Wkd.hash("moved");
    server
        .answer(
            "example.org",
            "/.well-known/openpgpkey/hu/" + h + "?l=moved",
            new Answer(
                301, new byte[0], Map.of("Location", "https://keys.example.net/k/moved"), false))
        .answer(
            "keys.example.net",
            "/k/moved",
            Answer.ok(
                bobCert)); // Bob's key for "moved": the redirect is followed, the UID still checked
    DiscoveryResult r = discovery(new LoopbackOutbound(), null, null).discover("moved@example.org");
    assertEquals(List.of(DiscoveryOutcome.NOT_FOUND, DiscoveryOutcome.WRONG_USER_ID), outcomes(r));
    assertTrue(server.requests.contains(new KeyServerStub.Request("keys.example.net", "/k/moved")));
  }

  @Test
  void throughSocks5TheProxyResolvesTheNames() throws Exception {
    server.answer("openpgpkey.example.org", ADVANCED, Answer.ok(bobCert));
    try (LoopbackSocks5Proxy proxy = new LoopbackSocks5Proxy()) {
      proxy.resolve("openpgpkey.example.org");
      Outbound viaProxy = Outbound.from(ProxySettings.parse("socks5://127.0.0.1:" + proxy.port()));
      DiscoveryResult r = discovery(viaProxy, null, null).discover(BOB);
      assertEquals(List.of(DiscoveryOutcome.FOUND), outcomes(r));
      assertEquals(bobFp, r.keys().get(0).certificate().fingerprint());
      LoopbackSocks5Proxy.Request req = proxy.requests().get(0);
      assertEquals(3, req.addressType(), "the name was sent to the proxy, not resolved here");
      assertEquals("openpgpkey.example.org", req.host());
    }
  }
}
