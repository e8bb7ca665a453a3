package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sceau.app.client.HelperClient;
import org.sceau.app.rpc.Json;
import org.sceau.net.testing.LoopbackSocks5Proxy;

/**
 * The product's IP-privacy promise through the real helper process: with SCEAU_PROXY set, mail's
 * key discovery and the Bitmessage node both connect through the SOCKS5 proxy, by name (resolved by
 * the proxy, not this machine), on separate isolation tokens, and the node listens nowhere.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyInHelperIT {

  @Test
  void mailAndBitmessageConnectOnlyThroughTheProxy() throws Exception {
    int bmPort = BitmessageInHelperIT.freePort();
    try (LoopbackSocks5Proxy proxy = new LoopbackSocks5Proxy();
        Sandbox s = BitmessageInHelperIT.bmSandbox(bmPort, "peer.sceau.test:8444")) {
      s.env.put("SCEAU_PROXY", "socks5://127.0.0.1:" + proxy.port());
      s.startHelper();
      try (HelperClient c = HelperClient.connect(s.socket())) {
        c.call("vault.create", Json.object().put("passphrase", "a long test passphrase"));

        // Nothing answers for example.org behind this proxy: what matters is where the helper
        // asked.
        JsonNode found = c.call("keys.discover", Json.object().put("email", "bob@example.org"));
        assertEquals(0, found.path("keys").size(), found.toString());

        BitmessageInHelperIT.await(
            "the node asked the proxy for its peer",
            () -> proxy.requests().stream().anyMatch(r -> r.host().equals("peer.sceau.test")));
        JsonNode status = c.call("bm.status", null);
        assertEquals(-1, status.path("node").path("listeningPort").asInt(), status.toString());
      }
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), bmPort)) {
        throw new AssertionError("the node listens on " + bmPort + " although proxied");
      } catch (ConnectException expected) {
        // nothing listens
      }

      List<LoopbackSocks5Proxy.Request> requests = proxy.requests();
      assertFalse(requests.isEmpty());
      for (LoopbackSocks5Proxy.Request r : requests) {
        assertEquals(3, r.addressType(), "every destination travels as a name: " + r);
      }
      assertTrue(
          requests.stream()
              .anyMatch(
                  r -> r.host().equals("openpgpkey.example.org") && "sceau-mail".equals(r.user())),
          "WKD's advanced method went through the proxy: " + requests);
      assertTrue(
          requests.stream()
              .anyMatch(r -> r.host().equals("keys.openpgp.org") && "sceau-mail".equals(r.user())),
          "the key server lookup went through the proxy: " + requests);
      assertTrue(
          requests.stream()
              .anyMatch(
                  r -> r.host().equals("peer.sceau.test") && "sceau-bitmessage".equals(r.user())),
          "the Bitmessage node is isolated from mail: " + requests);
    }
  }
}
