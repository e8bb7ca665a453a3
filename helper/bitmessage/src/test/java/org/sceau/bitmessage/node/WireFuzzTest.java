package org.sceau.bitmessage.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.sceau.bitmessage.Fuzz;
import org.sceau.bitmessage.Packet;
import org.sceau.bitmessage.PacketCodec;
import org.sceau.bitmessage.Vectors;
import org.sceau.bitmessage.WireMessage;

/**
 * Mutated PyBitmessage packets (wire.json and the live objects) sent to a running node after a
 * handshake: whatever arrives, the node answers a fresh peer afterwards and keeps relaying for a
 * well-behaved one — a bad packet costs at most its own connection.
 */
class WireFuzzTest {
  private static final List<byte[]> SEEDS = new ArrayList<>();
  private static Path dir;
  private static BitmessageNode node;
  private static RawPeer good;

  @BeforeContainer
  static void start() throws Exception {
    for (var v : Vectors.load("wire").get("packets")) {
      SEEDS.add(Vectors.hex(v.get("payload_hex")));
    }
    for (String kind : new String[] {"msg", "ack", "pubkey_v4", "broadcast_v5", "getpubkey_v4"}) {
      for (var v : Vectors.load("objects").get(kind)) {
        SEEDS.add(Vectors.hex(v.get("object_hex")));
      }
    }
    dir = Files.createTempDirectory("bm-fuzz");
    node = BitmessageNode.start(NodeFixtures.config(dir).targetOutbound(0).build());
    good = new RawPeer(node.listeningPort()).handshake();
  }

  @AfterContainer
  static void stop() throws IOException {
    good.close();
    node.close();
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<byte[]> payloads() {
    return Fuzz.mutationsOf(Arbitraries.of(SEEDS));
  }

  @Provide
  Arbitrary<String> commands() {
    return Arbitraries.of(
        "version",
        "verack",
        "addr",
        "inv",
        "getdata",
        "dinv",
        "object",
        "error",
        "ping",
        "pong",
        "portcheck");
  }

  @Property(tries = 150)
  void mutatedPacketsNeverHarmTheNode(
      @ForAll("commands") String command, @ForAll("payloads") byte[] payload) throws Exception {
    if (payload.length > PacketCodec.MAX_PAYLOAD) {
      return;
    }
    try (RawPeer p = new RawPeer(node.listeningPort()).handshake()) {
      p.sendRaw(PacketCodec.encode(new Packet(command, payload)));
      p.send(new WireMessage.Ping());
      // Either it answers or it closed this connection; both are fine, nothing else is.
      try {
        p.expect("pong", Duration.ofSeconds(5));
      } catch (IOException closed) {
        // Cut off.
      }
    }
    assertTrue(good.stillServed(), "the well-behaved peer is still served");
  }
}
