package org.sceau.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.chat.ChatClient;
import org.sceau.chat.ChatException;
import org.sceau.chat.ChatListener;
import org.sceau.chat.ChatMessage;
import org.sceau.chat.ChatTransport;
import org.sceau.chat.Conversation;
import org.sceau.chat.InMemoryChatStore;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.GroupId;
import org.sceau.chat.wire.PayloadKind;

/**
 * The end-to-end scenario with the real MLS client library (org.sceau.chat, test scope
 * only: the relay's main code never sees client cryptography) and a real relay on loopback: three
 * devices, 1:1 both ways, a group add and remove, a client restart, a relay restart with messages
 * queued both in a mailbox and in a client's outbox, a tampered and a replayed envelope, and a
 * plaintext-marker scan of everything the relay wrote.
 */
class ThreeClientsIT {
  private static final long TIMEOUT_MS = 20_000;

  @TempDir Path dir;
  private Relay relay;

  private Relay startRelay(int port) throws Exception {
    return Relay.start(
        RelayConfig.defaultsWith(
            Map.of(
                "port",
                Integer.toString(port),
                "data.dir",
                dir.resolve("data").toString(),
                "rate.device.messages.per.second",
                "1000",
                "rate.device.burst",
                "1000")));
  }

  /** A device: the MLS chat client, its store, and what its listener saw. */
  static final class Device implements ChatListener, AutoCloseable {
    final String name;
    final InMemoryChatStore store = new InMemoryChatStore();
    final ChatTransport transport;
    final List<ChatMessage> messages = new CopyOnWriteArrayList<>();
    final List<GroupId> joined = new CopyOnWriteArrayList<>();
    final List<GroupId> ended = new CopyOnWriteArrayList<>();
    final List<ChatException> rejected = new CopyOnWriteArrayList<>();
    ChatClient client;

    Device(String name, ChatTransport transport) throws ChatException {
      this.name = name;
      this.transport = transport;
      this.client = build();
    }

    ChatClient build() throws ChatException {
      return ChatClient.builder()
          .store(store)
          .transport(transport)
          .listener(this)
          .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
          .build();
    }

    Device online() {
      client.start();
      await(() -> client.isOnline(), name + " online");
      return this;
    }

    /** A helper restart: a new client over the same store. */
    void restart() throws ChatException {
      client.close();
      client = build();
    }

    DeviceId id() {
      return client.deviceId();
    }

    void awaitMessage(String text) {
      await(
          () -> messages.stream().anyMatch(m -> m.text().equals(text)),
          name + " gets '" + text + "' (rejected " + rejected + ")");
    }

    void awaitRejection(ChatException.Code code) {
      await(() -> rejected.stream().anyMatch(e -> e.code() == code), name + " rejects " + code);
    }

    @Override
    public void messageReceived(ChatMessage m) {
      messages.add(m);
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
    }

    @Override
    public void close() {
      client.close();
    }
  }

  static void await(BooleanSupplier cond, String what) {
    long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting: " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  /** KeyPackages are published right after connecting; claiming may briefly find none. */
  interface Step<T> {
    T run() throws ChatException;
  }

  static <T> T retry(Step<T> s) throws ChatException {
    long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
    while (true) {
      try {
        return s.run();
      } catch (ChatException e) {
        if (e.code() != ChatException.Code.NO_KEY_PACKAGE || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  static int queued(Conversation c) {
    try {
      return c.queuedCount();
    } catch (ChatException e) {
      return -1;
    }
  }

  @Test
  void threeDevicesTalkThroughTheRealRelayAcrossRestartsAndNothingLeaks() throws Exception {
    String marker = "PLAINTEXT-MARKER-" + UUID.randomUUID();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    relay = startRelay(port);
    ChatTransport transport = ChatTransport.relay(relay.webSocketUri());
    Tampering aliceWire = new Tampering(transport);
    try (Device alice = new Device("alice", aliceWire).online();
        Device bob = new Device("bob", transport).online();
        Device carol = new Device("carol", transport).online()) {

      // 1:1 both ways.
      Conversation a = retry(() -> alice.client.startConversation(bob.id()));
      await(() -> bob.joined.contains(a.id()), "bob joins");
      a.send("hello bob " + marker);
      bob.awaitMessage("hello bob " + marker);
      bob.client.conversation(a.id()).send("hi alice " + marker);
      alice.awaitMessage("hi alice " + marker);

      // Group: add Carol, then remove her; she reads nothing that follows.
      retry(
          () -> {
            a.add(carol.id());
            return null;
          });
      await(() -> carol.joined.contains(a.id()), "carol joins");
      a.send("three of us " + marker);
      carol.awaitMessage("three of us " + marker);
      bob.awaitMessage("three of us " + marker);
      a.remove(carol.id());
      await(() -> carol.ended.contains(a.id()), "carol removed");
      a.send("after carol " + marker);
      bob.awaitMessage("after carol " + marker);
      Thread.sleep(300);
      assertTrue(carol.messages.stream().noneMatch(m -> m.text().startsWith("after carol")));

      // Relay restart with messages queued: one in Bob's durable mailbox (Bob offline), three in
      // Alice's outbox (relay down). Bob also restarts (state restored from his store).
      bob.client.close();
      a.send("queued at the relay " + marker);
      await(() -> queued(a) == 0, "relay accepted the first one");
      relay.close();
      await(() -> !alice.client.isOnline(), "alice sees the relay go");
      for (int i = 1; i <= 3; i++) {
        a.send("queued offline " + i + " " + marker);
      }
      relay = startRelay(port);
      bob.restart();
      bob.online();
      await(
          () -> bob.messages.stream().filter(m -> m.text().startsWith("queued")).count() >= 4,
          "bob gets the four queued messages");
      Thread.sleep(500);
      List<String> got = new ArrayList<>();
      bob.messages.stream()
          .map(ChatMessage::text)
          .filter(t -> t.startsWith("queued"))
          .forEach(got::add);
      assertEquals(
          List.of(
              "queued at the relay " + marker,
              "queued offline 1 " + marker,
              "queued offline 2 " + marker,
              "queued offline 3 " + marker),
          got,
          "nothing lost, nothing duplicated, in order");
      bob.client.conversation(a.id()).send("bob is back " + marker);
      alice.awaitMessage("bob is back " + marker);

      // A tampered envelope is rejected (the genuine one still reads); a replay is rejected.
      aliceWire.tamperNext = true;
      a.send("tamper test " + marker);
      bob.awaitRejection(ChatException.Code.TAMPERED);
      bob.awaitMessage("tamper test " + marker);
      aliceWire.last.send(List.of(bob.id()), aliceWire.lastPayload);
      bob.awaitRejection(ChatException.Code.REPLAYED);
      assertEquals(
          1, bob.messages.stream().filter(m -> m.text().startsWith("tamper test")).count());
    } finally {
      relay.close();
    }

    // Plaintext-marker scan of the relay's store and of the log this JVM wrote.
    byte[] m = marker.getBytes(StandardCharsets.UTF_8);
    List<Path> files = new ArrayList<>();
    try (var s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(files::add);
    }
    Path log = Path.of(System.getProperty("relay.test.log", "target/relay-test.log"));
    if (Files.exists(log)) {
      files.add(log);
    }
    assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().equals("relay.db")));
    for (Path f : files) {
      String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      assertFalse(
          content.contains(new String(m, StandardCharsets.ISO_8859_1)), "marker found in " + f);
    }
  }

  @Test
  void aGroupSpansTwoRelayNodesSharingRedis() throws Exception {
    try (RedisServer redis = RedisServer.start(dir);
        Relay node1 = redis.node("n1", dir.resolve("n1"));
        Relay node2 = redis.node("n2", dir.resolve("n2"));
        Device alice = new Device("alice", ChatTransport.relay(node1.webSocketUri())).online();
        Device bob = new Device("bob", ChatTransport.relay(node2.webSocketUri())).online();
        Device carol = new Device("carol", ChatTransport.relay(node2.webSocketUri())).online()) {
      Conversation a = retry(() -> alice.client.startConversation(bob.id()));
      await(() -> bob.joined.contains(a.id()), "bob (node 2) joins alice's (node 1) chat");
      a.send("across nodes");
      bob.awaitMessage("across nodes");
      bob.client.conversation(a.id()).send("and back");
      alice.awaitMessage("and back");
      retry(
          () -> {
            a.add(carol.id());
            return null;
          });
      await(() -> carol.joined.contains(a.id()), "carol joins");
      bob.client.conversation(a.id()).send("bob to the group");
      alice.awaitMessage("bob to the group");
      carol.awaitMessage("bob to the group");
      a.remove(carol.id());
      await(() -> carol.ended.contains(a.id()), "carol removed");
      a.send("after carol");
      bob.awaitMessage("after carol");
      Thread.sleep(300);
      assertTrue(carol.messages.stream().noneMatch(m -> m.text().equals("after carol")));
      assertEquals(a.epoch(), bob.client.conversation(a.id()).epoch());
    }
  }

  /** Alice's side of the wire: records what she sends and can send a bit-flipped copy first. */
  static final class Tampering implements ChatTransport {
    private final ChatTransport inner;
    volatile boolean tamperNext;
    volatile Connection last;
    volatile byte[] lastPayload;

    Tampering(ChatTransport inner) {
      this.inner = inner;
    }

    @Override
    public Connection connect(DeviceKey key, boolean register, Sink sink) throws ChatException {
      Connection c = inner.connect(key, register, sink);
      last = c;
      return new Connection() {
        @Override
        public long send(List<DeviceId> to, byte[] payload) throws ChatException {
          if (tamperNext) {
            tamperNext = false;
            byte[] bad = payload.clone();
            bad[bad.length - 5] ^= 0x40;
            c.send(to, bad);
          }
          lastPayload = payload.clone();
          return c.send(to, payload);
        }

        @Override
        public long handshake(
            PayloadKind kind, GroupId group, long epoch, List<DeviceId> to, byte[] payload)
            throws ChatException {
          return c.handshake(kind, group, epoch, to, payload);
        }

        @Override
        public void publishKeyPackages(List<byte[]> oneTime, byte[] lastResort)
            throws ChatException {
          c.publishKeyPackages(oneTime, lastResort);
        }

        @Override
        public byte[] claimKeyPackage(DeviceId device) throws ChatException {
          return c.claimKeyPackage(device);
        }

        @Override
        public void ack(List<Long> ids) throws ChatException {
          c.ack(ids);
        }

        @Override
        public boolean isOpen() {
          return c.isOpen();
        }

        @Override
        public void close() {
          c.close();
        }
      };
    }
  }
}
