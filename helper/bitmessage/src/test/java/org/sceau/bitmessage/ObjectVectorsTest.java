package org.sceau.bitmessage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * objects.json: real objects two live PyBitmessage nodes exchanged, read through the same code
 * paths as our own objects (decode, PoW check, decrypt, verify, text decoding).
 */
class ObjectVectorsTest {
  private static final JsonNode V = Vectors.load("objects");

  private static BitmessageObject object(JsonNode v) throws Exception {
    byte[] bytes = Vectors.hex(v.get("object_hex"));
    BitmessageObject o = ObjectCodec.decode(bytes);
    assertArrayEquals(bytes, o.encode(), "re-encoding gives the same bytes");
    assertEquals(v.get("length").asInt(), bytes.length);
    JsonNode h = v.get("header");
    assertEquals(h.get("nonce").asLong(), o.nonce());
    assertEquals(h.get("expires_time").asLong(), o.expiresTime());
    assertEquals(h.get("object_type").asLong(), o.objectType());
    assertEquals(h.get("object_version").asLong(), o.version());
    assertEquals(h.get("stream").asLong(), o.stream());
    assertEquals(v.get("inventory_hash_hex").asText(), Vectors.hex(o.inventoryHash()));
    JsonNode pow = v.get("pow_valid_at_recv_time");
    assertTrue(pow.get("isProofOfWorkSufficient").asBoolean());
    ProofOfWork.check(o, PowDifficulty.DEFAULT, pow.get("recv_time").asLong());
    return o;
  }

  @Test
  void decryptsAndVerifiesBothLiveMsgsLikeTheReceivingNode() throws Exception {
    assertEquals(2, V.get("msg").size());
    for (JsonNode v : V.get("msg")) {
      BitmessageObject o = object(v);
      Identity recipient = LabIdentities.byAddress(v.get("recipient_address").asText());
      ReceivedMessage m = ObjectReader.readMsg(o, recipient);
      JsonNode d = v.get("decoded");
      JsonNode row = v.get("node_inbox_row");
      assertEquals(d.get("sender_address").asText(), m.sender().address().toString());
      assertEquals(row.get("fromaddress").asText(), m.sender().address().toString());
      assertEquals(row.get("toaddress").asText(), m.recipient().toString());
      assertEquals(d.get("subject").asText(), m.content().subject());
      assertEquals(row.get("subject").asText(), m.content().subject());
      assertEquals(d.get("body").asText(), m.content().body());
      assertEquals(row.get("message").asText(), m.content().body());
      assertEquals(d.get("encoding").asInt(), m.content().encoding());
      assertEquals(
          d.get("pub_signing_key_hex").asText().substring(2), Vectors.hex(m.sender().signingKey()));
      assertEquals(
          d.get("nonce_trials_per_byte").asLong(), m.sender().difficulty().nonceTrialsPerByte());
      assertEquals(d.get("behavior_bitfield").asInt(), m.sender().behavior());
      assertEquals(d.get("ack_data_hex").asText(), Vectors.hex(m.ackPacket()));
      BitmessageObject ack = m.ackObject().orElseThrow();
      assertEquals(d.get("ack_inventory_hash_hex").asText(), Vectors.hex(ack.inventoryHash()));
      // The msg is not for its sender: trial decryption with the wrong identity fails the MAC.
      Identity other = LabIdentities.byAddress(d.get("sender_address").asText());
      assertThrows(BadMacException.class, () -> ObjectReader.readMsg(o, other));
    }
  }

  @Test
  void liveAcksAreTheObjectsEmbeddedInTheMsgs() throws Exception {
    assertEquals(2, V.get("ack").size());
    for (JsonNode a : V.get("ack")) {
      BitmessageObject ack = object(a);
      String msgHash = a.get("embedded_in_msg_inventory_hash").asText();
      for (JsonNode v : V.get("msg")) {
        if (v.get("inventory_hash_hex").asText().equals(msgHash)) {
          ReceivedMessage m =
              ObjectReader.readMsg(
                  ObjectCodec.decode(Vectors.hex(v.get("object_hex"))),
                  LabIdentities.byAddress(v.get("recipient_address").asText()));
          assertArrayEquals(
              ObjectReader.ackData(ack), ObjectReader.ackData(m.ackObject().orElseThrow()));
          assertEquals(ack, m.ackObject().orElseThrow());
        }
      }
      assertEquals(54, ack.encode().length);
    }
  }

  @Test
  void readsBothLivePubkeysWithTheAddressKey() throws Exception {
    for (JsonNode v : V.get("pubkey_v4")) {
      BitmessageObject o = object(v);
      BitmessageAddress address = BitmessageAddress.parse(v.get("address").asText());
      assertArrayEquals(Vectors.hex(v.get("tag_hex")), ObjectReader.tag(o));
      PublicIdentity p = ObjectReader.readPubkey(o, address);
      JsonNode d = v.get("decoded");
      assertEquals(address, p.address());
      assertEquals(d.get("behavior_bitfield").asInt(), p.behavior());
      assertEquals(d.get("pub_signing_key_hex").asText().substring(2), Vectors.hex(p.signingKey()));
      assertEquals(
          d.get("pub_encryption_key_hex").asText().substring(2), Vectors.hex(p.encryptionKey()));
      assertEquals(
          new PowDifficulty(
              d.get("nonce_trials_per_byte").asLong(),
              d.get("payload_length_extra_bytes").asLong()),
          p.difficulty());
      // Someone else's address cannot read it.
      BitmessageAddress other = Identity.random(4).address();
      assertThrows(BadMacException.class, () -> ObjectReader.readPubkey(o, other));
    }
  }

  @Test
  void readsTheLiveBroadcastAsASubscriber() throws Exception {
    JsonNode v = V.get("broadcast_v5").get(0);
    BitmessageObject o = object(v);
    BitmessageAddress sender = BitmessageAddress.parse(v.get("sender_address").asText());
    ReceivedBroadcast b = ObjectReader.readBroadcast(o, sender);
    JsonNode row = v.get("node_inbox_row");
    assertEquals(row.get("fromaddress").asText(), b.sender().address().toString());
    assertEquals(row.get("subject").asText(), b.content().subject());
    assertEquals(row.get("message").asText(), b.content().body());
    assertEquals(v.get("decoded").get("encoding").asInt(), b.content().encoding());
  }

  @Test
  void readsTheLiveGetpubkey() throws Exception {
    JsonNode v = V.get("getpubkey_v4").get(0);
    BitmessageObject o = object(v);
    GetPubkeyRequest r = ObjectReader.readGetPubkey(o);
    assertArrayEquals(Vectors.hex(v.get("tag_hex")), r.ripeOrTag());
    assertTrue(r.asksFor(BitmessageAddress.parse(v.get("requested_address").asText())));
    assertTrue(
        !r.asksFor(LabIdentities.alice().address())
            || v.get("requested_address")
                .asText()
                .equals(LabIdentities.alice().address().toString()));
  }
}
