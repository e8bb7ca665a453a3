package org.sceau.bitmessage.node.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.sceau.bitmessage.PacketCodec;
import org.sceau.bitmessage.WireMessage;

/** Packet framing on the send path (the JDK's SHA-512 for the checksum). */
final class Frames {
  private Frames() {}

  static byte[] frame(String command, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(PacketCodec.HEADER_LENGTH + payload.length);
    b.putInt(PacketCodec.MAGIC);
    byte[] cmd = command.getBytes(StandardCharsets.US_ASCII);
    b.put(cmd).put(new byte[12 - cmd.length]);
    b.putInt(payload.length);
    b.put(Digests.checksum(payload));
    b.put(payload);
    return b.array();
  }

  static byte[] frame(WireMessage m) {
    return frame(m.command(), m.encodePayload());
  }

  /** An {@code inv} or {@code dinv} of at most 50 000 vectors, without intermediate lists. */
  static byte[] inventory(String command, List<HashKey> keys, int from, int to) {
    int n = to - from;
    ByteBuffer b = ByteBuffer.allocate(9 + 32 * n);
    if (n < 0xfd) {
      b.put((byte) n);
    } else {
      b.put((byte) 0xfd).putShort((short) n);
    }
    for (int i = from; i < to; i++) {
      keys.get(i).writeTo(b);
    }
    byte[] payload = new byte[b.position()];
    b.flip().get(payload);
    return frame(command, payload);
  }
}
