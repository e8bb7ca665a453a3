package org.sceau.chat.internal;

import org.sceau.chat.ChatException;
import org.sceau.chat.ChatException.Code;

/**
 * Checks the framing of an untrusted MLS message (RFC 9420 section 6, TLS presentation language
 * with QUIC-style varint lengths) before bcmls parses it.
 *
 * <p>Why: bcmls's {@code MLSInputStream.readOpaque} allocates {@code new byte[length]} for whatever
 * length the varint claims (up to 2^30) before checking that many bytes exist, so a 10-byte message
 * from the relay or a peer could make the helper allocate a gigabyte. This walker checks every
 * length against the bytes that remain, for the three kinds Sceau accepts from outside:
 * PrivateMessage, Welcome and KeyPackage. PublicMessage and GroupInfo are refused: Sceau sends all
 * handshake messages encrypted.
 */
public final class MlsFraming {
  public static final int WIRE_PRIVATE_MESSAGE = 2;
  public static final int WIRE_WELCOME = 3;
  public static final int WIRE_KEY_PACKAGE = 5;
  private static final int MLS10 = 1;

  /** The outer fields of a checked message (group id and epoch only for a PrivateMessage). */
  public record Info(int wireFormat, byte[] groupId, long epoch, int contentType) {}

  private final byte[] b;
  private int pos;

  private MlsFraming(byte[] b) {
    this.b = b;
  }

  /** Checks {@code bytes}; {@code MALFORMED} if they are not one well-formed accepted message. */
  public static Info check(byte[] bytes) throws ChatException {
    if (bytes == null) {
      throw bad();
    }
    MlsFraming f = new MlsFraming(bytes);
    Info info = f.message();
    if (f.pos != bytes.length) {
      throw bad();
    }
    return info;
  }

  private static ChatException bad() {
    return new ChatException(Code.MALFORMED);
  }

  private Info message() throws ChatException {
    if (u16() != MLS10) {
      throw bad();
    }
    int wf = u16();
    switch (wf) {
      case WIRE_PRIVATE_MESSAGE -> {
        int gidStart = pos;
        int gidLen = varint();
        skip(gidLen);
        byte[] gid = new byte[gidLen];
        System.arraycopy(b, pos - gidLen, gid, 0, gidLen);
        if (gidStart == pos) {
          throw bad();
        }
        long epoch = u64();
        int ct = u8();
        if (ct < 1 || ct > 3) {
          throw bad();
        }
        opaque(); // authenticated_data
        opaque(); // encrypted_sender_data
        opaque(); // ciphertext
        return new Info(wf, gid, epoch, ct);
      }
      case WIRE_WELCOME -> {
        u16(); // cipher_suite
        int end = vectorEnd();
        while (pos < end) {
          opaque(); // new_member (KeyPackageRef)
          opaque(); // kem_output
          opaque(); // ciphertext
        }
        expect(end);
        opaque(); // encrypted_group_info
        return new Info(wf, null, 0, 0);
      }
      case WIRE_KEY_PACKAGE -> {
        u16(); // version
        u16(); // cipher_suite
        opaque(); // init_key
        leafNode();
        extensions();
        opaque(); // signature
        return new Info(wf, null, 0, 0);
      }
      default -> throw bad();
    }
  }

  private void leafNode() throws ChatException {
    opaque(); // encryption_key
    opaque(); // signature_key
    int credType = u16();
    if (credType == 1) {
      opaque(); // identity
    } else if (credType == 2) {
      int end = vectorEnd();
      while (pos < end) {
        opaque();
      }
      expect(end);
    } else {
      throw bad();
    }
    for (int i = 0; i < 5; i++) {
      opaque(); // capabilities: versions, suites, extensions, proposals, credentials (u16 lists)
    }
    int source = u8();
    switch (source) {
      case 1 -> {
        u64();
        u64();
      }
      case 2 -> {}
      case 3 -> opaque();
      default -> throw bad();
    }
    extensions();
    opaque(); // signature
  }

  private void extensions() throws ChatException {
    int end = vectorEnd();
    while (pos < end) {
      u16();
      opaque();
    }
    expect(end);
  }

  private void expect(int end) throws ChatException {
    if (pos != end) {
      throw bad();
    }
  }

  private int vectorEnd() throws ChatException {
    int len = varint();
    need(len);
    return pos + len;
  }

  private void opaque() throws ChatException {
    skip(varint());
  }

  private void skip(int n) throws ChatException {
    need(n);
    pos += n;
  }

  private void need(long n) throws ChatException {
    if (n < 0 || n > b.length - pos) {
      throw bad();
    }
  }

  private int u8() throws ChatException {
    need(1);
    return b[pos++] & 0xff;
  }

  private int u16() throws ChatException {
    return (u8() << 8) | u8();
  }

  private long u64() throws ChatException {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[pos++] & 0xff);
    }
    return v;
  }

  /** RFC 9420 section 2.1.2: 1, 2 or 4 bytes, prefix 11 invalid. */
  private int varint() throws ChatException {
    int first = u8();
    int prefix = first >>> 6;
    int v = first & 0x3f;
    switch (prefix) {
      case 0 -> {
        return v;
      }
      case 1 -> {
        return (v << 8) | u8();
      }
      case 2 -> {
        v = (v << 8) | u8();
        v = (v << 8) | u8();
        return (v << 8) | u8();
      }
      default -> throw bad();
    }
  }
}
