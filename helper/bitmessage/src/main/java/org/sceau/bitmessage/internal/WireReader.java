package org.sceau.bitmessage.internal;

import java.util.Arrays;
import org.sceau.bitmessage.MalformedObjectException;
import org.sceau.bitmessage.TooLargeException;

/**
 * Reads big-endian protocol fields from a byte array. Every length is checked against what is left
 * in the input before anything is allocated, so a hostile length costs nothing.
 */
public final class WireReader {
  private final byte[] buf;
  private int pos;
  private final int limit;

  public WireReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public WireReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  public int position() {
    return pos;
  }

  public int remaining() {
    return limit - pos;
  }

  public boolean hasRemaining() {
    return pos < limit;
  }

  private void need(int n, String what) throws MalformedObjectException {
    if (n < 0 || limit - pos < n) {
      throw new MalformedObjectException("truncated input: " + what + " needs " + n + " bytes");
    }
  }

  public int u8(String what) throws MalformedObjectException {
    need(1, what);
    return buf[pos++] & 0xff;
  }

  public int u16(String what) throws MalformedObjectException {
    need(2, what);
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  /** Unsigned 32-bit value as a long. */
  public long u32(String what) throws MalformedObjectException {
    need(4, what);
    long v = Bytes.u32(buf, pos);
    pos += 4;
    return v;
  }

  public long u64(String what) throws MalformedObjectException {
    need(8, what);
    long v = Bytes.u64(buf, pos);
    pos += 8;
    return v;
  }

  /**
   * A var_int as an unsigned 64-bit value (in a signed long). Non-minimal encodings are rejected,
   * as PyBitmessage's decodeVarint does.
   */
  public long varint(String what) throws MalformedObjectException {
    int first = u8(what);
    if (first < 0xfd) {
      return first;
    }
    long v;
    long min;
    if (first == 0xfd) {
      v = u16(what);
      min = 0xfd;
    } else if (first == 0xfe) {
      v = u32(what);
      min = 0x10000;
    } else {
      v = u64(what);
      min = 0x100000000L;
    }
    if (Long.compareUnsigned(v, min) < 0) {
      throw new MalformedObjectException("non-minimal var_int encoding of " + what);
    }
    return v;
  }

  /** A var_int that must not exceed {@code max} (checked before the caller allocates). */
  public int varintAtMost(long max, String what)
      throws MalformedObjectException, TooLargeException {
    long v = varint(what);
    if (Long.compareUnsigned(v, max) > 0) {
      throw new TooLargeException(what + " is over the limit of " + max);
    }
    return (int) v;
  }

  /** A var_int whose value must fit a long and be within [0, max]; otherwise malformed. */
  public long varintInRange(long max, String what) throws MalformedObjectException {
    long v = varint(what);
    if (v < 0 || v > max) {
      throw new MalformedObjectException(what + " out of range");
    }
    return v;
  }

  public byte[] bytes(int n, String what) throws MalformedObjectException {
    need(n, what);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  /** var_str/var_bytes: a length bounded by {@code max} and by the remaining input. */
  public byte[] varBytes(int max, String what) throws MalformedObjectException, TooLargeException {
    int n = varintAtMost(max, what + " length");
    return bytes(n, what);
  }

  public byte[] rest() {
    byte[] out = Arrays.copyOfRange(buf, pos, limit);
    pos = limit;
    return out;
  }

  public void skip(int n, String what) throws MalformedObjectException {
    need(n, what);
    pos += n;
  }

  public void expectEnd(String what) throws MalformedObjectException {
    if (pos != limit) {
      throw new MalformedObjectException(
          (limit - pos) + " unexpected trailing bytes after " + what);
    }
  }
}
