package org.sceau.bitmessage.internal;

import java.math.BigInteger;
import java.util.Arrays;

/** Bitcoin-alphabet base58, as Bitmessage addresses and WIF keys use it. */
public final class Base58 {
  private static final String ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(58);
  private static final int[] INDEX = new int[128];

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      INDEX[ALPHABET.charAt(i)] = i;
    }
  }

  private Base58() {}

  /** Encodes like PyBitmessage's encodeBase58: leading zero bytes are NOT kept as '1'. */
  public static String encode(byte[] data) {
    BigInteger n = new BigInteger(1, data);
    if (n.signum() == 0) {
      return "1";
    }
    StringBuilder sb = new StringBuilder();
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(BASE);
      sb.append(ALPHABET.charAt(qr[1].intValue()));
      n = qr[0];
    }
    return sb.reverse().toString();
  }

  /** Decodes to the big-endian bytes of the number (no leading zero bytes); null if invalid. */
  public static BigInteger decodeNumber(String s) {
    BigInteger n = BigInteger.ZERO;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int d = c < 128 ? INDEX[c] : -1;
      if (d < 0) {
        return null;
      }
      n = n.multiply(BASE).add(BigInteger.valueOf(d));
    }
    return n;
  }

  /** Bitcoin-style encoding keeping leading zeros as '1' (used by WIF). */
  public static String encodeWithLeadingZeros(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    String body = data.length == zeros ? "" : encode(data);
    return "1".repeat(zeros) + body;
  }
}
