package org.sceau.app.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.rpc.Caller;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.net.Outbound;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.KeySpec;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.discovery.KeyDiscovery;
import org.sceau.openpgp.discovery.KeyServerStub;
import org.sceau.openpgp.discovery.TestPki;
import org.sceau.vault.Vault;

/**
 * keys.discover against a real HTTPS key server on loopback: what is found is stored unverified,
 * becomes verified only through keys.verify, and failed lookups are reported, not thrown.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyDiscoveryMethodTest {
  @TempDir Path dir;

  /** Every name to the loopback server. */
  static final Outbound LOOPBACK =
      new Outbound() {
        @Override
        public Socket connect(String host, int port) throws IOException {
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
      };

  static JsonNode call(MethodRegistry r, String m, JsonNode p) throws RpcException {
    return r.find(m).orElseThrow().method().call(Caller.CLI, p);
  }

  @Test
  void discoveredKeyIsStoredUnverifiedUntilConfirmed() throws Exception {
    TestPki pki = new TestPki("keys.example.net");
    var bob = Keys.generate(KeySpec.of("Bob <bob@example.org>"));
    try (KeyServerStub server = new KeyServerStub(pki);
        Vault vault = Vault.at(dir.resolve("v"), MailCapabilityTest.FAST)) {
      server.answer(
          "keys.example.net:" + server.port(),
          "/vks/v1/by-email/bob%40example.org",
          KeyServerStub.Answer.ok(bob.key().certificate().encoded(Encoding.ARMORED)));
      vault.create("a passphrase".toCharArray(), null);
      KeyDiscovery discovery =
          KeyDiscovery.builder()
              .outbound(LOOPBACK)
              .tls(pki.clientTrustingCa)
              .withoutWkd()
              .vksServers(List.of(URI.create("https://keys.example.net:" + server.port())))
              .hkpServers(List.of())
              .build();
      MethodRegistry r = new MethodRegistry();
      new MailCapability(vault, SmtpSubmission.withPlatformTrust(), discovery, Clock.systemUTC())
          .register(r, (m, p) -> {});

      JsonNode found = call(r, "keys.discover", Json.object().put("email", "bob@example.org"));
      assertEquals(1, found.get("keys").size(), found.toString());
      JsonNode k = found.get("keys").get(0);
      assertEquals(bob.key().fingerprint(), k.get("fingerprint").asText());
      assertEquals("VKS", k.get("source").asText());
      assertFalse(k.get("verified").asBoolean());
      assertTrue(found.get("reached").asBoolean());
      assertEquals(
          "unverified",
          call(r, "keys.status", Json.object().put("email", "bob@example.org"))
              .get("status")
              .asText());
      call(r, "keys.verify", Json.object().put("fingerprint", bob.key().fingerprint()));
      assertEquals(
          "verified",
          call(r, "keys.status", Json.object().put("email", "bob@example.org"))
              .get("status")
              .asText());

      JsonNode none = call(r, "keys.discover", Json.object().put("email", "nobody@example.org"));
      assertEquals(0, none.get("keys").size());
      assertEquals("NOT_FOUND", none.get("attempts").get(0).get("outcome").asText());
      assertEquals(
          RpcError.INVALID_PARAMS,
          assertThrows(
                  RpcException.class,
                  () -> call(r, "keys.discover", Json.object().put("email", "not an address")))
              .error());
    }
  }
}
