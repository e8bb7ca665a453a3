package org.sceau.bitmessage.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.bitmessage.node.NodeFixtures.await;
import static org.sceau.bitmessage.node.NodeFixtures.config;
import static org.sceau.bitmessage.node.NodeFixtures.holds;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.net.Outbound;
import org.sceau.net.ProxySettings;
import org.sceau.net.testing.LoopbackSocks5Proxy;

/** With a SOCKS5 proxy: peers reached only through it, names resolved by it, nothing listening. */
@Timeout(60)
class ProxyTest {
  @TempDir Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void everyPeerConnectionGoesThroughTheProxyAndNothingListens() throws Exception {
    int configuredPort = freePort();
    try (LoopbackSocks5Proxy proxy =
            new LoopbackSocks5Proxy().resolve("peer.test").resolve("second.test");
        BitmessageNode b = BitmessageNode.start(config(dir.resolve("b")).build());
        BitmessageNode c = BitmessageNode.start(config(dir.resolve("c")).build());
        BitmessageNode a =
            BitmessageNode.start(
                config(dir.resolve("a"), "peer.test:" + b.listeningPort())
                    .listenPort(configuredPort)
                    .outbound(
                        Outbound.from(ProxySettings.parse("socks5://127.0.0.1:" + proxy.port())))
                    .build())) {
      await("a reaches b", Duration.ofSeconds(10), () -> a.status().outbound().size() == 1);
      a.connect("second.test", c.listeningPort());
      await("a reaches c", Duration.ofSeconds(10), () -> a.status().outbound().size() == 2);

      // Nothing listens, though a port was configured.
      assertEquals(-1, a.listeningPort());
      assertTrue(a.status().listeningPort().isEmpty());
      assertTrue(a.status().inbound().isEmpty());
      assertThrows(
          ConnectException.class,
          () -> new Socket(InetAddress.getLoopbackAddress(), configuredPort).close());

      // Every connection was a CONNECT to a name (SOCKS5 address type 3) that only the proxy knew.
      assertEquals(2, proxy.requests().size());
      for (LoopbackSocks5Proxy.Request r : proxy.requests()) {
        assertEquals(3, r.addressType(), "sent as a name, not resolved here");
        assertTrue(r.host().endsWith(".test"));
      }
      assertEquals(
          "peer.test:" + b.listeningPort(),
          a.status().outbound().stream()
              .map(NodeStatus.Peer::address)
              .filter(x -> x.startsWith("peer"))
              .findFirst()
              .orElseThrow());

      // Objects flow both ways through the proxied connections.
      BitmessageObject fromA = NodeFixtures.object();
      a.publish(fromA);
      await("b holds a's object", Duration.ofSeconds(20), () -> holds(b, fromA));
      await("c holds a's object", Duration.ofSeconds(20), () -> holds(c, fromA));
      BitmessageObject fromB = NodeFixtures.object();
      b.publish(fromB);
      await("a holds b's object", Duration.ofSeconds(10), () -> holds(a, fromB));
      assertFalse(a.status().outbound().isEmpty());
    }
  }
}
