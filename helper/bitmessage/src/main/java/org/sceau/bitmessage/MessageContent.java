package org.sceau.bitmessage;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.sceau.bitmessage.internal.MsgPack;

/**
 * The text of a msg or broadcast with the encoding it travels in. Encodings (PyBitmessage's
 * helper_msgcoding): 0 ignore, 1 trivial (body only), 2 simple ({@code "Subject:" + subject +
 * "\nBody:" + body}, the default), 3 extended (zlib-compressed msgpack map). All are read; 2 and 3
 * are written.
 */
public record MessageContent(int encoding, String subject, String body) {
  public static final int ENCODING_IGNORE = 0;
  public static final int ENCODING_TRIVIAL = 1;
  public static final int ENCODING_SIMPLE = 2;
  public static final int ENCODING_EXTENDED = 3;

  /** Bound on a decompressed extended message: refuses zlib bombs. */
  public static final int MAX_DECOMPRESSED = 1 << 21;

  public MessageContent {
    if (subject == null || body == null) {
      throw new IllegalArgumentException("subject and body must not be null");
    }
    if (encoding == ENCODING_SIMPLE || encoding == ENCODING_EXTENDED) {
      // The simple encoding keeps only the subject's first line; do the same for both so that
      // what is sent is what the recipient sees.
      subject = firstLine(subject);
    }
  }

  /** Subject and body in the default (simple) encoding. */
  public static MessageContent simple(String subject, String body) {
    return new MessageContent(ENCODING_SIMPLE, subject, body);
  }

  private static String firstLine(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
      i++;
    }
    return s.substring(0, i);
  }

  /** True if the encoding is one this library knows (0–3). */
  public boolean knownEncoding() {
    return encoding >= ENCODING_IGNORE && encoding <= ENCODING_EXTENDED;
  }

  /** The bytes carried in the object for this encoding. */
  public byte[] encode() {
    return switch (encoding) {
      case ENCODING_SIMPLE ->
          ("Subject:" + subject + "\nBody:" + body).getBytes(StandardCharsets.UTF_8);
      case ENCODING_TRIVIAL -> body.getBytes(StandardCharsets.UTF_8);
      case ENCODING_EXTENDED -> MsgPack.encodeExtendedMessage(subject, body);
      case ENCODING_IGNORE -> new byte[0];
      default -> throw new IllegalStateException("cannot write encoding " + encoding);
    };
  }

  /**
   * Decodes message bytes as PyBitmessage's MsgDecode does (invalid UTF-8 replaced). Unknown
   * encodings give empty text with {@link #knownEncoding()} false.
   */
  public static MessageContent decode(long encoding, byte[] data)
      throws MalformedObjectException, TooLargeException {
    if (encoding == ENCODING_SIMPLE || encoding == ENCODING_TRIVIAL) {
      String text = utf8(data);
      int bodyPos = text.indexOf("\nBody:");
      String subject = "";
      String body = text;
      if (bodyPos > 0) {
        subject = text.substring(Math.min(8, bodyPos), bodyPos);
        body = text.substring(bodyPos + 6);
      }
      return new MessageContent((int) encoding, firstLine(subject), body);
    }
    if (encoding == ENCODING_EXTENDED) {
      String[] sb = MsgPack.decodeExtendedMessage(data, MAX_DECOMPRESSED);
      return new MessageContent(ENCODING_EXTENDED, sb[0], sb[1]);
    }
    if (encoding == ENCODING_IGNORE) {
      return new MessageContent(ENCODING_IGNORE, "", "");
    }
    return new MessageContent((int) Math.min(encoding, Integer.MAX_VALUE), "", "");
  }

  static String utf8(byte[] data) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(data))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
