package org.sceau.bitmessage.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.bitmessage.node.NodeFixtures.await;
import static org.sceau.bitmessage.node.NodeFixtures.config;
import static org.sceau.bitmessage.node.NodeFixtures.holds;
import static org.sceau.bitmessage.node.NodeFixtures.loopback;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.bitmessage.BitmessageObject;

/** Real nodes on loopback sockets, random ports. */
@Timeout(60)
class LoopbackNetworkTest {
  @TempDir Path dir;
  private final List<BitmessageNode> nodes = new ArrayList<>();

  @AfterEach
  void closeAll() {
    nodes.forEach(BitmessageNode::close);
  }

  private BitmessageNode start(NodeConfig c) throws Exception {
    BitmessageNode n = BitmessageNode.start(c);
    nodes.add(n);
    return n;
  }

  /**
   * A line 1 → 2 → 3 → 4 → 5 (each dials the next; addresses on loopback are not gossiped, so the
   * line stays a line): an object published at node 1 stems along the line by Dandelion until a hop
   * fluffs it (node 5 at the latest), and the fluff travels back; every node ends up holding it,
   * node 5 only through the others.
   */
  @Test
  void objectPublishedAtNodeOneReachesNodeFiveThroughTheOthers() throws Exception {
    BitmessageNode[] line = new BitmessageNode[6];
    // The default Dandelion setting: a hop that announces to its child with inv (10 %) ends the
    // stem there, and the child tells it so; no hop waits for its 10 s + Exp(30 s) timer.
    line[5] = start(config(dir.resolve("n5")).build());
    for (int i = 4; i >= 1; i--) {
      line[i] = start(config(dir.resolve("n" + i), loopback(line[i + 1])).build());
    }
    for (int i = 1; i <= 4; i++) {
      BitmessageNode n = line[i];
      await(
          "node " + i + " is connected",
          Duration.ofSeconds(10),
          () -> n.status().outbound().size() == 1);
    }
    List<BitmessageObject> seenAtFive = new CopyOnWriteArrayList<>();
    line[5].subscribe(seenAtFive::add);
    assertEquals(0, line[5].status().outbound().size());
    assertEquals(1, line[5].status().inbound().size());

    BitmessageObject o = NodeFixtures.object();
    line[1].publish(o);

    await("node 5 holds the object", Duration.ofSeconds(20), () -> holds(line[5], o));
    for (int i = 1; i <= 5; i++) {
      BitmessageNode n = line[i];
      await("node " + i + " holds the object", Duration.ofSeconds(20), () -> holds(n, o));
    }
    await("node 5's listener saw it", Duration.ofSeconds(5), () -> seenAtFive.size() == 1);
    assertTrue(Arrays.equals(seenAtFive.get(0).inventoryHash(), o.inventoryHash()));
    assertEquals(1, line[5].status().objectsReceived());

    // A sixth node, attached to node 3, goes offline; an object published meanwhile reaches it
    // when it comes back (same data directory, within the object's TTL): inventory sync.
    Path sixDir = dir.resolve("n6");
    BitmessageNode six = start(config(sixDir, loopback(line[3])).build());
    await("node 6 synced", Duration.ofSeconds(10), () -> holds(six, o));
    six.close();
    nodes.remove(six);
    await(
        "node 3 saw node 6 leave",
        Duration.ofSeconds(10),
        () -> line[3].status().connections() == 2);

    BitmessageObject later = NodeFixtures.object();
    line[1].publish(later);
    await("node 5 holds the later object", Duration.ofSeconds(20), () -> holds(line[5], later));

    BitmessageNode back = start(config(sixDir, loopback(line[3])).build());
    assertTrue(holds(back, o), "the inventory survives a restart");
    await("node 6 catches up after reconnecting", Duration.ofSeconds(20), () -> holds(back, later));
    await("sync finished", Duration.ofSeconds(10), () -> !back.status().syncInProgress());
    assertEquals(2, back.status().inventorySize());
  }
}
