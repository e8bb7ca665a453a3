package org.sceau.bitmessage.internal;

import java.util.Arrays;

/** Appends big-endian protocol fields to a growing buffer. */
public final class WireWriter {
  private byte[] buf;
  private int size;

  public WireWriter() {
    this(64);
  }

  public WireWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void ensure(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
  }

  public WireWriter u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  public WireWriter u16(int v) {
    ensure(2);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
    return this;
  }

  public WireWriter u32(long v) {
    ensure(4);
    for (int i = 3; i >= 0; i--) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  public WireWriter u64(long v) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  /** Minimal var_int of an unsigned 64-bit value. */
  public WireWriter varint(long v) {
    if (Long.compareUnsigned(v, 0xfd) < 0) {
      return u8((int) v);
    } else if (Long.compareUnsigned(v, 0xffff) <= 0) {
      return u8(0xfd).u16((int) v);
    } else if (Long.compareUnsigned(v, 0xffffffffL) <= 0) {
      return u8(0xfe).u32(v);
    }
    return u8(0xff).u64(v);
  }

  public WireWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public WireWriter bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  public WireWriter varBytes(byte[] b) {
    return varint(b.length).bytes(b);
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  public static byte[] varintBytes(long v) {
    return new WireWriter(9).varint(v).toByteArray();
  }
}
