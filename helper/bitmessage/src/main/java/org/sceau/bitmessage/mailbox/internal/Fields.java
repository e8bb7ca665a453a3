package org.sceau.bitmessage.mailbox.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored record: named text fields, written as {@code 1 ‖ count u16 ‖ (len u16 ‖ name ‖ len u32 ‖
 * value)*}. Reading bounds every length against what is left before allocating.
 */
final class Fields {
  private static final int FORMAT = 1;
  private static final int MAX_FIELDS = 256;
  private final Map<String, String> values = new LinkedHashMap<>();

  Fields put(String name, String value) {
    if (value != null) {
      values.put(name, value);
    }
    return this;
  }

  Fields put(String name, long value) {
    values.put(name, Long.toString(value));
    return this;
  }

  Fields put(String name, boolean value) {
    values.put(name, value ? "1" : "0");
    return this;
  }

  String text(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing field " + name);
    }
    return v;
  }

  String text(String name, String dflt) {
    return values.getOrDefault(name, dflt);
  }

  long number(String name, long dflt) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("field " + name + " is not a number");
    }
  }

  boolean flag(String name) {
    return "1".equals(values.get(name));
  }

  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(FORMAT);
    out.write(values.size() >> 8);
    out.write(values.size());
    for (Map.Entry<String, String> e : values.entrySet()) {
      byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
      out.write(k.length >> 8);
      out.write(k.length);
      out.writeBytes(k);
      out.writeBytes(ByteBuffer.allocate(4).putInt(v.length).array());
      out.writeBytes(v);
    }
    return out.toByteArray();
  }

  /**
   * @throws IllegalArgumentException for anything but a record this class wrote
   */
  static Fields decode(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    if (b.remaining() < 3 || b.get() != FORMAT) {
      throw new IllegalArgumentException("unknown record format");
    }
    int count = b.getShort() & 0xffff;
    if (count > MAX_FIELDS) {
      throw new IllegalArgumentException("too many fields");
    }
    Fields f = new Fields();
    for (int i = 0; i < count; i++) {
      if (b.remaining() < 2) {
        throw new IllegalArgumentException("truncated record");
      }
      int kl = b.getShort() & 0xffff;
      if (kl > b.remaining()) {
        throw new IllegalArgumentException("truncated record");
      }
      byte[] k = new byte[kl];
      b.get(k);
      if (b.remaining() < 4) {
        throw new IllegalArgumentException("truncated record");
      }
      int vl = b.getInt();
      if (vl < 0 || vl > b.remaining()) {
        throw new IllegalArgumentException("truncated record");
      }
      byte[] v = new byte[vl];
      b.get(v);
      f.values.put(new String(k, StandardCharsets.UTF_8), new String(v, StandardCharsets.UTF_8));
    }
    return f;
  }
}
