package org.sceau.relay;

import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.GroupId;
import org.sceau.chat.wire.PayloadKind;
import org.sceau.chat.wire.WireCodec;

/**
 * An encoded {@link Frame.Deliver} whose message id (and group sequence) are filled in later by
 * overwriting fixed positions, so the relay stores and sends the very bytes it encoded once: no
 * decode/re-encode per recipient or per delivery. Layouts are fixed by docs/relay-protocol.md.
 */
public final class DeliverTemplate {
  private static final int ID_OFFSET = 2;

  private DeliverTemplate() {}

  public static byte[] message(DeviceId sender, long receivedAt, byte[] payload) {
    return WireCodec.standard()
        .encode(new Frame.Deliver(0, sender, receivedAt, PayloadKind.MESSAGE, null, 0, 0, payload));
  }

  public static byte[] handshake(
      DeviceId sender,
      long receivedAt,
      PayloadKind kind,
      GroupId group,
      long epoch,
      byte[] payload,
      WireCodec codec) {
    return codec.encode(new Frame.Deliver(0, sender, receivedAt, kind, group, epoch, 0, payload));
  }

  /** A copy of {@code template} carrying message id {@code id}. */
  public static byte[] withId(byte[] template, long id) {
    byte[] b = template.clone();
    putLong(b, ID_OFFSET, id);
    return b;
  }

  /** Sets the group sequence in place (handshake templates only). */
  public static void setGroupSeq(byte[] template, long seq) {
    // version, type, id(8), sender(32), receivedAt(8), kind(1), gidLen(1), gid, epoch(8), seq(8)
    int gidLen = template[2 + 8 + 32 + 8 + 1] & 0xFF;
    putLong(template, 2 + 8 + 32 + 8 + 1 + 1 + gidLen + 8, seq);
  }

  /** The time the relay received the message (for retention). */
  public static long receivedAt(byte[] template) {
    return getLong(template, 2 + 8 + 32);
  }

  static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
