package org.sceau.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.GroupId;
import org.sceau.chat.wire.PayloadKind;
import org.sceau.chat.wire.WireCodec;
import org.sceau.chat.wire.WireException;

class DeliverTemplateTest {
  private static final WireCodec CODEC = WireCodec.standard();

  @Property(tries = 50)
  void patchedIdAndSequenceDecodeAsIfEncodedDirectly(
      @ForAll long id,
      @ForAll long seq,
      @ForAll long epoch,
      @ForAll @Size(min = 1, max = 255) byte[] group,
      @ForAll @Size(max = 300) byte[] payload,
      @ForAll @IntRange(min = 1, max = 2) int kind)
      throws WireException {
    var sender = DeviceKey.generate().deviceId();
    PayloadKind k = kind == 1 ? PayloadKind.COMMIT : PayloadKind.PROPOSAL;
    byte[] t = DeliverTemplate.handshake(sender, 1234, k, GroupId.of(group), epoch, payload, CODEC);
    DeliverTemplate.setGroupSeq(t, seq);
    byte[] patched = DeliverTemplate.withId(t, id);
    byte[] direct =
        CODEC.encode(
            new Frame.Deliver(id, sender, 1234, k, GroupId.of(group), epoch, seq, payload));
    assertArrayEquals(direct, patched);
    assertEquals(1234, DeliverTemplate.receivedAt(t));
    Frame.Deliver d = (Frame.Deliver) CODEC.decode(patched);
    assertEquals(id, d.messageId());
    assertEquals(seq, d.groupSeq());
  }

  @Property(tries = 20)
  void messageTemplateCarriesTheId(@ForAll long id, @ForAll @Size(max = 100) byte[] payload)
      throws WireException {
    var sender = DeviceKey.generate().deviceId();
    byte[] t = DeliverTemplate.message(sender, 99, payload);
    Frame.Deliver d = (Frame.Deliver) CODEC.decode(DeliverTemplate.withId(t, id));
    assertEquals(id, d.messageId());
    assertEquals(sender, d.sender());
    assertArrayEquals(payload, d.payload());
  }
}
