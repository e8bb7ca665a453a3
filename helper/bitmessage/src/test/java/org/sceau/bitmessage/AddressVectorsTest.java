package org.sceau.bitmessage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** addresses.json: every address, key, tag and decode case PyBitmessage produced. */
class AddressVectorsTest {
  private static final JsonNode V = Vectors.load("addresses");

  /** The 2-zero-byte derivation tries ~46 000 key pairs: derive each batch once per run. */
  private static final Map<String, List<Identity>> DERIVED = new HashMap<>();

  private static synchronized List<Identity> derive(
      String pass, int version, int count, int zeros) {
    String key = pass + "|" + version + "|" + zeros;
    List<Identity> have = DERIVED.get(key);
    if (have == null || have.size() < count) {
      have = Identity.fromPassphrase(pass, version, count, zeros);
      DERIVED.put(key, have);
    }
    return have.subList(0, count);
  }

  private static void checkKeyedAddress(JsonNode v) throws Exception {
    int version = v.get("address_version").asInt();
    long stream = v.get("stream").asLong();
    Identity id =
        Identity.fromWif(
            version,
            stream,
            new Identity.WifKeys(
                v.get("priv_signing_key_wif").asText(), v.get("priv_encryption_key_wif").asText()));
    PublicIdentity pub = id.publicIdentity();
    assertEquals(v.get("address").asText(), id.address().toString());
    assertArrayEquals(Vectors.hex(v.get("ripe_hex")), id.address().ripe());
    assertEquals(v.get("pub_signing_key_hex").asText().substring(2), Vectors.hex(pub.signingKey()));
    assertEquals(
        v.get("pub_encryption_key_hex").asText().substring(2), Vectors.hex(pub.encryptionKey()));
    assertEquals(v.get("priv_signing_key_wif").asText(), id.exportWif().signingKey());
    assertEquals(v.get("priv_encryption_key_wif").asText(), id.exportWif().encryptionKey());
    assertEquals(id.address(), BitmessageAddress.parse(v.get("address").asText()));
    assertArrayEquals(
        Vectors.hex(v.get("ripe_hex")),
        BitmessageAddress.ripeOf(pub.signingKey(), pub.encryptionKey()));
    if (v.has("tag_hex")) {
      assertArrayEquals(Vectors.hex(v.get("tag_hex")), id.address().tag());
    }
  }

  @Test
  void liveNodeRandomAddressesMatchTheirKeys() throws Exception {
    for (JsonNode v : V.get("live_node_random_v4")) {
      checkKeyedAddress(v);
    }
  }

  @Test
  void fixedKeyAddressesOfEveryRipeShapeAndStreamMatch() throws Exception {
    assertEquals(8, V.get("fixed_keys").size());
    for (JsonNode v : V.get("fixed_keys")) {
      checkKeyedAddress(v);
    }
  }

  @Test
  void deterministicAddressesMatchPyBitmessageIncludingBatchesAndUnicode() throws Exception {
    // Position of each vector in its batch = how many vectors of the same batch precede it.
    Map<String, List<JsonNode>> batches = new HashMap<>();
    for (JsonNode v : V.get("deterministic")) {
      String key =
          v.get("passphrase").asText()
              + "|"
              + v.get("address_version").asInt()
              + "|"
              + v.get("required_leading_zero_bytes").asInt();
      batches.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
    }
    int checked = 0;
    for (List<JsonNode> batch : batches.values()) {
      batch.sort(
          (a, b) ->
              Long.compare(
                  a.get("signing_key_nonce").asLong(), b.get("signing_key_nonce").asLong()));
      JsonNode first = batch.get(0);
      List<Identity> ids =
          derive(
              first.get("passphrase").asText(),
              first.get("address_version").asInt(),
              batch.size(),
              first.get("required_leading_zero_bytes").asInt());
      for (int i = 0; i < batch.size(); i++) {
        JsonNode v = batch.get(i);
        assertEquals(v.get("address").asText(), ids.get(i).address().toString());
        assertEquals(v.get("priv_signing_key_wif").asText(), ids.get(i).exportWif().signingKey());
        checkKeyedAddress(v);
        checked++;
      }
    }
    assertEquals(V.get("deterministic").size(), checked);
  }

  @Test
  void liveNodeCrossChecksAgree() throws Exception {
    for (JsonNode c : V.get("live_node_crosscheck")) {
      if (c.has("api") && c.get("api").asText().equals("getDeterministicAddress")) {
        Identity id = derive(c.get("passphrase").asText(), c.get("version").asInt(), 1, 1).get(0);
        assertEquals(c.get("node_answer").asText(), id.address().toString());
      } else if (c.has("api")) {
        JsonNode args = c.get("args");
        JsonNode answer = c.get("node_answer");
        List<Identity> ids =
            derive(
                args.get("passphrase").asText(),
                args.get("version").asInt(),
                answer.size(),
                args.get("eighteenByteRipe").asBoolean() ? 2 : 1);
        for (int i = 0; i < answer.size(); i++) {
          assertEquals(answer.get(i).asText(), ids.get(i).address().toString());
        }
      } else {
        String address = c.get("keys_dat_section").asText();
        BitmessageAddress a = BitmessageAddress.parse(address);
        Identity id =
            Identity.fromWif(
                a.version(),
                a.stream(),
                new Identity.WifKeys(c.get("wif_sign").asText(), c.get("wif_enc").asText()));
        assertEquals(address, id.address().toString());
      }
    }
  }

  @Test
  void decodeCasesGiveTheSameVerdictAsPyBitmessage() throws Exception {
    for (JsonNode c : V.get("decodeAddress_cases")) {
      String input = c.get("input").asText();
      if (c.get("status").asText().equals("success")) {
        BitmessageAddress a = BitmessageAddress.parse(input);
        assertEquals(c.get("version").asInt(), a.version());
        assertEquals(c.get("stream").asLong(), a.stream());
        assertArrayEquals(Vectors.hex(c.get("ripe_hex")), a.ripe());
      } else {
        InvalidAddressException e =
            assertThrows(InvalidAddressException.class, () -> BitmessageAddress.parse(input));
        assertEquals(ErrorCode.BAD_ADDRESS, e.code());
      }
    }
  }

  @Test
  void chanIsTheDeterministicV4AddressOfItsName() {
    Identity chan = Identity.chan("hello");
    assertTrue(chan.isChan());
    // addresses.json: the first v4 address of passphrase "hello".
    assertEquals("BM-2cWhA72reAp1CBa8JmspqWRCdw93sDLgiS", chan.address().toString());
  }

  @Test
  void randomIdentitiesHaveTheDemandedLeadingZeros() throws Exception {
    Identity v4 = Identity.random(4);
    assertEquals(0, v4.address().ripe()[0]);
    assertEquals(4, v4.address().version());
    Identity v3 = Identity.random(3);
    assertEquals(3, v3.address().version());
    assertEquals(v3.address(), BitmessageAddress.parse(v3.address().toString()));
  }
}
