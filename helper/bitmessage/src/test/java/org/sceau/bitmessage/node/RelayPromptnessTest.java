package org.sceau.bitmessage.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.bitmessage.node.NodeFixtures.await;
import static org.sceau.bitmessage.node.NodeFixtures.config;
import static org.sceau.bitmessage.node.NodeFixtures.holds;
import static org.sceau.bitmessage.node.NodeFixtures.loopback;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.NetworkAddress;
import org.sceau.bitmessage.Packet;
import org.sceau.bitmessage.WireMessage;

/**
 * An object is never held back by a timer when a path to it exists: the stem parent hears of the
 * fluff from its child, and a peer that announces but does not serve does not keep the others that
 * have the object from being asked. (Each wait is a failure guard below the timers concerned — the
 * node's 30 s request timeout, the stem's 10 s + Exp(30 s) — not a measurement.)
 */
@Timeout(60)
class RelayPromptnessTest {
  /** Below the shortest stem timer (10 s): a wait that needs it fails. */
  private static final Duration BELOW_STEM_TIMER = Duration.ofSeconds(8);

  /** Below the node's 30 s request timeout: a wait that needs it fails. */
  private static final Duration BELOW_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  /**
   * A Dandelion peer that sends an object by inv may be its stem parent, which chose this node as
   * child and announced with inv (PyBitmessage's 10 %): it is told the object is out, which ends
   * its stem phase. (Before, only the node's other peers were told; on a line the parent learnt it
   * only from its own stem timer.)
   */
  @Test
  void anObjectFromAPossibleStemParentIsAnnouncedBackToIt() throws Exception {
    try (BitmessageNode n = BitmessageNode.start(config(dir.resolve("n")).build());
        RawPeer parent =
            new RawPeer(n.listeningPort())
                .handshake(NetworkAddress.NODE_NETWORK | NetworkAddress.NODE_DANDELION)) {
      BitmessageObject o = NodeFixtures.object();
      byte[] hash = o.inventoryHash();
      parent.send(new WireMessage.Inv(List.of(hash)));
      WireMessage.GetData g =
          (WireMessage.GetData) WireMessage.decode(parent.expect("getdata", BELOW_STEM_TIMER));
      assertArrayEquals(hash, g.hashes().get(0));
      parent.send(new WireMessage.ObjectMessage(o));
      assertTrue(announces(parent, hash), "the inv for it comes back to the sender");
      assertTrue(holds(n, o));
    }
  }

  /** The same through real nodes: a stem that ends one hop away ends at its origin at once. */
  @Test
  void aStemThatEndsOneHopAwayIsFluffedAtTheOriginWithoutItsTimer() throws Exception {
    // b has no outbound peer, so no stem child: whatever a sends it (dinv 1 %, inv 99 %), b
    // fluffs. a, the origin, keeps the object from its inbound peer c until it hears of that.
    try (BitmessageNode b = BitmessageNode.start(config(dir.resolve("b")).build());
        BitmessageNode a =
            BitmessageNode.start(
                config(dir.resolve("a"), loopback(b)).dandelionPercent(1).build());
        BitmessageNode c =
            BitmessageNode.start(config(dir.resolve("c"), loopback(a)).targetOutbound(1).build())) {
      await("a dialled b", BELOW_STEM_TIMER, () -> a.status().outbound().size() == 1);
      await("c dialled a", BELOW_STEM_TIMER, () -> a.status().inbound().size() == 1);
      for (int i = 0; i < 3; i++) {
        BitmessageObject o = NodeFixtures.object();
        a.publish(o);
        await("b has object " + i, BELOW_STEM_TIMER, () -> holds(b, o));
        await("c has object " + i, BELOW_STEM_TIMER, () -> holds(c, o));
      }
    }
  }

  /**
   * A peer that announces an object and then does not serve it (gone from its store, or still in
   * its stem phase) holds up the download only until it is seen to stall: another peer that
   * announced the object is asked then, not at the 30 s request timeout.
   */
  @Test
  void anObjectAnnouncedByAPeerThatDoesNotServeItIsFetchedFromAnotherThatHasIt() throws Exception {
    try (BitmessageNode n =
            BitmessageNode.start(config(dir.resolve("n")).targetOutbound(0).build());
        RawPeer silent = new RawPeer(n.listeningPort()).handshake();
        RawPeer holder = new RawPeer(n.listeningPort()).handshake()) {
      BitmessageObject o = NodeFixtures.object();
      byte[] hash = o.inventoryHash();
      silent.send(new WireMessage.Inv(List.of(hash)));
      WireMessage.GetData first =
          (WireMessage.GetData) WireMessage.decode(silent.expect("getdata", BELOW_STEM_TIMER));
      assertArrayEquals(hash, first.hashes().get(0), "asked from the first that announced it");

      holder.send(new WireMessage.Inv(List.of(hash)));
      WireMessage.GetData second =
          (WireMessage.GetData) WireMessage.decode(holder.expect("getdata", BELOW_REQUEST_TIMEOUT));
      assertArrayEquals(hash, second.hashes().get(0), "then from the one that also has it");
      holder.send(new WireMessage.ObjectMessage(o));
      await("the node has it", BELOW_STEM_TIMER, () -> holds(n, o));

      // The silent peer sending it late after all is no fault: it was asked for it.
      silent.send(new WireMessage.ObjectMessage(o));
      assertTrue(silent.stillServed());
      assertEquals(1, n.status().inventorySize());
    }
  }

  /** Reads until an inv that lists {@code hash}, or the guard runs out. */
  private static boolean announces(RawPeer p, byte[] hash) throws Exception {
    long end = System.nanoTime() + BELOW_STEM_TIMER.toNanos();
    while (System.nanoTime() - end < 0) {
      Packet x = p.read(BELOW_STEM_TIMER);
      if (x.command().equals("inv")) {
        for (byte[] h : ((WireMessage.Inv) WireMessage.decode(x)).hashes()) {
          if (Arrays.equals(h, hash)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
