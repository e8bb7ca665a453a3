package org.sceau.bitmessage.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.bitmessage.node.NodeFixtures.await;
import static org.sceau.bitmessage.node.NodeFixtures.holds;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.ObjectCodec;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.Vectors;
import org.sceau.bitmessage.WireMessage;

/**
 * Objects made by two live PyBitmessage 0.6.3.2 nodes (vectors/objects.json), fed to a node at the
 * network's real difficulty with its clock set to the time PyBitmessage received them: the node
 * accepts exactly what PyBitmessage accepted and relays it.
 */
@Timeout(60)
class ReferenceObjectsTest {
  @TempDir Path dir;

  @Test
  void acceptsAndRelaysPyBitmessageObjectsAtTheNetworkDifficulty() throws Exception {
    JsonNode v = Vectors.load("objects");
    List<BitmessageObject> objects = new ArrayList<>();
    Set<String> hashes = new HashSet<>();
    long recvTime = 0;
    for (String kind : List.of("msg", "ack", "pubkey_v4", "broadcast_v5", "getpubkey_v4")) {
      for (JsonNode o : v.get(kind)) {
        assertTrue(o.get("pow_valid_at_recv_time").get("isProofOfWorkSufficient").asBoolean());
        recvTime = o.get("pow_valid_at_recv_time").get("recv_time").asLong();
        objects.add(ObjectCodec.decode(Vectors.hex(o.get("object_hex"))));
        hashes.add(o.get("inventory_hash_hex").asText());
      }
    }
    Clock then = Clock.fixed(Instant.ofEpochSecond(recvTime), ZoneOffset.UTC);
    try (BitmessageNode node =
            BitmessageNode.start(
                NodeFixtures.config(dir.resolve("n"))
                    .minimumDifficulty(PowDifficulty.DEFAULT)
                    .clock(then)
                    .build());
        BitmessageNode relayTarget =
            BitmessageNode.start(
                NodeFixtures.config(dir.resolve("t"), NodeFixtures.loopback(node))
                    .minimumDifficulty(PowDifficulty.DEFAULT)
                    .clock(then)
                    .build());
        RawPeer p = new RawPeer(node.listeningPort())) {
      await("connected", Duration.ofSeconds(10), () -> node.status().inbound().size() == 1);
      p.send(RawPeer.version(3, recvTime));
      p.expect("verack", Duration.ofSeconds(5));
      p.send(new WireMessage.Verack());

      BitmessageObject tampered = objects.get(0).withNonce(objects.get(0).nonce() + 1);
      p.send(new WireMessage.ObjectMessage(tampered));
      for (BitmessageObject o : objects) {
        p.send(new WireMessage.ObjectMessage(o));
      }
      assertTrue(p.stillServed());
      assertEquals(objects.size(), node.status().objectsReceived());
      Set<String> held = new HashSet<>();
      node.forEachObject(o -> held.add(HexFormat.of().formatHex(o.inventoryHash())));
      assertEquals(hashes, held, "inventory vectors as PyBitmessage computed them");
      assertFalse(holds(node, tampered), "one nonce off: not enough work at 1000/1000");

      await(
          "relayed to the other node",
          Duration.ofSeconds(10),
          () -> relayTarget.status().inventorySize() == objects.size());
    }
  }

  @Test
  void completesTheHandshakeWithPyBitmessagesOwnVersionPacket() throws Exception {
    JsonNode packets = Vectors.load("wire").get("packets");
    byte[] version = null;
    byte[] verack = null;
    byte[] ping = null;
    for (JsonNode p : packets) {
      switch (p.get("command").asText()) {
        case "version" -> version = Vectors.hex(p.get("packet_hex"));
        case "verack" -> verack = Vectors.hex(p.get("packet_hex"));
        case "ping" -> ping = Vectors.hex(p.get("packet_hex"));
        default -> {}
      }
    }
    // The vector's version says time 1700000000: the node's clock agrees with it.
    Clock then = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    try (BitmessageNode node =
            BitmessageNode.start(NodeFixtures.config(dir.resolve("h")).clock(then).build());
        RawPeer p = new RawPeer(node.listeningPort())) {
      p.sendRaw(version);
      p.expect("verack", Duration.ofSeconds(5));
      WireMessage.Version ours =
          (WireMessage.Version) WireMessage.decode(p.expect("version", Duration.ofSeconds(5)));
      assertEquals(3, ours.protocolVersion());
      assertEquals(1_700_000_000L, ours.timestamp());
      assertEquals(List.of(1L), ours.streams());
      p.sendRaw(verack);
      p.sendRaw(ping);
      p.expect("pong", Duration.ofSeconds(5));
      NodeStatus.Peer peer = node.status().inbound().get(0);
      assertTrue(peer.userAgent().startsWith("/PyBitmessage:"), peer.userAgent());
    }
  }
}
