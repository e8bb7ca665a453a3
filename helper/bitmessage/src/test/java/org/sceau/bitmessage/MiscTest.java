package org.sceau.bitmessage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MiscTest {
  private static final JsonNode OBJ = Vectors.load("objects");

  @Test
  void allocationBoundCatchesADecoderThatTrustsALength() {
    // The harness of the parser properties must itself fail on a trusted hostile length.
    assertThrows(
        AssertionError.class,
        () ->
            Fuzz.onlyTypedErrors(
                10,
                () -> {
                  byte[] big = new byte[8 << 20];
                  big[1] = 1;
                }));
    assertThrows(
        AssertionError.class,
        () ->
            Fuzz.onlyTypedErrors(
                10,
                () -> {
                  throw new IllegalStateException();
                }));
  }

  @Test
  void describesAnObjectAsJsonWithoutDecrypting() throws Exception {
    JsonNode v = OBJ.get("getpubkey_v4").get(0);
    BitmessageObject o = ObjectCodec.decode(Vectors.hex(v.get("object_hex")));
    JsonNode j = new ObjectMapper().readTree(ObjectJson.describe(o));
    assertEquals("getpubkey", j.get("type").asText());
    assertEquals(v.get("tag_hex").asText(), j.get("tag").asText());
    assertEquals(v.get("inventory_hash_hex").asText(), j.get("inventoryHash").asText());
    JsonNode m =
        new ObjectMapper()
            .readTree(
                ObjectJson.describe(
                    ObjectCodec.decode(Vectors.hex(OBJ.get("msg").get(0).get("object_hex")))));
    assertEquals("msg", m.get("type").asText());
    assertEquals(540, m.get("length").asInt());
  }

  @Test
  void relayRulesFollowPyBitmessage() throws Exception {
    for (String kind : new String[] {"msg", "ack", "pubkey_v4", "broadcast_v5", "getpubkey_v4"}) {
      for (JsonNode v : OBJ.get(kind)) {
        BitmessageObject o = ObjectCodec.decode(Vectors.hex(v.get("object_hex")));
        long recv = v.get("pow_valid_at_recv_time").get("recv_time").asLong();
        assertDoesNotThrow(() -> ObjectCodec.checkRelayRules(o, recv));
        assertThrows(
            MalformedObjectException.class,
            () -> ObjectCodec.checkRelayRules(o, o.expiresTime() + 7200));
        assertThrows(
            MalformedObjectException.class,
            () -> ObjectCodec.checkRelayRules(o, o.expiresTime() - 29L * 86400));
      }
    }
  }

  @Test
  void objectsOverTheLimitAreRefusedBeforeParsing() {
    TooLargeException e =
        assertThrows(TooLargeException.class, () -> ObjectCodec.decode(new byte[(1 << 18) + 1]));
    assertEquals(ErrorCode.TOO_LARGE, e.code());
  }

  @Test
  void wifKeysNeverShowInToString() {
    Identity id = Identity.random(4);
    assertTrue(!id.exportWif().toString().contains(id.exportWif().signingKey()));
    assertTrue(id.toString().contains(id.address().toString()));
  }

  @Test
  void versionWithALongInvalidUtf8UserAgentIsATypedError() throws Exception {
    WireMessage.Version v =
        new WireMessage.Version(
            3,
            1,
            0,
            new NetworkAddress(0, 0, 1, new byte[16], 8444),
            new NetworkAddress(0, 0, 1, new byte[16], 8444),
            7,
            "x".repeat(5000),
            java.util.List.of(1L));
    byte[] payload = v.encodePayload();
    // Replace the 5000 ASCII bytes of the user agent by 0xff (each decodes to 3-byte U+FFFD).
    int start = 4 + 8 + 8 + 26 + 26 + 8 + 3; // version, services, time, 2 addrs, nonce, varint
    for (int i = 0; i < 5000; i++) {
      payload[start + i] = (byte) 0xff;
    }
    assertThrows(
        MalformedObjectException.class, () -> WireMessage.decode(new Packet("version", payload)));
  }
}
