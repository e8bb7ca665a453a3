package org.sceau.chat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.sceau.chat.ChatException;

class ChatPayloadPropertiesTest {

  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(64);
  }

  @Property(tries = 300)
  void textRoundTrips(
      @ForAll("ids") String id, @ForAll long at, @ForAll @StringLength(max = 2000) String text)
      throws ChatException {
    // Lone surrogates cannot be encoded as UTF-8: they are not text a user can type.
    String t =
        new String(
            text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.UTF_8);
    ChatPayload.Text p = new ChatPayload.Text(id, at, t);
    assertEquals(p, ChatPayload.decode(ChatPayload.encode(p)));
  }

  @Property(tries = 200)
  void receiptRoundTrips(
      @ForAll @Size(min = 1, max = 256) List<@net.jqwik.api.From("ids") String> ids)
      throws ChatException {
    ChatPayload.Receipt r = new ChatPayload.Receipt(ids);
    assertEquals(r, ChatPayload.decode(ChatPayload.encode(r)));
  }

  @Property(tries = 1000)
  void arbitraryBytesDecodeOrFailAsMalformed(@ForAll @Size(max = 300) byte[] bytes) {
    try {
      ChatPayload p = ChatPayload.decode(bytes);
      // Whatever decodes must re-encode to the same bytes (one encoding per value).
      assertEquals(Arrays.toString(bytes), Arrays.toString(ChatPayload.encode(p)));
    } catch (ChatException e) {
      assertEquals(ChatException.Code.MALFORMED, e.code());
    }
  }

  @Property(tries = 200)
  void everyTruncationIsRefused(
      @ForAll("ids") String id, @ForAll @StringLength(max = 100) String text) {
    String t =
        new String(
            text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.UTF_8);
    byte[] full = ChatPayload.encode(new ChatPayload.Text(id, 7, t));
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      ChatException e = assertThrows(ChatException.class, () -> ChatPayload.decode(cut));
      assertEquals(ChatException.Code.MALFORMED, e.code());
    }
  }

  @Property(tries = 200)
  void hugeLengthFieldsAreRefusedWithoutAllocating(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1) int n, @ForAll boolean negative) {
    // Over the 64 KiB limit, or beyond 2^31 when read unsigned.
    int len = negative ? -n : (n | 0x00010001);
    byte[] b = {
      1,
      1,
      1,
      'x',
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      (byte) (len >>> 24),
      (byte) (len >>> 16),
      (byte) (len >>> 8),
      (byte) len
    };
    assertThrows(ChatException.class, () -> ChatPayload.decode(b));
  }
}
