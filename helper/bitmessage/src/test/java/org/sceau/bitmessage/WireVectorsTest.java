package org.sceau.bitmessage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** wire.json: packets PyBitmessage's CreatePacket and assemble* functions built. */
class WireVectorsTest {
  private static final JsonNode V = Vectors.load("wire");

  @Test
  void everyPacketDecodesAndReencodesByteForByte() throws Exception {
    assertEquals(8, V.get("packets").size());
    for (JsonNode v : V.get("packets")) {
      byte[] bytes = Vectors.hex(v.get("packet_hex"));
      Packet p = PacketCodec.decode(bytes);
      assertEquals(v.get("command").asText(), p.command());
      assertEquals(v.get("payload_hex").asText(), Vectors.hex(p.payload()));
      PacketCodec.Header h = PacketCodec.decodeHeader(bytes, 0);
      assertEquals(v.get("payload_length").asInt(), h.length());
      assertEquals(v.get("checksum_hex").asText(), Vectors.hex(h.checksum()));
      WireMessage m = WireMessage.decode(p);
      assertArrayEquals(bytes, PacketCodec.encode(m.toPacket()), v.get("label").asText());
      assertEquals(p, PacketCodec.read(new ByteArrayInputStream(bytes)));
    }
  }

  @Test
  void versionFieldsAreThoseOfTheReferenceClient() throws Exception {
    JsonNode v = V.get("packets").get(0);
    WireMessage.Version ver =
        assertInstanceOf(
            WireMessage.Version.class,
            WireMessage.decode(PacketCodec.decode(Vectors.hex(v.get("packet_hex")))));
    assertEquals(3, ver.protocolVersion());
    assertEquals(
        NetworkAddress.NODE_NETWORK | NetworkAddress.NODE_SSL | NetworkAddress.NODE_DANDELION,
        ver.services());
    assertEquals(1700000000L, ver.timestamp());
    assertEquals(0x0102030405060708L, ver.nonce());
    assertEquals("/PyBitmessage:0.6.3.2/", ver.userAgent());
    assertEquals(List.of(1L), ver.streams());
    assertEquals(8444, ver.sender().port());
    assertEquals("127.0.0.1", ver.receiver().inetAddress().getHostAddress());
  }

  @Test
  void addrInvObjectAndErrorCarryTheirFields() throws Exception {
    for (JsonNode v : V.get("packets")) {
      WireMessage m = WireMessage.decode(PacketCodec.decode(Vectors.hex(v.get("packet_hex"))));
      switch (v.get("command").asText()) {
        case "addr" -> {
          NetworkAddress a = ((WireMessage.Addr) m).addresses().get(0);
          assertEquals(1700000000L, a.time());
          assertEquals(1, a.stream());
          assertEquals(8444, a.port());
        }
        case "inv" ->
            assertEquals(
                "99e0de019a82c5003de5abc8a5dbeb42408c72281a58861654de66c974d15fcc",
                Vectors.hex(((WireMessage.Inv) m).hashes().get(0)));
        case "object" ->
            assertEquals(
                BitmessageObject.MSG, ((WireMessage.ObjectMessage) m).object().objectType());
        case "error" -> {
          WireMessage.ErrorMessage e = (WireMessage.ErrorMessage) m;
          assertEquals(2, e.fatal());
          assertEquals("Too many connections from your IP.", e.text());
        }
        default -> {}
      }
    }
  }

  @Test
  void corruptedChecksumIsATypedError() throws Exception {
    byte[] bytes = Vectors.hex(V.get("packets").get(3).get("packet_hex"));
    bytes[bytes.length - 1] ^= 1;
    BadChecksumException e =
        assertThrows(BadChecksumException.class, () -> PacketCodec.decode(bytes));
    assertEquals(ErrorCode.BAD_CHECKSUM, e.code());
  }

  @Test
  void refusesAnOversizedLengthBeforeReadingThePayload() throws Exception {
    byte[] header = Vectors.hex(V.get("packets").get(1).get("packet_hex"));
    header[16] = (byte) 0x7f; // length 0x7f000000
    // The stream holds only the header: a reader that trusted the length would block or allocate.
    TooLargeException e =
        assertThrows(
            TooLargeException.class, () -> PacketCodec.read(new ByteArrayInputStream(header)));
    assertEquals(ErrorCode.TOO_LARGE, e.code());
  }

  @Test
  void acceptsExactly50000InventoryVectorsAndRefusesMore() throws Exception {
    byte[] ok = new byte[3 + 50_000 * 32];
    ok[0] = (byte) 0xfd;
    ok[1] = (byte) (50_000 >> 8);
    ok[2] = (byte) 50_000;
    assertEquals(
        50_000, ((WireMessage.Inv) WireMessage.decode(new Packet("inv", ok))).hashes().size());
    byte[] tooMany = ok.clone();
    tooMany[2] = (byte) 50_001;
    assertThrows(TooLargeException.class, () -> WireMessage.decode(new Packet("inv", tooMany)));
  }

  @Test
  void refusesMoreThan1000AddressesBeforeReadingThem() {
    byte[] payload = {(byte) 0xfd, 0x03, (byte) 0xe9}; // 1001, and no entries at all
    assertThrows(TooLargeException.class, () -> WireMessage.decode(new Packet("addr", payload)));
  }

  @Test
  void refusesACommandPaddedWithSomethingElseThanNul() throws Exception {
    byte[] bytes = Vectors.hex(V.get("packets").get(1).get("packet_hex")); // verack
    bytes[4 + 11] = 'x';
    MalformedObjectException e =
        assertThrows(MalformedObjectException.class, () -> PacketCodec.decode(bytes));
    assertEquals(ErrorCode.MALFORMED_OBJECT, e.code());
  }

  @Test
  void refusesAStreamListLongerThanTheLimit() throws Exception {
    byte[] version =
        PacketCodec.decode(Vectors.hex(V.get("packets").get(0).get("packet_hex"))).payload();
    // The last two bytes are the stream list: count 1, stream 1. Claim 160001 streams instead.
    byte[] payload = java.util.Arrays.copyOf(version, version.length + 3);
    int at = version.length - 2;
    payload[at] = (byte) 0xfe;
    payload[at + 1] = 0;
    payload[at + 2] = 0x02;
    payload[at + 3] = 0x71;
    payload[at + 4] = 0x01;
    assertThrows(TooLargeException.class, () -> WireMessage.decode(new Packet("version", payload)));
  }
}
