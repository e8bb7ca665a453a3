package org.sceau.bitmessage.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.bitmessage.node.NodeFixtures.await;
import static org.sceau.bitmessage.node.NodeFixtures.config;
import static org.sceau.bitmessage.node.NodeFixtures.loopback;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.bitmessage.NetworkAddress;
import org.sceau.bitmessage.WireMessage;

/** addr gossip into the known-nodes store, and bootstrap from its file after a restart. */
@Timeout(60)
class GossipTest {
  private static final Duration SHORT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void learnsPeersFromAddrAndReconnectsFromTheKnownNodesFile() throws Exception {
    try (BitmessageNode c =
            BitmessageNode.start(config(dir.resolve("c")).privatePeers(true).build());
        BitmessageNode b =
            BitmessageNode.start(
                config(dir.resolve("b"), loopback(c)).privatePeers(true).build())) {
      await("b is connected to c", SHORT, () -> b.status().outbound().size() == 1);
      Path aDir = dir.resolve("a");
      try (BitmessageNode a =
          BitmessageNode.start(config(aDir, loopback(b)).privatePeers(true).build())) {
        // b tells a about c in its addr; a dials c too (target 8 outbound).
        await("a learnt c and dialled it", SHORT, () -> a.status().outbound().size() == 2);
      }
      String file = Files.readString(aDir.resolve("knownnodes.txt"));
      assertTrue(file.contains("127.0.0.1:" + c.listeningPort()), file);

      // No bootstrap at all now: the known-nodes file is enough.
      try (BitmessageNode a = BitmessageNode.start(config(aDir).privatePeers(true).build())) {
        await("a reconnects from its file", SHORT, () -> a.status().outbound().size() == 2);
      }
    }
  }

  @Test
  void twoNodesDiallingEachOtherKeepOneConnection() throws Exception {
    try (BitmessageNode a =
            BitmessageNode.start(config(dir.resolve("a")).targetOutbound(1).build());
        BitmessageNode b =
            BitmessageNode.start(config(dir.resolve("b")).targetOutbound(1).build())) {
      a.connect("127.0.0.1", b.listeningPort());
      b.connect("127.0.0.1", a.listeningPort());
      await(
          "one connection each",
          SHORT,
          () -> a.status().connections() == 1 && b.status().connections() == 1);
      org.sceau.bitmessage.BitmessageObject o = NodeFixtures.object();
      a.publish(o);
      await("it still carries objects", SHORT, () -> NodeFixtures.holds(b, o));
    }
  }

  @Test
  void keepsTheOutboundTargetAndRefusesInboundBeyondTheLimit() throws Exception {
    try (BitmessageNode p1 = BitmessageNode.start(config(dir.resolve("p1")).build());
        BitmessageNode p2 = BitmessageNode.start(config(dir.resolve("p2")).build());
        BitmessageNode p3 = BitmessageNode.start(config(dir.resolve("p3")).build());
        BitmessageNode n =
            BitmessageNode.start(
                config(dir.resolve("n"), loopback(p1), loopback(p2), loopback(p3))
                    .targetOutbound(2)
                    .maxInbound(1)
                    .build())) {
      await("two outbound", SHORT, () -> n.status().outbound().size() == 2);
      int inbound =
          p1.status().inbound().size()
              + p2.status().inbound().size()
              + p3.status().inbound().size();
      assertEquals(2, inbound, "the third bootstrap peer was not dialled");

      try (RawPeer first = new RawPeer(n.listeningPort()).handshake();
          RawPeer second = new RawPeer(n.listeningPort())) {
        second.send(RawPeer.version(3, NodeFixtures.now()));
        WireMessage.ErrorMessage e =
            (WireMessage.ErrorMessage) WireMessage.decode(second.expect("error", SHORT));
        assertTrue(e.text().contains("Server full"));
        assertTrue(second.closedByNode(SHORT));
        assertTrue(first.stillServed());
      }
    }
  }

  @Test
  void forgetsKnownNodesThatKeepFailing() throws Exception {
    int dead;
    int alsoDead;
    try (java.net.ServerSocket s1 = new java.net.ServerSocket(0);
        java.net.ServerSocket s2 = new java.net.ServerSocket(0)) {
      dead = s1.getLocalPort();
      alsoDead = s2.getLocalPort();
    }
    Path d = dir.resolve("f");
    Files.createDirectories(d);
    Files.writeString(
        d.resolve("knownnodes.txt"), "127.0.0.1:" + dead + " " + NodeFixtures.now() + "\n");
    try (BitmessageNode n = BitmessageNode.start(config(d, "127.0.0.1:" + alsoDead).build())) {
      assertEquals(1, n.status().knownNodes());
      // Three refused connections (after 0, 1 and 2 s of back-off): the gossiped address goes.
      await("the dead address is forgotten", SHORT, () -> n.status().knownNodes() == 0);
    }
    assertTrue(Files.readString(d.resolve("knownnodes.txt")).isBlank());
  }

  @Test
  void addrEntriesAreFilteredAndBounded() throws Exception {
    // targetOutbound 0: the test must not dial the (unroutable, documentation-range) address.
    try (BitmessageNode n =
            BitmessageNode.start(config(dir.resolve("n")).targetOutbound(0).build());
        RawPeer p = new RawPeer(n.listeningPort()).handshake()) {
      long now = NodeFixtures.now();
      byte[] loop = RawPeer.version(3, now).receiver().ip();
      byte[] pub = new byte[16];
      pub[10] = (byte) 0xff;
      pub[11] = (byte) 0xff;
      pub[12] = (byte) 198;
      pub[13] = 51;
      pub[14] = 100;
      pub[15] = 7;
      p.send(
          new WireMessage.Addr(
              List.of(
                  new NetworkAddress(now, 1, 1, loop, 8444), // loopback: not a public node
                  new NetworkAddress(now, 2, 1, pub, 8444), // another stream
                  new NetworkAddress(now - 86400, 1, 1, pub, 8445), // stale
                  new NetworkAddress(now, 1, 1, pub, 0), // no port
                  new NetworkAddress(now, 1, 1, pub, 8444)))); // the one to keep
      assertTrue(p.stillServed());
      assertEquals(1, n.status().knownNodes());
    }
  }
}
