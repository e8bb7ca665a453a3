package org.sceau.bitmessage.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.node.BitmessageNode;
import org.sceau.bitmessage.node.NodeConfig;

/**
 * Mailboxes over real nodes on loopback sockets (random ports, tiny difficulty): five nodes in a
 * line 1 → 2 → 3 → 4 → 5 (each dials the next), plus a sixth attached to node 3 that goes offline.
 * Each node has its own mailbox and store.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LoopbackMailboxTest {
  static final PowDifficulty TINY = new PowDifficulty(1, 1);

  /**
   * A thousand times the real network's: minutes of search, so a test that needs a running proof of
   * work never sees it end by luck (it is closed long before).
   */
  static final PowDifficulty SLOW = new PowDifficulty(1_000_000, 1000);

  @TempDir Path dir;
  private final List<Peer> peers = new ArrayList<>();

  /** One user's computer: a node and, while "unlocked", a mailbox on its store. */
  final class Peer {
    final String name;
    final Path dataDir;
    final MemoryStore store = new MemoryStore();
    final List<String> bootstrap;
    BitmessageNode node;
    Mailbox box;

    Peer(String name, List<String> bootstrap) throws Exception {
      this.name = name;
      this.dataDir = dir.resolve(name);
      this.bootstrap = bootstrap;
      peers.add(this);
      startNode();
      openMailbox(TINY);
    }

    void startNode() throws Exception {
      node =
          BitmessageNode.start(
              NodeConfig.builder(dataDir)
                  .listenPort(0)
                  .bootstrapPeers(bootstrap)
                  .minimumDifficulty(TINY)
                  .userAgent("/SceauTest:0/")
                  .build());
    }

    void openMailbox(PowDifficulty minimum) throws MailboxException {
      box =
          Mailbox.open(
              MailboxConfig.defaults()
                  .withMinimumDifficulty(minimum)
                  .withPowThreads(1)
                  .withTick(Duration.ofMillis(200)),
              store,
              node,
              null);
    }

    /** Vault locked and helper stopped: the mailbox first, then the node. */
    void stop() {
      if (box != null) {
        box.close();
        box = null;
      }
      if (node != null) {
        node.close();
        node = null;
      }
    }

    String loopback() {
      return "127.0.0.1:" + node.listeningPort();
    }

    String newIdentity() throws Exception {
      String a = box.newIdentity(name).address();
      await(name + "'s pubkey published", () -> published(box, a));
      return a;
    }
  }

  @AfterEach
  void stopAll() {
    peers.forEach(Peer::stop);
  }

  static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long start = System.nanoTime();
    // Well under the node's 30 s request timeout and the 10 s + Exp(30 s) stem timer: a wait that
    // needs either is a bug, not a slow machine.
    long deadline = start + TimeUnit.SECONDS.toNanos(20);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(25);
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    if (ms > 1000) {
      System.out.printf("LoopbackMailboxTest: waited %d ms until %s%n", ms, what);
    }
  }

  static boolean published(Mailbox m, String address) {
    try {
      return m.identities().stream()
          .anyMatch(i -> i.address().equals(address) && i.pubkeyPublished());
    } catch (MailboxException e) {
      throw new AssertionError(e);
    }
  }

  static OutboxState state(Mailbox m, String id) {
    try {
      return m.sent(id).orElseThrow().state();
    } catch (MailboxException e) {
      throw new AssertionError(e);
    }
  }

  static List<InboxMessage> inbox(Mailbox m) {
    try {
      return m.inbox(100);
    } catch (MailboxException e) {
      throw new AssertionError(e);
    }
  }

  static boolean has(Mailbox m, String subject) {
    return inbox(m).stream().anyMatch(i -> i.subject().equals(subject));
  }

  @Test
  void fiveNodesCarryMessagesAcksBroadcastsAndSurviveRestartsAndAbsences() throws Exception {
    Peer[] n = new Peer[6];
    n[5] = new Peer("n5", List.of());
    for (int i = 4; i >= 1; i--) {
      n[i] = new Peer("n" + i, List.of(n[i + 1].loopback()));
    }
    for (int i = 1; i <= 4; i++) {
      BitmessageNode node = n[i].node;
      await("node " + i + " connected", () -> node.status().outbound().size() == 1);
    }
    String alice = n[1].newIdentity();
    String bob = n[5].newIdentity();
    String carol = n[2].newIdentity();

    // 1. A message from node 1 reaches node 5 through the others; the ack comes back.
    long t0 = System.nanoTime();
    String m1 = n[1].box.send(alice, bob, "over five nodes", "hello bob", null);
    await("bob has the message", () -> has(n[5].box, "over five nodes"));
    InboxMessage got = inbox(n[5].box).get(0);
    assertEquals(alice, got.from());
    assertEquals("hello bob", got.body());
    await("alice's message acked", () -> state(n[1].box, m1) == OutboxState.ACKED);
    assertEquals(1, n[5].node.status().inbound().size(), "node 5 only has node 4");
    assertEquals(0, n[5].node.status().outbound().size());

    t0 = step("message 1 -> 5 and its ack", t0);

    // 2. A broadcast reaches a subscriber two hops away.
    n[3].box.subscribe(alice, "alice");
    String b1 = n[1].box.broadcast(alice, "alice's news", "to my subscribers", null);
    await("broadcast read at node 3", () -> has(n[3].box, "alice's news"));
    assertEquals(OutboxState.SENT, state(n[1].box, b1));

    t0 = step("broadcast to a subscriber", t0);

    // 3. A node offline while a message is sent receives it when it reconnects within the TTL.
    Peer six = new Peer("n6", List.of(n[3].loopback()));
    await("node 6 connected", () -> six.node.status().outbound().size() == 1);
    String dave = six.newIdentity();
    // Dave leaves once his pubkey is out (alice's node holds all four).
    try {
      await("dave's pubkey reached node 1", () -> count(n[1], 1) >= 4);
    } catch (AssertionError e) {
      for (int i = 1; i <= 5; i++) {
        System.out.println(
            "DIAG node " + i + " pubkeys=" + count(n[i], 1) + " " + n[i].node.status());
      }
      System.out.println("DIAG node 6 pubkeys=" + count(six, 1) + " " + six.node.status());
      throw e;
    }
    six.stop();
    String m2 = n[1].box.send(alice, dave, "while you were away", "hi dave", null);
    await("sent to dave", () -> state(n[1].box, m2) == OutboxState.SENT);
    await("the msg reached node 3", () -> inventoryHoldsMsgFor(n[3]));
    six.startNode();
    six.openMailbox(TINY);
    await("dave has it", () -> has(six.box, "while you were away"));
    await("dave's ack reached alice", () -> state(n[1].box, m2) == OutboxState.ACKED);

    t0 = step("offline node receives after reconnecting", t0);

    // 4. A node restarted in the middle of a proof of work finishes it and sends. Its first run
    // works at a high difficulty (minutes), so the stop lands during the search.
    n[2].box.close();
    n[2].openMailbox(SLOW);
    String m3 = n[2].box.send(carol, bob, "after a restart", "hello again", null);
    await("carol's proof of work running", () -> n[2].box.powStatus().running());
    assertEquals(OutboxState.DOING_POW, state(n[2].box, m3));
    n[2].stop();
    n[2].startNode(); // dials node 3 again from the same data directory
    n[2].openMailbox(TINY);
    assertEquals(OutboxState.DOING_POW, state(n[2].box, m3));
    await("bob has carol's message", () -> has(n[5].box, "after a restart"));
    await("carol's message acked", () -> state(n[2].box, m3) == OutboxState.ACKED);
    assertTrue(inbox(n[5].box).stream().anyMatch(i -> i.from().equals(carol)));
    step("restart mid-PoW, then sent and acked", t0);
  }

  private static long step(String what, long since) {
    long now = System.nanoTime();
    System.out.printf("LoopbackMailboxTest: %s in %d ms%n", what, (now - since) / 1_000_000);
    return now;
  }

  /** Objects of {@code type} in the node's inventory. */
  private static int count(Peer p, long type) {
    int[] count = {0};
    p.node.forEachObject(
        o -> {
          if (o.objectType() == type) {
            count[0]++;
          }
        });
    return count[0];
  }

  /** Whether node 3's inventory holds a msg bigger than an ack (the one to dave). */
  private static boolean inventoryHoldsMsgFor(Peer p) {
    int[] count = {0};
    p.node.forEachObject(
        o -> {
          if (o.objectType() == 2 && o.payloadLength() > 32) {
            count[0]++;
          }
        });
    return count[0] >= 2;
  }
}
