package org.sceau.chat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.sceau.chat.ChatException;
import org.sceau.chat.wire.GroupId;

class ConversationStatePropertiesTest {
  @Property(tries = 500)
  void metaDecodesOrIsCorrupt(@ForAll @Size(max = 300) byte[] bytes) {
    ConversationState s = new ConversationState(GroupId.of(new byte[] {1}), null);
    try {
      s.decodeMeta(bytes);
      assertEquals(Arrays.toString(bytes), Arrays.toString(s.encodeMeta()));
    } catch (ChatException e) {
      assertEquals(ChatException.Code.STATE_CORRUPT, e.code());
    }
  }

  @Property(tries = 200)
  void metaRoundTrips(
      @ForAll boolean leaving,
      @ForAll long at,
      @ForAll @Size(max = 5) java.util.List<@Size(max = 50) byte[]> payloads)
      throws ChatException {
    ConversationState s = new ConversationState(GroupId.of(new byte[] {1}), null);
    s.leaving = leaving;
    s.lastSelfUpdateMillis = at;
    for (byte[] p : payloads) {
      s.future.add(new ConversationState.Buffered(1, p.length, p));
      s.outbox.add(new ConversationState.Outgoing(1, p, java.util.List.of(), "m" + p.length));
    }
    byte[] enc = s.encodeMeta();
    ConversationState t = new ConversationState(GroupId.of(new byte[] {1}), null);
    t.decodeMeta(enc);
    assertEquals(Arrays.toString(enc), Arrays.toString(t.encodeMeta()));
  }
}
