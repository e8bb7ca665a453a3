package org.sceau.bitmessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.HexFormat;

/** Loads the PyBitmessage 0.6.3.2 vectors copied from shared/bitmessage/vectors. */
public final class Vectors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Vectors() {}

  public static JsonNode load(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("missing vector file " + name);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] hex(JsonNode n) {
    return HexFormat.of().parseHex(n.asText());
  }

  public static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** A u64 from a JSON number that may exceed 2^63. */
  public static long u64(JsonNode n) {
    return new BigInteger(n.asText()).longValue();
  }
}
