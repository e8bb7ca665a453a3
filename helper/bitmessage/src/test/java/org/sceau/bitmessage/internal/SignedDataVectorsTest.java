package org.sceau.bitmessage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.ObjectCodec;
import org.sceau.bitmessage.Vectors;

/** objects.json: the exact signed bytes and signatures of the live msg, pubkey and broadcast. */
class SignedDataVectorsTest {
  private static final JsonNode V = Vectors.load("objects");

  @Test
  void msgSignedDataIsHeaderPlusPlaintextBeforeTheSignature() throws Exception {
    for (JsonNode v : V.get("msg")) {
      BitmessageObject o = ObjectCodec.decode(Vectors.hex(v.get("object_hex")));
      byte[] clear = Vectors.hex(v.get("decrypted_hex"));
      Plaintexts.Msg m = Plaintexts.Msg.decode(clear);
      assertArrayEquals(clear, m.encode());
      byte[] signed = Bytes.concat(o.headerWithoutNonce(), m.encodeUnsigned());
      assertEquals(v.get("signed_data_hex").asText(), Vectors.hex(signed));
      assertEquals(v.get("signature_hex").asText(), Vectors.hex(m.sig()));
      assertTrue(
          Secp256k1.verifyWith("sha256", Secp256k1.decodePoint64(m.signingKey()), signed, m.sig()));
      assertEquals(
          v.get("decoded").get("destination_ripe_hex").asText(), Vectors.hex(m.destinationRipe()));
    }
  }

  @Test
  void pubkeyAndBroadcastSignedDataIncludeTheTag() throws Exception {
    for (JsonNode v : V.get("pubkey_v4")) {
      BitmessageObject o = ObjectCodec.decode(Vectors.hex(v.get("object_hex")));
      byte[] clear = Vectors.hex(v.get("decrypted_hex"));
      Plaintexts.Pubkey p = Plaintexts.Pubkey.decode(clear, false);
      assertArrayEquals(clear, p.encode(true));
      byte[] tag = Vectors.hex(v.get("tag_hex"));
      byte[] signed = Bytes.concat(o.headerWithoutNonce(), tag, p.encodeUnsigned(true));
      assertEquals(v.get("signed_data_hex").asText(), Vectors.hex(signed));
      assertEquals(v.get("signature_hex").asText(), Vectors.hex(p.sig()));
      assertEquals(
          v.get("decryption_privkey_hex").asText(),
          Vectors.hex(
              AddressKeys.privateKey(
                  org.sceau.bitmessage.BitmessageAddress.parse(v.get("address").asText()))));
    }
    for (JsonNode v : V.get("broadcast_v5")) {
      BitmessageObject o = ObjectCodec.decode(Vectors.hex(v.get("object_hex")));
      byte[] clear = Vectors.hex(v.get("decrypted_hex"));
      Plaintexts.Broadcast b = Plaintexts.Broadcast.decode(clear);
      assertArrayEquals(clear, b.encode());
      byte[] signed =
          Bytes.concat(o.headerWithoutNonce(), Vectors.hex(v.get("tag_hex")), b.encodeUnsigned());
      assertEquals(v.get("signed_data_hex").asText(), Vectors.hex(signed));
      assertEquals(v.get("signature_hex").asText(), Vectors.hex(b.sig()));
    }
  }

  @Test
  void addressKeysMatchTheVectors() throws Exception {
    for (JsonNode v : Vectors.load("addresses").get("fixed_keys")) {
      org.sceau.bitmessage.BitmessageAddress a =
          org.sceau.bitmessage.BitmessageAddress.parse(v.get("address").asText());
      if (v.has("broadcast_v4_privkey_hex")) {
        assertEquals(
            v.get("broadcast_v4_privkey_hex").asText(), Vectors.hex(AddressKeys.privateKey(a)));
      }
      if (v.has("pubkey_and_broadcast_privkey_hex")) {
        assertEquals(
            v.get("pubkey_and_broadcast_privkey_hex").asText(),
            Vectors.hex(AddressKeys.privateKey(a)));
      }
    }
    for (JsonNode v : Vectors.load("addresses").get("live_node_random_v4")) {
      org.sceau.bitmessage.BitmessageAddress a =
          org.sceau.bitmessage.BitmessageAddress.parse(v.get("address").asText());
      assertEquals(
          v.get("pubkey_and_broadcast_privkey_hex").asText(),
          Vectors.hex(AddressKeys.privateKey(a)));
      assertEquals(
          v.get("pubkey_and_broadcast_pubkey_hex").asText(),
          Vectors.hex(AddressKeys.publicKey(a).getEncoded(false)));
      assertEquals(
          v.get("double_sha512_hex").asText(),
          Vectors.hex(Hashes.doubleSha512(AddressKeys.addressData(a))));
    }
  }
}
