package org.sceau.chat;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.GroupId;

/** A test device: a ChatClient, its store, and everything its listener saw. */
final class Peer implements ChatListener, AutoCloseable {
  static final long TIMEOUT_MS = 10_000;

  final String name;
  final InMemoryChatStore store;
  final ChatStore backing;
  final TestClock clock;
  final LoopbackRelay relay;
  final ChatTransport transport;
  ChatClient client;
  final List<ChatMessage> messages = new CopyOnWriteArrayList<>();
  final List<DeliveryReceipt> receipts = new CopyOnWriteArrayList<>();
  final List<GroupId> joined = new CopyOnWriteArrayList<>();
  final List<GroupId> ended = new CopyOnWriteArrayList<>();
  final List<ChatException> rejected = new CopyOnWriteArrayList<>();
  final List<Boolean> connection = new CopyOnWriteArrayList<>();

  Peer(String name, LoopbackRelay relay, TestClock clock) throws ChatException {
    this(name, relay, clock, new InMemoryChatStore(), relay, null);
  }

  /** Over another transport (the real relay, in {@link RelaySmoke}). */
  static Peer over(String name, ChatTransport transport, TestClock clock) throws ChatException {
    return new Peer(name, null, clock, new InMemoryChatStore(), transport, null);
  }

  /** With a store that is not a plain in-memory one. */
  static Peer withStore(String name, LoopbackRelay relay, TestClock clock, ChatStore backing)
      throws ChatException {
    return new Peer(name, relay, clock, new InMemoryChatStore(), relay, backing);
  }

  private Peer(
      String name,
      LoopbackRelay relay,
      TestClock clock,
      InMemoryChatStore store,
      ChatTransport transport,
      ChatStore backing)
      throws ChatException {
    this.name = name;
    this.relay = relay;
    this.clock = clock;
    this.store = store;
    this.transport = transport;
    this.backing = backing == null ? store : backing;
    this.client = build();
  }

  ChatClient build() throws ChatException {
    return ChatClient.builder()
        .store(backing)
        .transport(transport)
        .listener(this)
        .clock(clock)
        .lateMessageWindow(Duration.ofSeconds(30))
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
        .conflictWait(Duration.ofSeconds(5))
        .build();
  }

  /** Starts and waits until connected with its KeyPackages published. */
  Peer online() throws ChatException {
    client.start();
    await(() -> client.isOnline() && hasKeyPackages(), name + " online");
    return this;
  }

  private boolean hasKeyPackages() {
    try {
      return !backing.keys("kp-last/").isEmpty();
    } catch (ChatException e) {
      return false;
    }
  }

  /** Simulates a helper restart: a new client over the same store. */
  void restart() throws ChatException {
    client.close();
    client = build();
  }

  DeviceId id() {
    return client.deviceId();
  }

  ChatMessage awaitMessage(String text) {
    await(
        () -> messages.stream().anyMatch(m -> m.text().equals(text)),
        () -> name + " gets " + text + " (rejected " + rejected + ", got " + messages + ")");
    return messages.stream().filter(m -> m.text().equals(text)).findFirst().orElseThrow();
  }

  ChatException awaitRejection(ChatException.Code code) {
    await(
        () -> rejected.stream().anyMatch(e -> e.code() == code),
        () ->
            name
                + " rejects "
                + code
                + " (saw "
                + rejected.stream().map(ChatException::code).toList()
                + ")");
    return rejected.stream().filter(e -> e.code() == code).findFirst().orElseThrow();
  }

  static void await(BooleanSupplier cond, String what) {
    await(cond, () -> what);
  }

  static void await(BooleanSupplier cond, java.util.function.Supplier<String> what) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting: " + what.get());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  @Override
  public void messageReceived(ChatMessage m) {
    messages.add(m);
  }

  @Override
  public void receiptReceived(DeliveryReceipt r) {
    receipts.add(r);
  }

  @Override
  public void conversationJoined(GroupId c, List<DeviceId> members) {
    joined.add(c);
  }

  @Override
  public void conversationEnded(GroupId c) {
    ended.add(c);
  }

  @Override
  public void messageRejected(GroupId c, ChatException reason) {
    rejected.add(reason);
    if (reason.code() == ChatException.Code.INTERNAL) {
      reason.printStackTrace();
    }
  }

  @Override
  public void connectionChanged(boolean online) {
    connection.add(online);
  }

  @Override
  public void close() {
    client.close();
  }

  /** A clock tests move by hand. */
  static final class TestClock extends Clock {
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    void advance(Duration d) {
      millis.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
