package org.sceau.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.PayloadKind;

class ChatClientTest {
  private LoopbackRelay relay;
  private Peer.TestClock clock;
  private Peer alice;
  private Peer bob;
  private Peer carol;

  @BeforeEach
  void setUp() throws Exception {
    relay = new LoopbackRelay();
    clock = new Peer.TestClock();
    alice = new Peer("alice", relay, clock).online();
    bob = new Peer("bob", relay, clock).online();
    carol = new Peer("carol", relay, clock).online();
  }

  @AfterEach
  void tearDown() {
    alice.close();
    bob.close();
    carol.close();
  }

  private Conversation oneToOne() throws Exception {
    Conversation c = alice.client.startConversation(bob.id());
    Peer.await(() -> bob.joined.contains(c.id()), "bob joins");
    return c;
  }

  @Test
  void oneToOneBothWaysWithDeliveryReceipts() throws Exception {
    Conversation a = oneToOne();
    String id = a.send("hello bob");
    ChatMessage got = bob.awaitMessage("hello bob");
    assertEquals(alice.id(), got.sender());
    Peer.await(() -> alice.receipts.stream().anyMatch(r -> r.messageId().equals(id)), "receipt");
    assertEquals(bob.id(), alice.receipts.get(0).recipient());

    Conversation b = bob.client.conversation(a.id());
    b.send("hi alice");
    assertEquals(bob.id(), alice.awaitMessage("hi alice").sender());
    assertEquals(List.of(alice.id(), bob.id()), b.members());
    assertArrayEquals(a.epochAuthenticator(), b.epochAuthenticator());
    assertEquals(2, b.history().size());
    assertTrue(alice.rejected.isEmpty() && bob.rejected.isEmpty());
  }

  @Test
  void groupAddAndRemoveRemovedMemberCannotRead() throws Exception {
    Conversation a = oneToOne();
    a.add(carol.id());
    Peer.await(() -> carol.joined.contains(a.id()), "carol joins");
    a.send("welcome carol");
    carol.awaitMessage("welcome carol");
    bob.awaitMessage("welcome carol");
    carol.client.conversation(a.id()).send("thanks");
    alice.awaitMessage("thanks");
    bob.awaitMessage("thanks");

    a.remove(carol.id());
    Peer.await(
        () -> carol.ended.contains(a.id()),
        () -> "carol sees her removal (rejected " + carol.rejected + ")");
    Peer.await(() -> epochOf(bob, a) == safeEpoch(a), "bob follows");
    a.send("secret after carol left");
    bob.awaitMessage("secret after carol left");
    assertEquals(List.of(alice.id(), bob.id()), a.members());

    // The relay (or anyone) hands Carol what Bob received: she cannot read it.
    Frame.Deliver secret = lastApplicationDeliveredTo(bob);
    relay.inject(carol.id(), secret, secret.payload(), false);
    Thread.sleep(100);
    assertTrue(carol.messages.stream().noneMatch(m -> m.text().contains("secret")));
    assertTrue(carol.client.conversations().isEmpty());
  }

  private static int queuedOf(Peer p, Conversation c) {
    try {
      return p.client.conversation(c.id()).queuedCount();
    } catch (ChatException e) {
      return -1;
    }
  }

  private static long epochOf(Peer p, Conversation c) {
    try {
      return p.client.conversation(c.id()).epoch();
    } catch (ChatException e) {
      return -1;
    }
  }

  private static long safeEpoch(Conversation c) {
    try {
      return c.epoch();
    } catch (ChatException e) {
      return -1;
    }
  }

  private Frame.Deliver lastApplicationDeliveredTo(Peer p) {
    List<Frame.Deliver> ds = relay.deliveredTo(p.id());
    for (int i = ds.size() - 1; i >= 0; i--) {
      Frame.Deliver d = ds.get(i);
      if (d.kind() == PayloadKind.MESSAGE && d.payload()[3] == 2) {
        return d;
      }
    }
    throw new AssertionError("no application message delivered");
  }

  @Test
  void leaveIsCommittedByARemainingMember() throws Exception {
    Conversation a = alice.client.createGroup(List.of(bob.id(), carol.id()));
    Peer.await(() -> bob.joined.contains(a.id()) && carol.joined.contains(a.id()), "joins");
    carol.client.conversation(a.id()).leave();
    Peer.await(() -> carol.ended.contains(a.id()), "carol's leave completes");
    Peer.await(() -> safeMembers(a) == 2, "alice sees two members");
    a.send("just us");
    bob.awaitMessage("just us");
  }

  private static int safeMembers(Conversation c) {
    try {
      return c.members().size();
    } catch (ChatException e) {
      return -1;
    }
  }

  @Test
  void messagesQueueWhileRelayIsDownAndArriveOnceAfterReconnect() throws Exception {
    Conversation a = oneToOne();
    relay.stop();
    Peer.await(() -> !alice.client.isOnline() && !bob.client.isOnline(), "both offline");
    a.send("one");
    a.send("two");
    a.send("three");
    assertEquals(3, a.queuedCount());
    relay.start();
    Peer.await(() -> bob.messages.size() == 3, "three arrive");
    assertEquals(
        List.of("one", "two", "three"), bob.messages.stream().map(ChatMessage::text).toList());
    Peer.await(() -> alice.receipts.size() == 3, "three receipts");
    assertEquals(0, a.queuedCount());
    Thread.sleep(100);
    assertEquals(3, bob.messages.size());
    assertTrue(
        alice.connection.contains(false) && alice.connection.get(alice.connection.size() - 1));
  }

  @Test
  void restartMidConversationRestoresStateFromStore() throws Exception {
    Conversation a = oneToOne();
    a.send("before restart");
    bob.awaitMessage("before restart");
    bob.client.close();
    a.send("while bob restarts");
    a.refreshKeys(); // the group moves on while Bob is down
    a.send("after a commit");
    bob.restart();
    bob.online();
    bob.awaitMessage("while bob restarts");
    bob.awaitMessage("after a commit");
    Conversation b = bob.client.conversation(a.id());
    assertEquals(a.epoch(), b.epoch());
    b.send("back");
    alice.awaitMessage("back");
    assertTrue(bob.rejected.isEmpty(), () -> "rejected: " + bob.rejected);
  }

  @Test
  void redeliveredMessageIsNotShownTwice() throws Exception {
    Conversation a = oneToOne();
    a.send("once");
    bob.awaitMessage("once");
    Frame.Deliver d = lastApplicationDeliveredTo(bob);
    relay.inject(bob.id(), d, d.payload(), true); // same delivery id: an at-least-once redelivery
    a.send("marker");
    bob.awaitMessage("marker");
    assertEquals(1, bob.messages.stream().filter(m -> m.text().equals("once")).count());
    assertTrue(bob.rejected.isEmpty());
  }

  @Test
  void tamperedAndReplayedMessagesAreRejected() throws Exception {
    Conversation a = oneToOne();
    relay.hold(bob.id());
    a.send("original");
    Peer.await(() -> relay.queuedFor(bob.id()) == 1, "queued");
    Frame.Deliver d = relay.dropLast(bob.id()); // the relay keeps the genuine message back
    relay.release(bob.id());
    byte[] flipped = d.payload().clone();
    flipped[flipped.length - 5] ^= 0x40;
    relay.inject(bob.id(), d, flipped, false);
    bob.awaitRejection(ChatException.Code.TAMPERED);
    relay.inject(bob.id(), d, d.payload(), false); // the genuine one still reads after that
    bob.awaitMessage("original");
    relay.inject(bob.id(), d, d.payload(), false); // a replay under a new delivery id
    bob.awaitRejection(ChatException.Code.REPLAYED);
    relay.inject(bob.id(), d, new byte[] {0, 1, 0, 2, (byte) 0x80}, false);
    bob.awaitRejection(ChatException.Code.MALFORMED);
    assertEquals(1, bob.messages.size());
  }

  @Test
  void wrongEpochIsReportedAndFutureEpochIsBuffered() throws Exception {
    Conversation a = oneToOne();
    relay.hold(bob.id());
    a.send("lost in transit");
    Peer.await(() -> relay.queuedFor(bob.id()) == 1, "queued");
    Frame.Deliver late = relay.dropLast(bob.id());
    a.refreshKeys(); // commit: epoch 2
    a.send("sent in the new epoch");
    Peer.await(() -> relay.queuedFor(bob.id()) == 2, "commit and message queued");
    relay.swapLastTwo(bob.id()); // the message overtakes the commit that explains it
    relay.release(bob.id());
    bob.awaitMessage("sent in the new epoch"); // buffered, then read once the commit arrived
    assertEquals(a.epoch(), bob.client.conversation(a.id()).epoch());

    // Inside the late-message window the previous epoch still reads; after it, WRONG_EPOCH.
    clock.advance(Duration.ofMinutes(5));
    relay.inject(bob.id(), late, late.payload(), false);
    ChatException e = bob.awaitRejection(ChatException.Code.WRONG_EPOCH);
    assertTrue(e.getMessage().contains("epoch"));
    assertTrue(bob.messages.stream().noneMatch(m -> m.text().equals("lost in transit")));
  }

  @Test
  void lostCommitIsReportedFromTheRelaysGroupOrder() throws Exception {
    Conversation a = oneToOne();
    relay.hold(bob.id());
    a.refreshKeys();
    Peer.await(() -> relay.queuedFor(bob.id()) == 1, "queued");
    relay.dropLast(bob.id()); // a faulty relay loses a commit
    a.refreshKeys();
    relay.release(bob.id());
    ChatException e = bob.awaitRejection(ChatException.Code.WRONG_EPOCH);
    assertTrue(e.getMessage().contains("lost"), e.getMessage());
  }

  @Test
  void lateMessageInsideWindowIsRead() throws Exception {
    Conversation a = oneToOne();
    relay.hold(bob.id());
    a.send("late but fine");
    Peer.await(() -> relay.queuedFor(bob.id()) == 1, "queued");
    Frame.Deliver late = relay.dropLast(bob.id());
    a.refreshKeys();
    relay.release(bob.id());
    Peer.await(() -> epochOf(bob, a) == safeEpoch(a), "bob follows");
    relay.inject(bob.id(), late, late.payload(), false);
    bob.awaitMessage("late but fine");
  }

  @Test
  void refusedCommitIsRebasedOnTheWinningOne() throws Exception {
    Conversation a = alice.client.createGroup(List.of(bob.id()));
    Peer.await(() -> bob.joined.contains(a.id()), "bob joins");
    relay.hold(alice.id()); // Alice does not see Bob's commit yet
    bob.client.conversation(a.id()).refreshKeys(); // wins epoch 1
    Thread adder =
        new Thread(
            () -> {
              try {
                a.add(carol.id()); // built on epoch 1: refused, then re-based on epoch 2
              } catch (ChatException e) {
                throw new IllegalStateException(e);
              }
            });
    adder.start();
    Thread.sleep(200);
    relay.release(alice.id());
    adder.join(Peer.TIMEOUT_MS);
    assertFalse(adder.isAlive());
    Peer.await(() -> carol.joined.contains(a.id()), "carol joins");
    Conversation b = bob.client.conversation(a.id());
    Peer.await(() -> safeEpoch(b) == safeEpoch(a), "bob follows");
    Conversation c = carol.client.conversation(a.id());
    assertEquals(3, a.epoch());
    assertArrayEquals(a.epochAuthenticator(), b.epochAuthenticator());
    assertArrayEquals(a.epochAuthenticator(), c.epochAuthenticator());
  }

  @Test
  void maintainRefreshesLeafKeysPeriodically() throws Exception {
    Conversation a = oneToOne();
    long before = a.epoch();
    assertEquals(0, alice.client.maintain());
    clock.advance(Duration.ofDays(8));
    assertEquals(1, alice.client.maintain());
    assertEquals(before + 1, a.epoch());
    Peer.await(() -> epochOf(bob, a) == before + 1, "bob follows");
    a.send("after update");
    bob.awaitMessage("after update");
  }

  @Test
  void safetyNumbersMatchOnBothSidesAndVerifyContacts() throws Exception {
    SafetyNumber ab = alice.client.safetyNumber(bob.id());
    SafetyNumber ba = bob.client.safetyNumber(alice.id());
    assertEquals(ab, ba);
    assertEquals(ab.displayText(), ba.displayText());
    assertEquals(60, ab.digits().length());
    alice.client.saveContact(bob.id(), "Bob");
    assertFalse(
        alice.client.verifyContact(bob.id(), alice.client.safetyNumber(carol.id()).qrPayload()));
    assertFalse(alice.client.contact(bob.id()).orElseThrow().verified());
    assertTrue(alice.client.verifyContact(bob.id(), ba.qrPayload()));
    assertTrue(alice.client.contact(bob.id()).orElseThrow().verified());
    assertTrue(bob.client.verifyContact(alice.id(), ab.displayText()));
  }

  @Test
  void noPlaintextReachesTheRelayOrTheStoreOutsideHistory() throws Exception {
    Conversation a = oneToOne();
    String marker = "PLAINTEXT-MARKER-7f3a";
    a.send(marker);
    bob.awaitMessage(marker);
    byte[] m = marker.getBytes(StandardCharsets.UTF_8);
    for (byte[] p : relay.seen) {
      assertFalse(contains(p, m), "relay saw plaintext");
    }
    // The store holds history (the vault encrypts it); group state and queues must not hold it.
    for (String k : bob.store.keys("conv/")) {
      assertFalse(contains(bob.store.get(k).orElseThrow(), m), k);
    }
  }

  static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void threeConcurrentSendersAcrossCommitsAllConverge() throws Exception {
    Conversation a = alice.client.createGroup(List.of(bob.id(), carol.id()));
    Peer.await(() -> bob.joined.contains(a.id()) && carol.joined.contains(a.id()), "joins");
    List<Peer> peers = List.of(alice, bob, carol);
    int n = 25;
    List<Thread> threads = new java.util.ArrayList<>();
    for (Peer p : peers) {
      threads.add(
          new Thread(
              () -> {
                try {
                  Conversation c = p.client.conversation(a.id());
                  for (int i = 0; i < n; i++) {
                    c.send(p.name + " " + i);
                    if (i == n / 2) {
                      c.refreshKeys(); // three commits race for the same epochs: re-basing
                    }
                  }
                } catch (ChatException e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(Peer.TIMEOUT_MS);
      assertFalse(t.isAlive());
    }
    for (Peer p : peers) {
      Peer.await(
          () -> p.messages.size() == 2 * n,
          () ->
              p.name
                  + " got "
                  + p.messages.size()
                  + " rejected "
                  + p.rejected
                  + " queued "
                  + peers.stream().map(q -> q.name + "=" + queuedOf(q, a)).toList()
                  + " epochs "
                  + peers.stream().map(q -> q.name + "=" + epochOf(q, a)).toList());
    }
    for (Peer p : peers) {
      Peer.await(
          () -> epochOf(p, a) == epochOf(alice, a), () -> p.name + " at epoch " + epochOf(p, a));
      assertTrue(p.rejected.isEmpty(), () -> p.name + " rejected " + p.rejected);
    }
    assertArrayEquals(a.epochAuthenticator(), bob.client.conversation(a.id()).epochAuthenticator());
    assertArrayEquals(
        a.epochAuthenticator(), carol.client.conversation(a.id()).epochAuthenticator());
  }

  @Test
  void failedStoreWriteLeavesTheMessageForRedelivery() throws Exception {
    bob.close();
    FlakyStore flaky = new FlakyStore(bob.store);
    Peer bob2 = Peer.withStore("bob2", relay, clock, flaky);
    try {
      bob2.online();
      Conversation a = alice.client.startConversation(bob2.id());
      Peer.await(() -> bob2.joined.contains(a.id()), "bob joins");
      flaky.failWrites = true;
      a.send("must not be lost");
      a.send("nor this one");
      Peer.await(() -> flaky.failures > 0, "a write failed");
      flaky.failWrites = false; // the client reconnects; the relay redelivers
      bob2.awaitMessage("must not be lost");
      bob2.awaitMessage("nor this one");
      assertEquals(
          List.of("must not be lost", "nor this one"),
          bob2.messages.stream().map(ChatMessage::text).toList());
    } finally {
      bob2.close();
    }
  }

  /** A store whose writes fail on demand (a locked vault, a full disk). */
  static final class FlakyStore implements ChatStore {
    final InMemoryChatStore memory;
    volatile boolean failWrites;
    volatile int failures;

    FlakyStore(InMemoryChatStore unused) {
      this.memory = new InMemoryChatStore();
    }

    @Override
    public java.util.Optional<byte[]> get(String key) {
      return memory.get(key);
    }

    @Override
    public List<String> keys(String prefix) {
      return memory.keys(prefix);
    }

    @Override
    public void write(java.util.Map<String, byte[]> puts, java.util.Set<String> deletes)
        throws ChatException {
      if (failWrites) {
        failures++;
        throw new ChatException(ChatException.Code.STORE_FAILED);
      }
      memory.write(puts, deletes);
    }
  }
}
