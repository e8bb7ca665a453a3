package org.sceau.chat.internal;

import java.io.ByteArrayOutputStream;
import org.sceau.chat.ChatException;

/**
 * Minimal big-endian binary writer and bounded reader for Sceau's own formats (saved group state,
 * chat payloads). The reader checks every length against the bytes that remain, and against a
 * caller-given maximum, before it allocates anything.
 */
public final class Bin {
  private Bin() {}

  /** Appends fixed-width integers and length-prefixed byte strings. */
  public static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public Writer u8(int v) {
      out.write(v & 0xff);
      return this;
    }

    public Writer u16(int v) {
      out.write((v >>> 8) & 0xff);
      out.write(v & 0xff);
      return this;
    }

    public Writer u32(long v) {
      for (int s = 24; s >= 0; s -= 8) {
        out.write((int) (v >>> s) & 0xff);
      }
      return this;
    }

    public Writer u64(long v) {
      for (int s = 56; s >= 0; s -= 8) {
        out.write((int) (v >>> s) & 0xff);
      }
      return this;
    }

    /** A 32-bit length then the bytes. */
    public Writer bytes(byte[] b) {
      u32(b.length);
      out.write(b, 0, b.length);
      return this;
    }

    /** A presence byte, then {@link #bytes} if present. */
    public Writer optBytes(byte[] b) {
      if (b == null) {
        return u8(0);
      }
      u8(1);
      return bytes(b);
    }

    public byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** Reads what {@link Writer} wrote; any inconsistency is a {@link ChatException}. */
  public static final class Reader {
    private final byte[] in;
    private int pos;
    private final ChatException.Code errorCode;

    public Reader(byte[] in, ChatException.Code errorCode) {
      this.in = in;
      this.errorCode = errorCode;
    }

    private ChatException bad(String what) {
      return new ChatException(errorCode, errorCode.userMessage() + " (" + what + ")");
    }

    private void need(long n) throws ChatException {
      if (n < 0 || n > in.length - pos) {
        throw bad("truncated");
      }
    }

    public int u8() throws ChatException {
      need(1);
      return in[pos++] & 0xff;
    }

    public int u16() throws ChatException {
      need(2);
      int v = ((in[pos] & 0xff) << 8) | (in[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    public long u32() throws ChatException {
      need(4);
      long v = 0;
      for (int i = 0; i < 4; i++) {
        v = (v << 8) | (in[pos++] & 0xff);
      }
      return v;
    }

    public long u64() throws ChatException {
      need(8);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (in[pos++] & 0xff);
      }
      return v;
    }

    /** A u32 that must lie in [0, max]. */
    public int count(int max) throws ChatException {
      long v = u32();
      if (v > max) {
        throw bad("count over limit");
      }
      return (int) v;
    }

    /** A length-prefixed byte string of at most {@code max} bytes. */
    public byte[] bytes(int max) throws ChatException {
      long n = u32();
      if (n > max) {
        throw bad("field over limit");
      }
      need(n);
      byte[] b = new byte[(int) n];
      System.arraycopy(in, pos, b, 0, (int) n);
      pos += (int) n;
      return b;
    }

    public byte[] optBytes(int max) throws ChatException {
      int flag = u8();
      if (flag == 0) {
        return null;
      }
      if (flag != 1) {
        throw bad("bad presence flag");
      }
      return bytes(max);
    }

    public boolean atEnd() {
      return pos == in.length;
    }

    public void end() throws ChatException {
      if (!atEnd()) {
        throw bad("trailing bytes");
      }
    }
  }
}
