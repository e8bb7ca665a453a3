package org.sceau.chat.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes {@link Frame}s in the relay's compact binary format (docs/relay-protocol.md):
 * {@code version:u8 type:u8 body}, big-endian integers, {@code u32}-length-prefixed byte strings.
 * Every length is checked against {@link WireLimits} and against the bytes actually left before
 * anything is allocated; a bad frame is a {@link WireException}, never another exception.
 * Thread-safe.
 */
public final class WireCodec {
  public static final int VERSION = 1;

  static final int T_CHALLENGE = 0x01;
  static final int T_AUTHENTICATE = 0x02;
  static final int T_AUTH_OK = 0x03;
  static final int T_OK = 0x04;
  static final int T_SEND = 0x10;
  static final int T_HANDSHAKE = 0x11;
  static final int T_HANDSHAKE_ACCEPTED = 0x12;
  static final int T_DELIVER = 0x20;
  static final int T_ACK = 0x21;
  static final int T_PUBLISH = 0x30;
  static final int T_CLAIM = 0x31;
  static final int T_CLAIMED = 0x32;
  static final int T_ERROR = 0x7F;

  private static final WireCodec STANDARD = new WireCodec(WireLimits.DEFAULT);

  private final WireLimits limits;

  public WireCodec(WireLimits limits) {
    this.limits = limits;
  }

  /** A codec with {@link WireLimits#DEFAULT}. */
  public static WireCodec standard() {
    return STANDARD;
  }

  public WireLimits limits() {
    return limits;
  }

  // ------------------------------------------------------------------ encode

  /**
   * Encodes a frame.
   *
   * @throws IllegalArgumentException if the frame breaks this codec's limits (the peer would refuse
   *     it)
   */
  public byte[] encode(Frame frame) {
    Out o = new Out(64 + payloadSize(frame));
    o.u8(VERSION);
    o.u8(frame.type());
    if (frame instanceof Frame.Challenge c) {
      check(c.nonce().length == Frame.Challenge.NONCE_LENGTH, "nonce must be 32 bytes");
      o.raw(c.nonce());
      o.u64(c.serverTimeMillis());
      o.u32(c.maxPayloadBytes());
    } else if (frame instanceof Frame.Authenticate a) {
      check(
          a.signature().length == Frame.Authenticate.SIGNATURE_LENGTH,
          "signature must be 64 bytes");
      o.u8(a.register() ? 1 : 0);
      o.raw(a.device().rawUnsafe());
      o.raw(a.signature());
    } else if (frame instanceof Frame.AuthOk a) {
      o.raw(a.device().rawUnsafe());
      o.u64(a.pendingMessages());
      o.u32(a.keyPackagesLeft());
    } else if (frame instanceof Frame.Ok k) {
      o.u32(k.requestId());
      o.u64(k.value());
    } else if (frame instanceof Frame.Send s) {
      o.u32(s.requestId());
      recipients(o, s.recipients());
      payload(o, s.payload());
    } else if (frame instanceof Frame.Handshake h) {
      check(h.kind() != PayloadKind.MESSAGE, "a handshake is a COMMIT or a PROPOSAL");
      o.u32(h.requestId());
      o.u8(h.kind().wire());
      group(o, h.group());
      o.u64(h.epoch());
      recipients(o, h.recipients());
      payload(o, h.payload());
    } else if (frame instanceof Frame.HandshakeAccepted h) {
      o.u32(h.requestId());
      o.u64(h.groupSeq());
      o.u64(h.epoch());
    } else if (frame instanceof Frame.Deliver d) {
      o.u64(d.messageId());
      o.raw(d.sender().rawUnsafe());
      o.u64(d.receivedAtMillis());
      o.u8(d.kind().wire());
      if (d.kind() == PayloadKind.MESSAGE) {
        o.u8(0);
      } else {
        check(d.group() != null, "a handshake delivery names its group");
        group(o, d.group());
      }
      o.u64(d.epoch());
      o.u64(d.groupSeq());
      payload(o, d.payload());
    } else if (frame instanceof Frame.Ack a) {
      check(a.messageIds().size() <= limits.maxAckIds(), "too many ids in one ack");
      o.u16(a.messageIds().size());
      for (long id : a.messageIds()) {
        o.u64(id);
      }
    } else if (frame instanceof Frame.PublishKeyPackages p) {
      check(p.keyPackages().size() <= limits.maxKeyPackages(), "too many KeyPackages");
      o.u32(p.requestId());
      o.u16(p.keyPackages().size());
      for (byte[] kp : p.keyPackages()) {
        keyPackage(o, kp);
      }
      if (p.lastResort() == null) {
        o.u8(0);
      } else {
        o.u8(1);
        keyPackage(o, p.lastResort());
      }
    } else if (frame instanceof Frame.Claim c) {
      o.u32(c.requestId());
      o.raw(c.device().rawUnsafe());
    } else if (frame instanceof Frame.Claimed c) {
      o.u32(c.requestId());
      o.raw(c.device().rawUnsafe());
      o.u8(c.lastResort() ? 1 : 0);
      keyPackage(o, c.keyPackage());
    } else if (frame instanceof Frame.Error e) {
      o.u32(e.requestId());
      o.u16(e.code().wire());
      o.u64(e.detail());
      byte[] m = truncatedUtf8(e.message() == null ? "" : e.message());
      o.u16(m.length);
      o.raw(m);
    } else {
      throw new IllegalArgumentException("unknown frame");
    }

    byte[] out = o.toBytes();
    check(out.length <= limits.maxFrameBytes(), "frame larger than the limit");
    return out;
  }

  private static int payloadSize(Frame f) {
    if (f instanceof Frame.Send s) {
      return s.payload().length + 32 * s.recipients().size();
    } else if (f instanceof Frame.Handshake h) {
      return h.payload().length + 32 * h.recipients().size();
    } else if (f instanceof Frame.Deliver d) {
      return d.payload().length;
    } else if (f instanceof Frame.Claimed c) {
      return c.keyPackage().length;
    } else if (f instanceof Frame.PublishKeyPackages p) {
      int n = p.lastResort() == null ? 0 : p.lastResort().length;
      for (byte[] kp : p.keyPackages()) {
        n += kp.length + 4;
      }
      return n;
    } else if (f instanceof Frame.Ack a) {
      return 8 * a.messageIds().size();
    }
    return 64;
  }

  private void recipients(Out o, List<DeviceId> r) {
    check(!r.isEmpty() && r.size() <= limits.maxRecipients(), "1 to maxRecipients recipients");
    o.u16(r.size());
    for (DeviceId d : r) {
      o.raw(d.rawUnsafe());
    }
  }

  private void payload(Out o, byte[] p) {
    check(p.length <= limits.maxPayloadBytes(), "payload larger than the limit");
    o.u32(p.length);
    o.raw(p);
  }

  private void keyPackage(Out o, byte[] kp) {
    check(kp.length > 0 && kp.length <= limits.maxKeyPackageBytes(), "KeyPackage size");
    o.u32(kp.length);
    o.raw(kp);
  }

  private static void group(Out o, GroupId g) {
    byte[] b = g.rawUnsafe();
    o.u8(b.length);
    o.raw(b);
  }

  private byte[] truncatedUtf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= limits.maxErrorMessageBytes()) {
      return b;
    }
    // Cut on a character boundary so the peer's strict decoder accepts it.
    int end = limits.maxErrorMessageBytes();
    while (end > 0 && (b[end] & 0xC0) == 0x80) {
      end--;
    }
    return java.util.Arrays.copyOf(b, end);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException(what);
    }
  }

  // ------------------------------------------------------------------ decode

  public Frame decode(byte[] data) throws WireException {
    return decode(data, 0, data.length);
  }

  /** Decodes exactly one frame from {@code data[offset, offset+length)}. */
  public Frame decode(byte[] data, int offset, int length) throws WireException {
    if (length > limits.maxFrameBytes()) {
      throw new WireException(ErrorCode.TOO_LARGE, "frame of " + length + " bytes over the limit");
    }
    if (length < 2) {
      throw new WireException(ErrorCode.MALFORMED_FRAME, "frame shorter than its header");
    }
    ByteBuffer in = ByteBuffer.wrap(data, offset, length).slice();
    int version = in.get() & 0xFF;
    if (version != VERSION) {
      throw new WireException(
          ErrorCode.UNSUPPORTED_VERSION, "protocol version " + version + " is not supported");
    }
    int type = in.get() & 0xFF;
    Frame f;
    try {
      f = body(type, in);
    } catch (BufferUnderflowException e) {
      throw new WireException(ErrorCode.MALFORMED_FRAME, "frame truncated");
    }
    if (in.hasRemaining()) {
      throw new WireException(ErrorCode.MALFORMED_FRAME, "trailing bytes after the frame");
    }
    return f;
  }

  private Frame body(int type, ByteBuffer in) throws WireException {
    switch (type) {
      case T_CHALLENGE:
        return new Frame.Challenge(
            raw(in, Frame.Challenge.NONCE_LENGTH), in.getLong(), in.getInt());
      case T_AUTHENTICATE:
        {
          boolean register = bool(in);
          DeviceId d = device(in);
          return new Frame.Authenticate(register, d, raw(in, Frame.Authenticate.SIGNATURE_LENGTH));
        }
      case T_AUTH_OK:
        return new Frame.AuthOk(device(in), in.getLong(), in.getInt());
      case T_OK:
        return new Frame.Ok(in.getInt(), in.getLong());
      case T_SEND:
        {
          int req = in.getInt();
          List<DeviceId> r = recipients(in);
          return new Frame.Send(req, r, bytes(in, limits.maxPayloadBytes(), true));
        }
      case T_HANDSHAKE:
        {
          int req = in.getInt();
          PayloadKind kind = PayloadKind.fromWire(in.get() & 0xFF);
          if (kind == PayloadKind.MESSAGE) {
            throw new WireException(ErrorCode.MALFORMED_FRAME, "handshake of kind MESSAGE");
          }
          GroupId g = group(in);
          long epoch = in.getLong();
          List<DeviceId> r = recipients(in);
          return new Frame.Handshake(
              req, kind, g, epoch, r, bytes(in, limits.maxPayloadBytes(), true));
        }
      case T_HANDSHAKE_ACCEPTED:
        return new Frame.HandshakeAccepted(in.getInt(), in.getLong(), in.getLong());
      case T_DELIVER:
        {
          long id = in.getLong();
          DeviceId sender = device(in);
          long at = in.getLong();
          PayloadKind kind = PayloadKind.fromWire(in.get() & 0xFF);
          GroupId g;
          if (kind == PayloadKind.MESSAGE) {
            if (in.get() != 0) {
              throw new WireException(ErrorCode.MALFORMED_FRAME, "group on a plain message");
            }
            g = null;
          } else {
            g = group(in);
          }
          long epoch = in.getLong();
          long seq = in.getLong();
          return new Frame.Deliver(
              id, sender, at, kind, g, epoch, seq, bytes(in, limits.maxPayloadBytes(), true));
        }
      case T_ACK:
        {
          int n = in.getShort() & 0xFFFF;
          if (n > limits.maxAckIds()) {
            throw new WireException(ErrorCode.TOO_LARGE, "too many ids in one ack");
          }
          need(in, 8L * n);
          List<Long> ids = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            ids.add(in.getLong());
          }
          return new Frame.Ack(List.copyOf(ids));
        }
      case T_PUBLISH:
        {
          int req = in.getInt();
          int n = in.getShort() & 0xFFFF;
          if (n > limits.maxKeyPackages()) {
            throw new WireException(ErrorCode.TOO_LARGE, "too many KeyPackages in one publish");
          }
          need(in, 4L * n);
          List<byte[]> kps = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            kps.add(bytes(in, limits.maxKeyPackageBytes(), false));
          }
          byte[] last = bool(in) ? bytes(in, limits.maxKeyPackageBytes(), false) : null;
          return new Frame.PublishKeyPackages(req, List.copyOf(kps), last);
        }
      case T_CLAIM:
        return new Frame.Claim(in.getInt(), device(in));
      case T_CLAIMED:
        {
          int req = in.getInt();
          DeviceId d = device(in);
          boolean last = bool(in);
          return new Frame.Claimed(req, d, last, bytes(in, limits.maxKeyPackageBytes(), false));
        }
      case T_ERROR:
        {
          int req = in.getInt();
          int c = in.getShort() & 0xFFFF;
          ErrorCode code = ErrorCode.fromWire(c);
          if (code == null) {
            // A newer relay may add codes; keep the frame readable rather than failing.
            code = ErrorCode.INTERNAL;
          }
          long detail = in.getLong();
          int len = in.getShort() & 0xFFFF;
          if (len > limits.maxErrorMessageBytes()) {
            throw new WireException(ErrorCode.TOO_LARGE, "error message too long");
          }
          byte[] m = raw(in, len);
          return new Frame.Error(req, code, detail, utf8(m));
        }
      default:
        throw new WireException(ErrorCode.MALFORMED_FRAME, "unknown frame type " + type);
    }
  }

  private List<DeviceId> recipients(ByteBuffer in) throws WireException {
    int n = in.getShort() & 0xFFFF;
    if (n == 0) {
      throw new WireException(ErrorCode.MALFORMED_FRAME, "no recipients");
    }
    if (n > limits.maxRecipients()) {
      throw new WireException(ErrorCode.TOO_LARGE, "too many recipients");
    }
    need(in, (long) DeviceId.LENGTH * n);
    List<DeviceId> r = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      r.add(device(in));
    }
    return List.copyOf(r);
  }

  private static DeviceId device(ByteBuffer in) throws WireException {
    return DeviceId.of(raw(in, DeviceId.LENGTH));
  }

  private static GroupId group(ByteBuffer in) throws WireException {
    int n = in.get() & 0xFF;
    if (n == 0) {
      throw new WireException(ErrorCode.MALFORMED_FRAME, "empty group id");
    }
    return GroupId.of(raw(in, n));
  }

  private static boolean bool(ByteBuffer in) throws WireException {
    int b = in.get();
    if (b != 0 && b != 1) {
      throw new WireException(ErrorCode.MALFORMED_FRAME, "flag byte must be 0 or 1");
    }
    return b == 1;
  }

  private static byte[] bytes(ByteBuffer in, int max, boolean emptyOk) throws WireException {
    long n = in.getInt() & 0xFFFFFFFFL;
    if (n > max) {
      throw new WireException(ErrorCode.TOO_LARGE, "field of " + n + " bytes over the limit");
    }
    if (n == 0 && !emptyOk) {
      throw new WireException(ErrorCode.MALFORMED_FRAME, "empty field");
    }
    return raw(in, (int) n);
  }

  private static void need(ByteBuffer in, long n) throws WireException {
    if (in.remaining() < n) {
      throw new WireException(ErrorCode.MALFORMED_FRAME, "frame truncated");
    }
  }

  private static byte[] raw(ByteBuffer in, int n) throws WireException {
    need(in, n);
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private static String utf8(byte[] b) throws WireException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WireException(ErrorCode.MALFORMED_FRAME, "error message is not UTF-8");
    }
  }

  /** A growable big-endian writer; sized up front so it rarely grows. */
  private static final class Out {
    private byte[] buf;
    private int len;

    Out(int initial) {
      buf = new byte[Math.max(initial, 16)];
    }

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    void u8(int v) {
      ensure(1);
      buf[len++] = (byte) v;
    }

    void u16(int v) {
      ensure(2);
      buf[len++] = (byte) (v >>> 8);
      buf[len++] = (byte) v;
    }

    void u32(int v) {
      ensure(4);
      for (int s = 24; s >= 0; s -= 8) {
        buf[len++] = (byte) (v >>> s);
      }
    }

    void u64(long v) {
      ensure(8);
      for (int s = 56; s >= 0; s -= 8) {
        buf[len++] = (byte) (v >>> s);
      }
    }

    void raw(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }

    byte[] toBytes() {
      return len == buf.length ? buf : java.util.Arrays.copyOf(buf, len);
    }
  }
}
