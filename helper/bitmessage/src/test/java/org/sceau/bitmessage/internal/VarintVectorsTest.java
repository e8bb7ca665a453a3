package org.sceau.bitmessage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.sceau.bitmessage.MalformedObjectException;
import org.sceau.bitmessage.Vectors;

/** addresses.json#varint: minimal encodings only, as decodeVarint. */
class VarintVectorsTest {
  private static final JsonNode V = Vectors.load("addresses").get("varint");

  @Test
  void encodesAndDecodesEveryValidVarint() throws Exception {
    for (JsonNode v : V.get("valid")) {
      long value = Vectors.u64(v.get("value"));
      byte[] bytes = Vectors.hex(v.get("hex"));
      assertEquals(v.get("hex").asText(), Vectors.hex(WireWriter.varintBytes(value)));
      WireReader r = new WireReader(bytes);
      assertEquals(value, r.varint("v"));
      r.expectEnd("v");
    }
  }

  @Test
  void rejectsNonMinimalAndTruncatedVarints() {
    for (JsonNode v : V.get("invalid_non_minimal_or_short")) {
      byte[] bytes = Vectors.hex(v.get("hex"));
      assertThrows(MalformedObjectException.class, () -> new WireReader(bytes).varint("v"));
    }
  }
}
