package org.sceau.bitmessage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.sceau.bitmessage.internal.Hashes;

/** pow.json: targets, trial values and verdicts of PyBitmessage's isProofOfWorkSufficient. */
class PowVectorsTest {
  private static final JsonNode V = Vectors.load("pow");

  private static PowDifficulty difficulty(JsonNode c) {
    return new PowDifficulty(
        c.get("nonce_trials_per_byte").asLong(), c.get("payload_length_extra_bytes").asLong());
  }

  @Test
  void targetsInitialHashesAndTrialValuesMatch() throws Exception {
    assertEquals(3, V.get("cases").size());
    for (JsonNode c : V.get("cases")) {
      byte[] without = Vectors.hex(c.get("object_without_nonce_hex"));
      byte[] full = Vectors.hex(c.get("object_hex"));
      assertArrayEquals(Vectors.hex(c.get("initial_hash_hex")), Hashes.sha512(without));
      long target =
          difficulty(c).target(c.get("payload_length_incl_nonce").asLong(), c.get("ttl").asLong());
      assertEquals(Vectors.u64(c.get("target")), target);
      assertEquals(Vectors.u64(c.get("trial_value")), ProofOfWork.trialValue(full));
      assertArrayEquals(
          Vectors.hex(c.get("result_hash_hex")),
          Hashes.doubleSha512(Vectors.hex(c.get("nonce_hex")), Hashes.sha512(without)));
      BitmessageObject o = ObjectCodec.decode(full);
      ProofOfWork.check(o, difficulty(c), c.get("recv_time_for_check").asLong());
      PendingObject p = new PendingObject(without, o.expiresTime(), difficulty(c));
      assertEquals(target, p.target(c.get("recv_time_for_check").asLong()));
      assertEquals(o, p.complete(o.nonce()));
    }
  }

  @Test
  void sequentialSearchFindsTheSameFirstNonceAsPyBitmessage() throws Exception {
    JsonNode c = V.get("cases").get(0);
    assertEquals("sequential from 1 (first valid nonce)", c.get("nonce_search").asText());
    byte[] ih = Vectors.hex(c.get("initial_hash_hex"));
    // One thread searches nonces in order from 0, so it must stop at the first valid one.
    long nonce = ProofOfWork.create(1).start(ih, Vectors.u64(c.get("target")), null).await();
    assertEquals(c.get("nonce").asLong(), nonce);
  }

  @Test
  void invalidCasesAreRefusedWithTheTypedError() throws Exception {
    assertEquals(3, V.get("invalid_cases").size());
    JsonNode[] all = {
      V.get("invalid_cases").get(0),
      V.get("invalid_cases").get(1),
      V.get("invalid_cases").get(2),
      V.get("ttl_effect_case")
    };
    for (JsonNode c : all) {
      byte[] full = Vectors.hex(c.get("object_hex"));
      BitmessageObject o = ObjectCodec.decode(full);
      assertEquals(Vectors.u64(c.get("trial_value")), ProofOfWork.trialValue(full));
      long recv = c.get("recv_time_for_check").asLong();
      assertEquals(
          Vectors.u64(c.get("target")), difficulty(c).target(full.length, o.expiresTime() - recv));
      InsufficientPowException e =
          assertThrows(
              InsufficientPowException.class, () -> ProofOfWork.check(o, difficulty(c), recv));
      assertEquals(ErrorCode.INSUFFICIENT_POW, e.code());
    }
  }

  @Test
  void everyLiveObjectHasSufficientPowAtItsReceiveTime() throws Exception {
    assertEquals(8, V.get("live_node_objects").size());
    for (JsonNode c : V.get("live_node_objects")) {
      BitmessageObject o = ObjectCodec.decode(Vectors.hex(c.get("object_hex")));
      assertEquals(c.get("inventory_hash_hex").asText(), Vectors.hex(o.inventoryHash()));
      ProofOfWork.check(o, PowDifficulty.DEFAULT, c.get("recv_time").asLong());
    }
  }
}
