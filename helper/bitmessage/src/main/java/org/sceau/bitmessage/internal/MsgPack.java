package org.sceau.bitmessage.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.sceau.bitmessage.MalformedObjectException;
import org.sceau.bitmessage.TooLargeException;

/**
 * The small part of msgpack that Bitmessage's extended encoding (3) uses: {@code zlib(msgpack({"":
 * "message", "subject": …, "body": …}))}. The reader handles every msgpack type so it can skip what
 * it does not need, bounds nesting and lengths, and never allocates more than the input allows.
 */
public final class MsgPack {
  private static final int MAX_DEPTH = 16;

  private MsgPack() {}

  public static byte[] encodeExtendedMessage(String subject, String body) {
    WireWriter w = new WireWriter(subject.length() + body.length() + 32);
    w.u8(0x83);
    str(w, "");
    str(w, "message");
    str(w, "subject");
    str(w, subject);
    str(w, "body");
    str(w, body);
    byte[] packed = w.toByteArray();
    Deflater d = new Deflater(9);
    d.setInput(packed);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(packed.length / 2 + 64);
    byte[] buf = new byte[8192];
    while (!d.finished()) {
      int n = d.deflate(buf);
      out.write(buf, 0, n);
    }
    d.end();
    return out.toByteArray();
  }

  private static void str(WireWriter w, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length < 32) {
      w.u8(0xa0 | b.length);
    } else if (b.length < 256) {
      w.u8(0xd9).u8(b.length);
    } else if (b.length < 65536) {
      w.u8(0xda).u16(b.length);
    } else {
      w.u8(0xdb).u32(b.length);
    }
    w.bytes(b);
  }

  /** Returns {subject, body}. */
  public static String[] decodeExtendedMessage(byte[] compressed, int maxDecompressed)
      throws MalformedObjectException, TooLargeException {
    byte[] packed = inflate(compressed, maxDecompressed);
    WireReader r = new WireReader(packed);
    Object root = read(r, 0);
    if (!(root instanceof Map<?, ?> map)) {
      throw new MalformedObjectException("extended message is not a msgpack map");
    }
    Object type = map.get("");
    if (!"message".equals(type)) {
      throw new MalformedObjectException("extended message has no or an unsupported type");
    }
    return new String[] {asString(map.get("subject")), asString(map.get("body"))};
  }

  private static String asString(Object o) {
    if (o instanceof String s) {
      return s;
    }
    if (o instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return "";
  }

  static byte[] inflate(byte[] data, int max) throws MalformedObjectException, TooLargeException {
    Inflater inf = new Inflater();
    try {
      inf.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, data.length * 4 + 64));
      byte[] buf = new byte[8192];
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          throw new MalformedObjectException("truncated compressed message");
        }
        if (out.size() + n > max) {
          throw new TooLargeException("decompressed message is over " + max + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new MalformedObjectException("message is not valid zlib data");
    } finally {
      inf.end();
    }
  }

  /**
   * Reads one msgpack value. Strings → String, bin → byte[], ints → Long, maps with string keys.
   */
  static Object read(WireReader r, int depth) throws MalformedObjectException {
    if (depth > MAX_DEPTH) {
      throw new MalformedObjectException("msgpack nesting too deep");
    }
    int b = r.u8("msgpack type");
    if (b <= 0x7f) {
      return (long) b;
    }
    if (b >= 0xe0) {
      return (long) (byte) b;
    }
    if ((b & 0xf0) == 0x80) {
      return map(r, b & 0x0f, depth);
    }
    if ((b & 0xf0) == 0x90) {
      return array(r, b & 0x0f, depth);
    }
    if ((b & 0xe0) == 0xa0) {
      return utf8(r.bytes(b & 0x1f, "msgpack str"));
    }
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return Boolean.FALSE;
      case 0xc3:
        return Boolean.TRUE;
      case 0xc4:
        return r.bytes(r.u8("bin8"), "msgpack bin");
      case 0xc5:
        return r.bytes(r.u16("bin16"), "msgpack bin");
      case 0xc6:
        return r.bytes(len32(r), "msgpack bin");
      case 0xc7:
        r.u8("ext type");
        return skipExt(r, r.u8("ext8") + 1);
      case 0xc8:
        return skipExt(r, r.u16("ext16") + 1);
      case 0xc9:
        return skipExt(r, len32(r) + 1);
      case 0xca:
        r.skip(4, "float32");
        return 0L;
      case 0xcb:
        r.skip(8, "float64");
        return 0L;
      case 0xcc:
        return (long) r.u8("uint8");
      case 0xcd:
        return (long) r.u16("uint16");
      case 0xce:
        return r.u32("uint32");
      case 0xcf:
      case 0xd3:
        return r.u64("int64");
      case 0xd0:
        return (long) (byte) r.u8("int8");
      case 0xd1:
        return (long) (short) r.u16("int16");
      case 0xd2:
        return (long) (int) r.u32("int32");
      case 0xd4:
        return skipExt(r, 2);
      case 0xd5:
        return skipExt(r, 3);
      case 0xd6:
        return skipExt(r, 5);
      case 0xd7:
        return skipExt(r, 9);
      case 0xd8:
        return skipExt(r, 17);
      case 0xd9:
        return utf8(r.bytes(r.u8("str8"), "msgpack str"));
      case 0xda:
        return utf8(r.bytes(r.u16("str16"), "msgpack str"));
      case 0xdb:
        return utf8(r.bytes(len32(r), "msgpack str"));
      case 0xdc:
        return array(r, r.u16("array16"), depth);
      case 0xdd:
        return array(r, len32(r), depth);
      case 0xde:
        return map(r, r.u16("map16"), depth);
      case 0xdf:
        return map(r, len32(r), depth);
      default:
        throw new MalformedObjectException("invalid msgpack type byte");
    }
  }

  private static int len32(WireReader r) throws MalformedObjectException {
    long n = r.u32("msgpack length");
    if (n > r.remaining()) {
      throw new MalformedObjectException("msgpack length beyond the input");
    }
    return (int) n;
  }

  private static Object skipExt(WireReader r, int n) throws MalformedObjectException {
    r.skip(n, "msgpack ext");
    return null;
  }

  private static Object array(WireReader r, int n, int depth) throws MalformedObjectException {
    // Each element takes at least one byte: a count above what is left is a lie.
    if (n > r.remaining()) {
      throw new MalformedObjectException("msgpack array count beyond the input");
    }
    for (int i = 0; i < n; i++) {
      read(r, depth + 1);
    }
    return null;
  }

  private static Map<String, Object> map(WireReader r, int n, int depth)
      throws MalformedObjectException {
    if ((long) n * 2 > r.remaining()) {
      throw new MalformedObjectException("msgpack map count beyond the input");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Object k = read(r, depth + 1);
      Object v = read(r, depth + 1);
      if (k instanceof String s) {
        m.put(s, v);
      } else if (k instanceof byte[] kb) {
        m.put(utf8(kb), v);
      }
    }
    return m;
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
