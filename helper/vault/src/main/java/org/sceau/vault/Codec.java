package org.sceau.vault;

import java.nio.charset.StandardCharsets;

/**
 * Turns a capability's values into bytes and back, for a typed {@link Repository}.
 *
 * @param <T> the value type
 */
public interface Codec<T> {
  byte[] encode(T value);

  /**
   * @throws IllegalArgumentException when the bytes are not a valid encoding
   */
  T decode(byte[] bytes);

  static Codec<byte[]> bytes() {
    return new Codec<>() {
      @Override
      public byte[] encode(byte[] value) {
        return value.clone();
      }

      @Override
      public byte[] decode(byte[] bytes) {
        return bytes.clone();
      }
    };
  }

  static Codec<String> utf8() {
    return new Codec<>() {
      @Override
      public byte[] encode(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
      }
    };
  }
}
