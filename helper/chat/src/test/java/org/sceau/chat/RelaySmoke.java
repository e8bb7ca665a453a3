package org.sceau.chat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sceau.chat.internal.WebSocketTransport;

/**
 * Manual end-to-end check against the real relay (run by bench/chat/relay-smoke.sh): starts the
 * relay jar as a process (fixed loopback port, SQLite store in {@code workDir}), three clients over
 * real WebSockets, and restarts the relay mid-way. Not a unit test: helper/chat builds before
 * relay/, so its tests cannot depend on the relay; the relay module owns automated end-to-end
 * tests.
 *
 * <p>Usage: {@code RelaySmoke RELAY_JAR LIB_DIR WORK_DIR MARKER}
 */
public final class RelaySmoke {
  private static Process relay;

  private RelaySmoke() {}

  public static void main(String[] args) throws Exception {
    String jar = args[0];
    String lib = args[1];
    File work = new File(args[2]);
    String marker = args[3];
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI uri = startRelay(jar, lib, work, port);
    ChatTransport transport = new WebSocketTransport(uri, Duration.ofSeconds(10));
    Tampering aliceSide = new Tampering(transport);
    Peer.TestClock clock = new Peer.TestClock();
    try (Peer alice = Peer.over("alice", aliceSide, clock);
        Peer bob = Peer.over("bob", transport, clock);
        Peer carol = Peer.over("carol", transport, clock)) {
      alice.online();
      bob.online();
      carol.online();
      step("three clients connected to " + uri + " and published KeyPackages");

      Conversation a = alice.client.startConversation(bob.id());
      Peer.await(() -> bob.joined.contains(a.id()), "bob joins");
      String mid = a.send("hello bob " + marker);
      bob.awaitMessage("hello bob " + marker);
      Peer.await(() -> alice.receipts.stream().anyMatch(r -> r.messageId().equals(mid)), "receipt");
      bob.client.conversation(a.id()).send("hi alice " + marker);
      alice.awaitMessage("hi alice " + marker);
      step("1:1 both ways with a delivery receipt");

      a.add(carol.id());
      Peer.await(() -> carol.joined.contains(a.id()), "carol joins");
      a.send("three of us " + marker);
      carol.awaitMessage("three of us " + marker);
      bob.awaitMessage("three of us " + marker);
      a.remove(carol.id());
      Peer.await(() -> carol.ended.contains(a.id()), "carol removed");
      a.send("after carol " + marker);
      bob.awaitMessage("after carol " + marker);
      Thread.sleep(300);
      check(
          carol.messages.stream().noneMatch(m -> m.text().startsWith("after carol")),
          "removed member read a later message");
      step("group add + remove; the removed member got nothing after her removal");

      bob.client.close();
      a.send("while bob restarts " + marker);
      a.refreshKeys();
      bob.restart();
      bob.online();
      bob.awaitMessage("while bob restarts " + marker);
      bob.client.conversation(a.id()).send("bob is back " + marker);
      alice.awaitMessage("bob is back " + marker);
      step("helper restart mid-conversation: state restored from the store, across a commit");

      // Relay restart: one message waits in Bob's durable mailbox (Bob offline), three wait in
      // Alice's outbox (relay down); all four arrive once, in order, after the restart.
      bob.client.close();
      a.send("queued at the relay " + marker);
      Peer.await(() -> safeQueued(a) == 0, "relay accepted it");
      stopRelay();
      Peer.await(() -> !alice.client.isOnline(), "alice sees the relay go");
      for (int i = 1; i <= 3; i++) {
        a.send("queued offline " + i + " " + marker);
      }
      check(safeQueued(a) == 3, "three queued while the relay is down");
      startRelay(jar, lib, work, port);
      bob.restart();
      bob.online();
      Peer.await(
          () -> bob.messages.stream().filter(m -> m.text().startsWith("queued")).count() == 4,
          "bob gets the four queued messages");
      Thread.sleep(500);
      List<String> queued =
          bob.messages.stream().map(ChatMessage::text).filter(t -> t.startsWith("queued")).toList();
      check(
          queued.equals(
              List.of(
                  "queued at the relay " + marker,
                  "queued offline 1 " + marker,
                  "queued offline 2 " + marker,
                  "queued offline 3 " + marker)),
          "order or duplicates: " + queued.size());
      step("relay restart (SQLite store): 1 mailbox + 3 outbox messages arrive once, in order");

      // Through the real relay: a modified copy first (TAMPERED), the genuine one (read), then the
      // genuine bytes again under a new relay message id (REPLAYED).
      aliceSide.tamperNext = true;
      a.send("tamper test " + marker);
      bob.awaitRejection(ChatException.Code.TAMPERED);
      bob.awaitMessage("tamper test " + marker);
      aliceSide.last.send(List.of(bob.id()), aliceSide.lastPayload);
      bob.awaitRejection(ChatException.Code.REPLAYED);
      check(
          bob.messages.stream().filter(m -> m.text().startsWith("tamper test")).count() == 1,
          "shown once");
      bob.rejected.clear();
      step("tampered envelope rejected (genuine still read), replayed envelope rejected");

      check(
          alice.rejected.isEmpty() && bob.rejected.isEmpty(),
          "unexpected rejections " + alice.rejected + bob.rejected);
      System.out.println("SMOKE OK");
    } finally {
      stopRelay();
    }
    System.exit(0);
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
    public Connection connect(org.sceau.chat.wire.DeviceKey key, boolean register, Sink sink)
        throws ChatException {
      Connection c = inner.connect(key, register, sink);
      last = c;
      return new Connection() {
        @Override
        public long send(List<org.sceau.chat.wire.DeviceId> to, byte[] payload)
            throws ChatException {
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
            org.sceau.chat.wire.PayloadKind kind,
            org.sceau.chat.wire.GroupId group,
            long epoch,
            List<org.sceau.chat.wire.DeviceId> to,
            byte[] payload)
            throws ChatException {
          return c.handshake(kind, group, epoch, to, payload);
        }

        @Override
        public void publishKeyPackages(List<byte[]> oneTime, byte[] lastResort)
            throws ChatException {
          c.publishKeyPackages(oneTime, lastResort);
        }

        @Override
        public byte[] claimKeyPackage(org.sceau.chat.wire.DeviceId device) throws ChatException {
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

  private static int safeQueued(Conversation c) {
    try {
      return c.queuedCount();
    } catch (ChatException e) {
      return -1;
    }
  }

  private static URI startRelay(String jar, String lib, File work, int port) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            "java",
            "-cp",
            jar + File.pathSeparator + lib + File.separator + "*",
            "org.sceau.relay.RelayMain",
            "--port=" + port,
            "--data.dir=" + new File(work, "data").getAbsolutePath());
    pb.redirectErrorStream(true);
    relay = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
    File log = new File(work, "relay.log");
    java.io.PrintWriter w =
        new java.io.PrintWriter(new java.io.FileWriter(log, StandardCharsets.UTF_8, true), true);
    String line;
    while ((line = out.readLine()) != null) {
      w.println(line);
      int i = line.indexOf("ws://");
      if (line.startsWith("sceau-relay listening") && i >= 0) {
        Thread t = new Thread(() -> out.lines().forEach(w::println), "relay-log");
        t.setDaemon(true);
        t.start();
        return URI.create(line.substring(i).trim());
      }
    }
    throw new IllegalStateException("relay did not start; see " + log);
  }

  private static void stopRelay() throws InterruptedException {
    if (relay != null && relay.isAlive()) {
      relay.destroy();
      if (!relay.waitFor(10, TimeUnit.SECONDS)) {
        relay.destroyForcibly().waitFor();
      }
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }

  private static void step(String s) {
    System.out.println("PASS  " + s);
  }
}
