package org.sceau.chat.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class WireCodecTest {
  private static final WireCodec CODEC = WireCodec.standard();

  static List<Frame> samples(Random r) {
    DeviceId a = dev(r);
    DeviceId b = dev(r);
    GroupId g = GroupId.of(bytes(r, 1 + r.nextInt(40)));
    byte[] payload = bytes(r, r.nextInt(600));
    List<Frame> f = new ArrayList<>();
    f.add(new Frame.Challenge(bytes(r, 32), r.nextLong(), r.nextInt()));
    f.add(new Frame.Authenticate(r.nextBoolean(), a, bytes(r, 64)));
    f.add(new Frame.AuthOk(a, r.nextLong(), r.nextInt()));
    f.add(new Frame.Ok(r.nextInt(), r.nextLong()));
    f.add(new Frame.Send(r.nextInt(), List.of(a, b), payload));
    f.add(
        new Frame.Handshake(r.nextInt(), PayloadKind.COMMIT, g, r.nextLong(), List.of(b), payload));
    f.add(new Frame.Handshake(r.nextInt(), PayloadKind.PROPOSAL, g, 7, List.of(a), payload));
    f.add(new Frame.HandshakeAccepted(r.nextInt(), r.nextLong(), r.nextLong()));
    f.add(
        new Frame.Deliver(r.nextLong(), a, r.nextLong(), PayloadKind.MESSAGE, null, 0, 0, payload));
    f.add(new Frame.Deliver(1, b, 2, PayloadKind.COMMIT, g, 3, 4, payload));
    f.add(new Frame.Ack(List.of(1L, r.nextLong(), Long.MAX_VALUE)));
    f.add(new Frame.PublishKeyPackages(r.nextInt(), List.of(bytes(r, 289), bytes(r, 5)), null));
    f.add(new Frame.PublishKeyPackages(1, List.of(), bytes(r, 300)));
    f.add(new Frame.Claim(r.nextInt(), b));
    f.add(new Frame.Claimed(r.nextInt(), b, r.nextBoolean(), bytes(r, 289)));
    f.add(new Frame.Error(r.nextInt(), ErrorCode.EPOCH_CONFLICT, 42, "épоque déjà prise"));
    return f;
  }

  static DeviceId dev(Random r) {
    return DeviceId.of(bytes(r, 32));
  }

  static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  @Property(tries = 50)
  void everyFrameRoundTrips(@ForAll long seed) throws WireException {
    for (Frame f : samples(new Random(seed))) {
      byte[] enc = CODEC.encode(f);
      Frame back = CODEC.decode(enc);
      assertEquals(f.getClass(), back.getClass());
      assertArrayEquals(enc, CODEC.encode(back), f.getClass().getSimpleName());
    }
  }

  @Property(tries = 300)
  void arbitraryBytesGiveAFrameOrAWireException(@ForAll @Size(max = 200) byte[] junk) {
    try {
      CODEC.decode(junk);
    } catch (WireException expected) {
      // typed refusal is the only acceptable failure
    }
  }

  @Property(tries = 100)
  void everyTruncationIsRefusedAsMalformed(@ForAll long seed) {
    for (Frame f : samples(new Random(seed))) {
      byte[] enc = CODEC.encode(f);
      int cut = 2 + new Random(seed).nextInt(enc.length - 2);
      if (cut == enc.length) {
        continue;
      }
      WireException e =
          assertThrows(WireException.class, () -> CODEC.decode(enc, 0, cut), f.toString());
      assertEquals(ErrorCode.MALFORMED_FRAME, e.code());
    }
  }

  @Test
  void refusesTrailingBytes() {
    byte[] enc = CODEC.encode(new Frame.Ok(1, 2));
    byte[] longer = ByteBuffer.allocate(enc.length + 1).put(enc).array();
    assertEquals(
        ErrorCode.MALFORMED_FRAME,
        assertThrows(WireException.class, () -> CODEC.decode(longer)).code());
  }

  @Test
  void refusesPayloadLengthOverLimitBeforeAllocating() {
    // A Send claiming a 2 GiB payload in a 60-byte frame: must be TOO_LARGE, not OutOfMemoryError.
    ByteBuffer b = ByteBuffer.allocate(2 + 4 + 2 + 32 + 4);
    b.put((byte) 1).put((byte) WireCodec.T_SEND).putInt(1).putShort((short) 1);
    b.put(new byte[32]).putInt(0x7FFFFFFF);
    WireException e = assertThrows(WireException.class, () -> CODEC.decode(b.array()));
    assertEquals(ErrorCode.TOO_LARGE, e.code());
  }

  @Test
  void refusesTooManyRecipients() {
    ByteBuffer b = ByteBuffer.allocate(2 + 4 + 2);
    b.put((byte) 1).put((byte) WireCodec.T_SEND).putInt(1).putShort((short) 0xFFFF);
    assertEquals(
        ErrorCode.TOO_LARGE,
        assertThrows(WireException.class, () -> CODEC.decode(b.array())).code());
  }

  @Test
  void refusesFrameLongerThanLimit() {
    WireCodec small = new WireCodec(new WireLimits(100, 50, 10, 10, 50, 10, 100));
    assertEquals(
        ErrorCode.TOO_LARGE,
        assertThrows(WireException.class, () -> small.decode(new byte[101])).code());
    assertThrows(
        IllegalArgumentException.class,
        () -> small.encode(new Frame.Send(1, List.of(DeviceId.of(new byte[32])), new byte[51])));
  }

  @Test
  void refusesUnknownVersionAndType() {
    assertEquals(
        ErrorCode.UNSUPPORTED_VERSION,
        assertThrows(WireException.class, () -> CODEC.decode(new byte[] {2, 4})).code());
    assertEquals(
        ErrorCode.MALFORMED_FRAME,
        assertThrows(WireException.class, () -> CODEC.decode(new byte[] {1, 0x55})).code());
    assertEquals(
        ErrorCode.MALFORMED_FRAME,
        assertThrows(WireException.class, () -> CODEC.decode(new byte[] {1})).code());
  }

  @Test
  void refusesBadFlagByte() {
    byte[] enc =
        CODEC.encode(new Frame.Authenticate(true, DeviceId.of(new byte[32]), new byte[64]));
    enc[2] = 7;
    assertEquals(
        ErrorCode.MALFORMED_FRAME,
        assertThrows(WireException.class, () -> CODEC.decode(enc)).code());
  }

  @Test
  void errorFrameKeepsCodeDetailAndMessage() throws WireException {
    Frame f =
        CODEC.decode(
            CODEC.encode(new WireException(ErrorCode.RATE_LIMITED, 250, "slow down").toFrame(9)));
    Frame.Error e = assertInstanceOf(Frame.Error.class, f);
    WireException back = WireException.of(e);
    assertEquals(ErrorCode.RATE_LIMITED, back.code());
    assertEquals(250, back.detail());
    assertEquals("slow down", back.getMessage());
    assertEquals(9, e.requestId());
  }

  @Test
  void longErrorMessageIsCutOnACharacterBoundary() throws WireException {
    String m = "é".repeat(2000);
    Frame.Error e =
        (Frame.Error) CODEC.decode(CODEC.encode(new Frame.Error(1, ErrorCode.INTERNAL, 0, m)));
    assertEquals(512, e.message().length());
  }
}
