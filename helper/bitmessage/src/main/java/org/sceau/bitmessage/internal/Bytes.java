package org.sceau.bitmessage.internal;

import java.util.HexFormat;

/** Small byte helpers. */
public final class Bytes {
  private Bytes() {}

  public static long u32(byte[] b, int off) {
    return ((b[off] & 0xffL) << 24)
        | ((b[off + 1] & 0xffL) << 16)
        | ((b[off + 2] & 0xffL) << 8)
        | (b[off + 3] & 0xffL);
  }

  public static long u64(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  public static void putU64(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + 7 - i] = (byte) (v >>> (8 * i));
    }
  }

  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  public static byte[] unhex(String s) {
    return HexFormat.of().parseHex(s);
  }

  /** Time-independent comparison (for MACs and checksums computed from secret data). */
  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return java.security.MessageDigest.isEqual(a, b);
  }
}
