package org.sceau.bitmessage.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.PowDifficulty;

/**
 * The mailbox's own logic (state machine, storage, PoW queue) over an in-memory network double. The
 * same flows over real nodes and sockets are in {@link LoopbackNetworkTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MailboxTest {
  static final PowDifficulty TINY = new PowDifficulty(1, 1);

  /**
   * A thousand times the real network's: minutes of search, so a test that needs a running proof of
   * work never sees it end by luck (it is closed long before).
   */
  static final PowDifficulty SLOW = new PowDifficulty(1_000_000, 1000);

  final MutableClock clock = new MutableClock();
  final LocalNetwork net = new LocalNetwork(TINY, clock);
  final List<Mailbox> open = new ArrayList<>();

  final class Events implements MailboxListener {
    final List<InboxMessage> received = new CopyOnWriteArrayList<>();
    final List<OutboxMessage> acked = new CopyOnWriteArrayList<>();
    final List<PowStatus> progress = new CopyOnWriteArrayList<>();

    @Override
    public void received(InboxMessage m) {
      received.add(m);
    }

    @Override
    public void acked(OutboxMessage m) {
      acked.add(m);
    }

    @Override
    public void powProgress(PowStatus s) {
      progress.add(s);
    }
  }

  MailboxConfig config(PowDifficulty min) {
    return MailboxConfig.defaults()
        .withMinimumDifficulty(min)
        .withPowThreads(1)
        .withTick(Duration.ofMillis(100))
        .withClock(clock);
  }

  Mailbox open(MailboxStore store, Events events) throws MailboxException {
    return open(store, events, TINY);
  }

  Mailbox open(MailboxStore store, Events events, PowDifficulty min) throws MailboxException {
    Mailbox m = Mailbox.open(config(min), store, net.endpoint(), events);
    open.add(m);
    return m;
  }

  @AfterEach
  void close() {
    open.forEach(Mailbox::close);
  }

  static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  static OutboxState state(Mailbox m, String id) {
    try {
      return m.sent(id).orElseThrow().state();
    } catch (MailboxException e) {
      throw new AssertionError(e);
    }
  }

  static OutboxMessage view(Mailbox m, String id) {
    try {
      return m.sent(id).orElseThrow();
    } catch (MailboxException e) {
      throw new AssertionError(e);
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

  @Test
  void messageArrivesAndTheAckComesBack() throws Exception {
    Events ea = new Events();
    Events eb = new Events();
    Mailbox a = open(new MemoryStore(), ea);
    Mailbox b = open(new MemoryStore(), eb);
    String alice = a.newIdentity("alice").address();
    String bob = b.newIdentity("bob").address();
    await("bob's pubkey", () -> published(b, bob));

    String id = a.send(alice, bob, "Hello", "First line\nsecond line", null);
    await("the ack", () -> state(a, id) == OutboxState.ACKED);

    InboxMessage got = b.inbox(10).get(0);
    assertEquals(alice, got.from());
    assertEquals(bob, got.to());
    assertEquals("Hello", got.subject());
    assertEquals("First line\nsecond line", got.body());
    assertEquals(got, b.message(got.id()).orElseThrow());
    assertEquals(1, eb.received.size());
    assertEquals(id, ea.acked.get(0).id());
    assertTrue(a.sent(id).orElseThrow().ackExpected());

    // Bob replies without a getpubkey: the msg carried Alice's keys.
    int before = net.published.size();
    String reply = b.send(bob, alice, "Re: Hello", "ok", null);
    await("the reply's ack", () -> state(b, reply) == OutboxState.ACKED);
    assertTrue(
        net.published.subList(before, net.published.size()).stream()
            .noneMatch(o -> o.objectType() == BitmessageObject.GETPUBKEY));
  }

  @Test
  void unknownPubkeyIsRequestedAndTheOwnerAnswers() throws Exception {
    Mailbox a = open(new MemoryStore(), new Events());
    Mailbox b = open(new MemoryStore(), new Events());
    String alice = a.newIdentity("").address();
    String bob = b.newIdentity("").address();
    await("bob's pubkey", () -> published(b, bob));
    // Bob's pubkey expires from the inventory: Alice must ask for it, and Bob (whose pubkey is
    // older than 28 days) answers.
    clock.advance(Duration.ofDays(29));
    String id = a.send(alice, bob, "s", "b", null);
    await("the ack", () -> state(a, id) == OutboxState.ACKED);
    assertTrue(net.published.stream().anyMatch(o -> o.objectType() == BitmessageObject.GETPUBKEY));
    // Alice's, Bob's first one, and Bob's answer.
    assertEquals(
        3, net.published.stream().filter(o -> o.objectType() == BitmessageObject.PUBKEY).count());
  }

  @Test
  void noAckWithinTheTtlMeansResendWithTwiceTheTtl() throws Exception {
    MemoryStore bobStore = new MemoryStore();
    Mailbox b = open(bobStore, new Events());
    String bob = b.newIdentity("").address();
    await("bob's pubkey", () -> published(b, bob));
    b.close(); // Bob is away

    Mailbox a = open(new MemoryStore(), new Events());
    String alice = a.newIdentity("").address();
    String id = a.send(alice, bob, "s", "b", Duration.ofHours(1));
    await("sent", () -> state(a, id) == OutboxState.SENT);
    assertEquals(0, a.sent(id).orElseThrow().attempts());

    clock.advance(Duration.ofMinutes(75)); // past 1.1 × (TTL + up to 300 s of jitter)
    await("resent", () -> view(a, id).attempts() == 1);
    await("sent again", () -> state(a, id) == OutboxState.SENT);
    assertEquals(Duration.ofHours(2), a.sent(id).orElseThrow().ttl());

    // Bob comes back: he reads what the inventory holds, and his ack settles it.
    Mailbox b2 = open(bobStore, new Events());
    await("the ack", () -> state(a, id) == OutboxState.ACKED);
    assertFalse(b2.inbox(10).isEmpty());
  }

  @Test
  void closedMidProofOfWorkResumesOnTheSameStore() throws Exception {
    MemoryStore aliceStore = new MemoryStore();
    Mailbox a = open(aliceStore, new Events());
    Mailbox b = open(new MemoryStore(), new Events());
    String alice = a.newIdentity("").address();
    String bob = b.newIdentity("").address();
    await("pubkeys", () -> published(a, alice) && published(b, bob));
    a.close();

    // A high difficulty: minutes of work, so the close lands during it.
    Events slow = new Events();
    Mailbox a2 = open(aliceStore, slow, SLOW);
    String id = a2.send(alice, bob, "s", "b", null);
    await("proof of work running", () -> a2.powStatus().running());
    assertEquals(OutboxState.DOING_POW, state(a2, id));
    a2.close();

    Mailbox a3 = open(aliceStore, new Events());
    assertEquals(OutboxState.DOING_POW, state(a3, id));
    await("the ack after the restart", () -> state(a3, id) == OutboxState.ACKED);
    assertEquals(1, b.inbox(10).size());
  }

  @Test
  void progressIsReportedWhileTheProofOfWorkRuns() throws Exception {
    Events e = new Events();
    Mailbox a = open(new MemoryStore(), e, SLOW);
    a.newIdentity("");
    await("progress", () -> !e.progress.isEmpty());
    PowStatus s = e.progress.get(0);
    assertEquals("pubkey", s.job());
    assertTrue(s.expectedTrials() > 1e6, "expected trials " + s.expectedTrials());
    assertEquals(1, s.threads());
  }

  @Test
  void broadcastReachesSubscribersAndChanMembersShareMessages() throws Exception {
    Mailbox a = open(new MemoryStore(), new Events());
    Mailbox b = open(new MemoryStore(), new Events());
    Mailbox c = open(new MemoryStore(), new Events());
    String alice = a.newIdentity("").address();
    b.subscribe(alice, "alice's news");
    String id = a.broadcast(alice, "News", "to all", null);
    await("broadcast sent", () -> state(a, id) == OutboxState.SENT);
    await("broadcast read", () -> inboxSize(b) == 1);
    InboxMessage m = b.inbox(1).get(0);
    assertEquals("broadcast", m.kind());
    assertEquals(alice, m.from());
    assertEquals("to all", m.body());
    // A late subscriber reads the broadcasts still in the inventory.
    c.subscribe(alice, "");
    assertEquals(1, inboxSize(c));

    String chan = a.joinChan("sceau-test-chan").address();
    assertEquals(chan, b.joinChan("sceau-test-chan").address());
    String cid = a.send(chan, chan, "chan", "hello members", null);
    await("chan message read", () -> inboxSize(b) == 2);
    assertEquals(OutboxState.SENT, state(a, cid));
    assertFalse(a.sent(cid).orElseThrow().ackExpected());
  }

  @Test
  void readAndDeletedMessagesStaySoAcrossRestarts() throws Exception {
    MemoryStore bobStore = new MemoryStore();
    Mailbox a = open(new MemoryStore(), new Events());
    Mailbox b = open(bobStore, new Events());
    String alice = a.newIdentity("").address();
    String bob = b.newIdentity("").address();
    await("bob's pubkey", () -> published(b, bob));
    String one = a.send(alice, bob, "one", "1", null);
    String two = a.send(alice, bob, "two", "2", null);
    await(
        "both acked",
        () -> state(a, one) == OutboxState.ACKED && state(a, two) == OutboxState.ACKED);
    List<InboxMessage> in = b.inbox(10);
    assertEquals(2, in.size());
    b.markRead(in.get(0).id(), true);
    assertTrue(b.delete(in.get(1).id()));
    assertFalse(b.delete(in.get(1).id()));
    b.close();

    Mailbox b2 = open(bobStore, new Events());
    Thread.sleep(300); // the catch-up over the inventory runs
    List<InboxMessage> after = b2.inbox(10);
    assertEquals(1, after.size());
    assertTrue(after.get(0).read());
    assertTrue(a.delete(one));
    assertTrue(a.sent(one).isEmpty());
  }

  @Test
  void othersTrafficDoesNotTouchTheStore() throws Exception {
    // Every store access counts as use of the helper's vault: others' messages must not keep it
    // from locking itself when idle.
    MemoryStore carolStore = new MemoryStore();
    Mailbox c = open(carolStore, new Events());
    String carol = c.newIdentity("").address();
    c.subscribe(carol, ""); // a subscription too: broadcasts of others are skipped by their tag
    await("carol's pubkey", () -> published(c, carol));
    Mailbox a = open(new MemoryStore(), new Events());
    Mailbox b = open(new MemoryStore(), new Events());
    String alice = a.newIdentity("").address();
    String bob = b.newIdentity("").address();
    await("pubkeys", () -> published(a, alice) && published(b, bob));
    Thread.sleep(300);
    int before = carolStore.accesses();

    String id = a.send(alice, bob, "not for carol", "x", null);
    String bc = a.broadcast(alice, "nor this", "y", null);
    await("acked", () -> state(a, id) == OutboxState.ACKED);
    await("broadcast sent", () -> state(a, bc) == OutboxState.SENT);
    Thread.sleep(300);
    assertEquals(before, carolStore.accesses());
  }

  @Test
  void badInputIsRefusedWithTypedErrors() throws Exception {
    Mailbox a = open(new MemoryStore(), new Events());
    String alice = a.newIdentity("").address();
    String other = "BM-2cXesDBLQAuHbHffcbKkqTZj9giNTt9npa";
    assertEquals(
        MailboxException.Code.BAD_ADDRESS,
        assertThrows(MailboxException.class, () -> a.send(alice, "BM-nope", "s", "b", null))
            .code());
    assertEquals(
        MailboxException.Code.UNKNOWN_IDENTITY,
        assertThrows(MailboxException.class, () -> a.send(other, alice, "s", "b", null)).code());
    assertEquals(
        MailboxException.Code.TOO_LARGE,
        assertThrows(
                MailboxException.class, () -> a.send(alice, other, "s", "x".repeat(300_000), null))
            .code());
    assertEquals(
        MailboxException.Code.INVALID_ARGUMENT,
        assertThrows(
                MailboxException.class, () -> a.send(alice, other, "s", "b", Duration.ofDays(29)))
            .code());
    a.close();
    assertEquals(
        MailboxException.Code.CLOSED, assertThrows(MailboxException.class, a::identities).code());
  }

  static int inboxSize(Mailbox m) {
    try {
      return m.inbox(100).size();
    } catch (MailboxException e) {
      throw new AssertionError(e);
    }
  }
}
