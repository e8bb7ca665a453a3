package org.sceau.bitmessage.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.bitmessage.node.NodeFixtures.TINY;
import static org.sceau.bitmessage.node.NodeFixtures.await;
import static org.sceau.bitmessage.node.NodeFixtures.config;
import static org.sceau.bitmessage.node.NodeFixtures.holds;
import static org.sceau.bitmessage.node.NodeFixtures.loopback;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.Packet;
import org.sceau.bitmessage.PacketCodec;
import org.sceau.bitmessage.WireMessage;

/**
 * A raw socket speaking the wire protocol badly, next to a well-behaved node: each offence is cut
 * off or ignored as PyBitmessage does (PROTOCOL-NOTES §1, §2), and the good peer keeps relaying.
 */
@Timeout(60)
class HostilePeerTest {
  private static final Duration SHORT = Duration.ofSeconds(5);
  private final SecureRandom rnd = new SecureRandom();

  @TempDir Path dir;
  private BitmessageNode node;
  private BitmessageNode good;

  @BeforeEach
  void startNodes() throws Exception {
    node = BitmessageNode.start(config(dir.resolve("node")).build());
    good = BitmessageNode.start(config(dir.resolve("good"), loopback(node)).build());
    await("the good peer is connected", SHORT, () -> node.status().inbound().size() == 1);
  }

  @AfterEach
  void stop() {
    good.close();
    node.close();
  }

  /** The good peer still relays: an object it publishes reaches the node. */
  private void goodPeerStillWorks() {
    BitmessageObject o = NodeFixtures.object();
    good.publish(o);
    await("the good peer's object reaches the node", Duration.ofSeconds(10), () -> holds(node, o));
  }

  private static byte[] header(String command, long length, byte[] checksum) {
    ByteBuffer b = ByteBuffer.allocate(24).putInt(PacketCodec.MAGIC);
    byte[] cmd = new byte[12];
    System.arraycopy(command.getBytes(), 0, cmd, 0, command.length());
    return b.put(cmd).putInt((int) length).put(checksum).array();
  }

  @Test
  void oversizeLengthIsCutOff() throws Exception {
    try (RawPeer p = new RawPeer(node.listeningPort()).handshake()) {
      p.sendRaw(header("object", 0xFFFF_FFF0L, new byte[4]));
      assertTrue(p.closedByNode(SHORT));
    }
    try (RawPeer p = new RawPeer(node.listeningPort()).handshake()) {
      // An object packet within the packet limit but over the object limit: skipped unread.
      byte[] big = new byte[(1 << 18) + 1];
      p.send("object", big);
      assertTrue(p.stillServed());
    }
    try (RawPeer p = new RawPeer(node.listeningPort())) {
      // Before the handshake too, and just over PyBitmessage's MAX_MESSAGE_SIZE.
      p.sendRaw(header("version", PacketCodec.MAX_PAYLOAD + 1, new byte[4]));
      assertTrue(p.closedByNode(SHORT));
    }
    goodPeerStillWorks();
  }

  @Test
  void packetWithBadChecksumIsCutOff() throws Exception {
    BitmessageObject o = NodeFixtures.object();
    byte[] frame = PacketCodec.encode(new WireMessage.ObjectMessage(o).toPacket());
    frame[20] ^= 1;
    try (RawPeer p = new RawPeer(node.listeningPort()).handshake()) {
      p.sendRaw(frame);
      // PyBitmessage marks the packet invalid and closes; so do we.
      assertTrue(p.closedByNode(SHORT));
    }
    assertFalse(holds(node, o));
    goodPeerStillWorks();
  }

  @Test
  void objectWithInsufficientProofOfWorkIsIgnored() throws Exception {
    BitmessageObject o = NodeFixtures.object();
    long target =
        BitmessageNode.powTarget(TINY, o.encode().length, o.expiresTime() - NodeFixtures.now());
    BitmessageObject bad = o;
    for (long n = rnd.nextLong(); ; n++) {
      bad = o.withNonce(n);
      if (Long.compareUnsigned(org.sceau.bitmessage.ProofOfWork.trialValue(bad.encode()), target)
          > 0) {
        break;
      }
    }
    try (RawPeer p = new RawPeer(node.listeningPort()).handshake()) {
      p.send(new WireMessage.ObjectMessage(bad));
      assertTrue(p.stillServed());
      assertFalse(holds(node, bad));
      assertEquals(0, node.status().objectsReceived());
    }
    goodPeerStillWorks();
    assertFalse(holds(good, bad), "never relayed");
  }

  @Test
  void expiredObjectIsIgnored() throws Exception {
    long now = NodeFixtures.now();
    BitmessageObject expired =
        NodeFixtures.solve(
            new BitmessageObject(0, now - 7200, BitmessageObject.MSG, 1, 1, new byte[100]),
            TINY,
            now);
    BitmessageObject tooFar =
        NodeFixtures.solve(
            new BitmessageObject(0, now + 29L * 86400, BitmessageObject.MSG, 1, 1, new byte[100]),
            TINY,
            now);
    try (RawPeer p = new RawPeer(node.listeningPort()).handshake()) {
      p.send(new WireMessage.ObjectMessage(expired));
      p.send(new WireMessage.ObjectMessage(tooFar));
      assertTrue(p.stillServed());
    }
    assertFalse(holds(node, expired));
    assertFalse(holds(node, tooFar));
    assertEquals(0, node.status().objectsReceived());
    goodPeerStillWorks();
  }

  @Test
  void fullFiftyThousandEntryInvIsAcceptedAndLargerIsSkipped() throws Exception {
    try (RawPeer p = new RawPeer(node.listeningPort()).handshake()) {
      p.send(new WireMessage.Inv(randomHashes(WireMessage.MAX_INVENTORY)));
      Packet getdata = p.expect("getdata", SHORT);
      assertTrue(getdata.payload().length > 32, "the node asks for the announced objects");
      await(
          "all 50 000 are pending",
          SHORT,
          () -> node.status().pendingDownloads() == WireMessage.MAX_INVENTORY);
      assertTrue(node.status().syncInProgress());

      // One more than the protocol allows: skipped, as PyBitmessage does, connection kept.
      byte[] over =
          ByteBuffer.allocate(3 + 32 * 50_001).put((byte) 0xfd).putShort((short) 50_001).array();
      p.send("inv", over);
      assertTrue(p.stillServed());
      assertEquals(WireMessage.MAX_INVENTORY, node.status().pendingDownloads());
    }
    await(
        "a departed peer's announcements are forgotten",
        SHORT,
        () -> node.status().pendingDownloads() == 0);
    goodPeerStillWorks();
  }

  @Test
  void garbageIsCutOff() throws Exception {
    byte[] junk = new byte[200];
    rnd.nextBytes(junk);
    junk[0] = 0;
    try (RawPeer p = new RawPeer(node.listeningPort())) {
      p.sendRaw(junk);
      assertTrue(p.closedByNode(SHORT));
    }
    try (RawPeer p = new RawPeer(node.listeningPort()).handshake()) {
      p.sendRaw(junk);
      assertTrue(p.closedByNode(SHORT));
    }
    goodPeerStillWorks();
  }

  @Test
  void repeatedMisbehaviourGetsTheAddressBanned() throws Exception {
    InetAddress other = InetAddress.getByName("127.0.0.2");
    byte[] frame = PacketCodec.encode(new WireMessage.Ping().toPacket());
    frame[20] ^= 1;
    for (int i = 0; i < 4; i++) {
      // 25 points per bad checksum, counted against the address across connections.
      try (RawPeer p = new RawPeer(other, node.listeningPort()).handshake()) {
        p.sendRaw(frame);
        assertTrue(p.closedByNode(SHORT));
      }
    }
    try (RawPeer p = new RawPeer(other, node.listeningPort())) {
      p.send(RawPeer.version(3, NodeFixtures.now()));
      assertTrue(p.closedByNode(SHORT), "banned: refused at once");
    }
    try (RawPeer p = new RawPeer(node.listeningPort()).handshake()) {
      assertTrue(p.stillServed(), "other addresses are not affected");
    }
    goodPeerStillWorks();
  }

  @Test
  void copyingAPeersNonceCannotPushItsConnectionOut() throws Exception {
    try (BitmessageNode victim = BitmessageNode.start(config(dir.resolve("victim")).build())) {
      node.connect("127.0.0.1", victim.listeningPort());
      await("node dialled the victim", SHORT, () -> node.status().outbound().size() == 1);
      // Anyone can learn the victim's nonce: it is in the version it sends every peer.
      long victimNonce;
      try (RawPeer spy = new RawPeer(victim.listeningPort())) {
        spy.send(RawPeer.version(3, NodeFixtures.now()));
        victimNonce =
            ((WireMessage.Version) WireMessage.decode(spy.expect("version", SHORT))).nonce();
      }
      WireMessage.Version t = RawPeer.version(3, NodeFixtures.now());
      WireMessage.Version forged =
          new WireMessage.Version(
              3,
              t.services(),
              t.timestamp(),
              t.receiver(),
              t.sender(),
              victimNonce,
              t.userAgent(),
              t.streams());
      try (RawPeer impostor =
          new RawPeer(InetAddress.getByName("127.0.0.2"), node.listeningPort())) {
        impostor.send(forged);
        assertTrue(impostor.closedByNode(SHORT), "the newcomer is the one dropped");
      }
      assertEquals(1, node.status().outbound().size(), "the real connection stays");
      BitmessageObject o = NodeFixtures.object();
      victim.publish(o);
      await("the victim still reaches the node", SHORT, () -> holds(node, o));
    }
    goodPeerStillWorks();
  }

  @Test
  void handshakeRefusesOldProtocolAndSkewedClocks() throws Exception {
    for (WireMessage.Version v :
        List.of(
            RawPeer.version(2, NodeFixtures.now()),
            RawPeer.version(3, NodeFixtures.now() + 7200),
            RawPeer.version(3, NodeFixtures.now() - 7200))) {
      try (RawPeer p = new RawPeer(node.listeningPort())) {
        p.send(v);
        Packet error = p.expect("error", SHORT);
        WireMessage.ErrorMessage e = (WireMessage.ErrorMessage) WireMessage.decode(error);
        assertEquals(2, e.fatal());
        assertTrue(p.closedByNode(SHORT));
      }
    }
    goodPeerStillWorks();
  }

  @Test
  void objectBeforeTheHandshakeIsCutOff() throws Exception {
    BitmessageObject o = NodeFixtures.object();
    try (RawPeer p = new RawPeer(node.listeningPort())) {
      p.send(new WireMessage.ObjectMessage(o));
      // PyBitmessage closes on anything but version/verack/error before the handshake.
      assertTrue(p.closedByNode(SHORT));
    }
    assertFalse(holds(node, o));
    goodPeerStillWorks();
  }

  @Test
  void peerThatNeverReadsDoesNotStallTheOthers() throws Exception {
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      BitmessageObject big = NodeFixtures.object(20_000, 3600, TINY);
      node.publish(big);
      hashes.add(big.inventoryHash());
    }
    try (RawPeer p = new RawPeer(node.listeningPort()).handshake()) {
      List<byte[]> many = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        many.addAll(hashes);
      }
      // 40 000 uploads of 20 kB = 800 MB it will never read.
      p.send(new WireMessage.GetData(many));
      goodPeerStillWorks();
      BitmessageObject o = NodeFixtures.object();
      node.publish(o);
      await("the good peer gets the node's object", Duration.ofSeconds(10), () -> holds(good, o));
    }
  }

  private List<byte[]> randomHashes(int n) {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] h = new byte[32];
      rnd.nextBytes(h);
      out.add(h);
    }
    return out;
  }
}
