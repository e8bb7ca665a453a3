package org.sceau.chat.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.sceau.chat.ChatException;
import org.sceau.chat.ChatException.Code;

/**
 * The plaintext inside an MLS application message:
 *
 * <pre>
 *   u8 version (1) | u8 type
 *   type 1 TEXT:    u8 idLen, id (ASCII, 1..64) | u64 sentAtMillis | u32 textLen, text (UTF-8, <= 64 KiB)
 *   type 2 RECEIPT: u16 count (1..256) | count × (u8 idLen, id)
 * </pre>
 *
 * The decoder bounds every length before allocating, requires well-formed UTF-8, and refuses
 * trailing bytes; every failure is {@code MALFORMED}.
 */
public sealed interface ChatPayload {
  int VERSION = 1;
  int MAX_ID = 64;
  int MAX_TEXT_BYTES = 64 << 10;
  int MAX_RECEIPT_IDS = 256;

  record Text(String messageId, long sentAtMillis, String text) implements ChatPayload {
    public Text {
      checkId(messageId);
      if (text == null || text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
        throw new IllegalArgumentException("text too long");
      }
    }

    @Override
    public String toString() {
      return "Text[" + messageId + "]";
    }
  }

  record Receipt(List<String> messageIds) implements ChatPayload {
    public Receipt {
      if (messageIds.isEmpty() || messageIds.size() > MAX_RECEIPT_IDS) {
        throw new IllegalArgumentException("1 to 256 ids");
      }
      messageIds.forEach(ChatPayload::checkId);
      messageIds = List.copyOf(messageIds);
    }
  }

  private static void checkId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_ID) {
      throw new IllegalArgumentException("a message id is 1 to 64 ASCII characters");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("a message id is printable ASCII");
      }
    }
  }

  static byte[] encode(ChatPayload p) {
    ByteBuffer b;
    if (p instanceof Text t) {
      byte[] id = t.messageId().getBytes(StandardCharsets.US_ASCII);
      byte[] text = t.text().getBytes(StandardCharsets.UTF_8);
      b = ByteBuffer.allocate(2 + 1 + id.length + 8 + 4 + text.length);
      b.put((byte) VERSION).put((byte) 1).put((byte) id.length).put(id);
      b.putLong(t.sentAtMillis()).putInt(text.length).put(text);
    } else {
      Receipt r = (Receipt) p;
      int n = 4;
      for (String id : r.messageIds()) {
        n += 1 + id.length();
      }
      b = ByteBuffer.allocate(n);
      b.put((byte) VERSION).put((byte) 2).putShort((short) r.messageIds().size());
      for (String id : r.messageIds()) {
        b.put((byte) id.length()).put(id.getBytes(StandardCharsets.US_ASCII));
      }
    }
    return b.array();
  }

  static ChatPayload decode(byte[] in) throws ChatException {
    ByteBuffer b = ByteBuffer.wrap(in);
    try {
      if (b.remaining() < 2 || (b.get() & 0xff) != VERSION) {
        throw bad();
      }
      int type = b.get() & 0xff;
      ChatPayload out;
      if (type == 1) {
        String id = id(b);
        if (b.remaining() < 12) {
          throw bad();
        }
        long at = b.getLong();
        long len = b.getInt() & 0xffffffffL;
        if (len > MAX_TEXT_BYTES || len > b.remaining()) {
          throw bad();
        }
        byte[] text = new byte[(int) len];
        b.get(text);
        out = new Text(id, at, utf8(text));
      } else if (type == 2) {
        if (b.remaining() < 2) {
          throw bad();
        }
        int n = b.getShort() & 0xffff;
        if (n < 1 || n > MAX_RECEIPT_IDS) {
          throw bad();
        }
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ids.add(id(b));
        }
        out = new Receipt(ids);
      } else {
        throw bad();
      }
      if (b.hasRemaining()) {
        throw bad();
      }
      return out;
    } catch (IllegalArgumentException e) {
      throw bad();
    }
  }

  private static String id(ByteBuffer b) throws ChatException {
    if (!b.hasRemaining()) {
      throw bad();
    }
    int n = b.get() & 0xff;
    if (n < 1 || n > MAX_ID || n > b.remaining()) {
      throw bad();
    }
    byte[] id = new byte[n];
    b.get(id);
    String s = new String(id, StandardCharsets.US_ASCII);
    checkId(s);
    return s;
  }

  private static String utf8(byte[] bytes) throws ChatException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw bad();
    }
  }

  private static ChatException bad() {
    return new ChatException(Code.MALFORMED);
  }
}
