package org.sceau.bitmessage.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.bitmessage.node.NodeFixtures.await;
import static org.sceau.bitmessage.node.NodeFixtures.config;
import static org.sceau.bitmessage.node.NodeFixtures.holds;
import static org.sceau.bitmessage.node.NodeFixtures.loopback;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.Packet;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.WireMessage;

/**
 * Own objects: never stuck (PyBitmessage #1578/#1155), Dandelion stem as PyBitmessage does it, and
 * the ObjectNetwork guarantees.
 */
@Timeout(60)
class OwnObjectsTest {
  private static final Duration SHORT = Duration.ofSeconds(8);

  @TempDir Path dir;

  @Test
  void objectPublishedWithNoPeerReachesTheFirstPeerThatConnects() throws Exception {
    try (BitmessageNode a = BitmessageNode.start(config(dir.resolve("a")).build())) {
      BitmessageObject o = NodeFixtures.object();
      a.publish(o);
      assertEquals(0, a.status().connections());
      try (BitmessageNode b = BitmessageNode.start(config(dir.resolve("b"), loopback(a)).build())) {
        await("the first peer (inbound to a) gets it", SHORT, () -> holds(b, o));
      }
    }
  }

  @Test
  void objectPublishedWithNoPeerReachesAPeerTheNodeDialsLater() throws Exception {
    try (BitmessageNode b = BitmessageNode.start(config(dir.resolve("b")).build());
        BitmessageNode a = BitmessageNode.start(config(dir.resolve("a")).build())) {
      BitmessageObject o = NodeFixtures.object();
      a.publish(o);
      a.connect("127.0.0.1", b.listeningPort());
      await("the stem-capable outbound peer gets it", SHORT, () -> holds(b, o));
    }
  }

  @Test
  void withOnlyInboundPeersAnOwnObjectIsAnnouncedToEveryPeer() throws Exception {
    try (BitmessageNode a = BitmessageNode.start(config(dir.resolve("a")).build());
        BitmessageNode b = BitmessageNode.start(config(dir.resolve("b"), loopback(a)).build());
        BitmessageNode c = BitmessageNode.start(config(dir.resolve("c"), loopback(a)).build())) {
      await("two inbound peers", SHORT, () -> a.status().inbound().size() == 2);
      BitmessageObject o = NodeFixtures.object();
      a.publish(o);
      // No stem (no outbound peer): announced at once, well before any stem timeout (≥ 10 s).
      await("b gets it", SHORT, () -> holds(b, o));
      await("c gets it", SHORT, () -> holds(c, o));
    }
  }

  @Test
  void stemGoesOnlyToTheChildAndIsFluffedWhenTheChildLeaves() throws Exception {
    try (ServerSocket childServer = new ServerSocket(0);
        BitmessageNode a =
            BitmessageNode.start(config(dir.resolve("a")).dandelionPercent(100).build())) {
      a.connect("127.0.0.1", childServer.getLocalPort());
      RawPeer child = new RawPeer(childServer.accept()).handshakeAsServer();
      await("the child is an outbound peer", SHORT, () -> a.status().outbound().size() == 1);
      try (RawPeer other = new RawPeer(a.listeningPort()).handshake()) {
        BitmessageObject o = NodeFixtures.object();
        byte[] hash = o.inventoryHash();
        a.publish(o);

        Packet dinv = child.expect("dinv", SHORT);
        assertArrayEquals(hash, ((WireMessage.Dinv) WireMessage.decode(dinv)).hashes().get(0));

        // A peer that was not offered the stem object cannot fetch it.
        other.send(new WireMessage.GetData(List.of(hash)));
        other.send(new WireMessage.Ping());
        assertEquals("pong", nextNotInv(other).command(), "no object before the pong");

        // The child can.
        child.send(new WireMessage.GetData(List.of(hash)));
        Packet obj = child.expect("object", SHORT);
        assertEquals(o, ((WireMessage.ObjectMessage) WireMessage.decode(obj)).object());

        // The child leaves before passing it on: the node fluffs to everyone left.
        child.close();
        Packet inv = other.expect("inv", SHORT);
        assertArrayEquals(hash, ((WireMessage.Inv) WireMessage.decode(inv)).hashes().get(0));
      }
    }
  }

  private static Packet nextNotInv(RawPeer p) throws Exception {
    while (true) {
      Packet x = p.read(SHORT);
      if (!x.command().equals("inv") && !x.command().equals("addr")) {
        return x;
      }
    }
  }

  @Test
  void publishRefusesWhatPeersWouldRefuseAndListenersSeeEachObjectOnce() throws Exception {
    try (BitmessageNode a =
        BitmessageNode.start(
            config(dir.resolve("a")).minimumDifficulty(new PowDifficulty(1000, 1000)).build())) {
      BitmessageObject weak = NodeFixtures.object();
      assertThrows(IllegalArgumentException.class, () -> a.publish(weak));
      BitmessageObject wrongStream =
          NodeFixtures.solve(
              new BitmessageObject(
                  0, NodeFixtures.now() + 3600, BitmessageObject.MSG, 1, 2, new byte[50]),
              NodeFixtures.TINY,
              NodeFixtures.now());
      assertThrows(IllegalArgumentException.class, () -> a.publish(wrongStream));
    }
    try (BitmessageNode a = BitmessageNode.start(config(dir.resolve("b")).build())) {
      List<BitmessageObject> seen = new CopyOnWriteArrayList<>();
      AutoCloseable sub = a.subscribe(seen::add);
      BitmessageObject o = NodeFixtures.object();
      a.publish(o);
      a.publish(o);
      assertEquals(List.of(o), seen);
      sub.close();
      a.publish(NodeFixtures.object());
      assertEquals(1, seen.size());
      assertEquals(2, a.status().inventorySize());
    }
  }

  @Test
  void inventorySurvivesARestart() throws IOException {
    Path d = dir.resolve("r");
    BitmessageObject o = NodeFixtures.object();
    try (BitmessageNode a = BitmessageNode.start(config(d).build())) {
      a.publish(o);
    }
    try (BitmessageNode a = BitmessageNode.start(config(d).build())) {
      assertTrue(holds(a, o));
      assertEquals(1, a.status().inventorySize());
    }
  }

  @Test
  void twoNodesCannotShareADataDirectory() throws IOException {
    Path d = dir.resolve("shared");
    try (BitmessageNode a = BitmessageNode.start(config(d).build())) {
      IOException e =
          assertThrows(IOException.class, () -> BitmessageNode.start(config(d).build()));
      assertTrue(e.getMessage().contains("another Bitmessage node"));
      a.publish(NodeFixtures.object());
    }
    try (BitmessageNode again = BitmessageNode.start(config(d).build())) {
      assertEquals(1, again.status().inventorySize(), "free again once the first one closed");
    }
  }
}
