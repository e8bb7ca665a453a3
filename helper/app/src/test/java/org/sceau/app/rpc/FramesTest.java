package org.sceau.app.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FramesTest {
  @Test
  void writesLittleEndianLengthThenBody() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Frames.write(out, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    byte[] bytes = out.toByteArray();
    assertArrayEquals(new byte[] {7, 0, 0, 0}, java.util.Arrays.copyOf(bytes, 4));
    assertArrayEquals(
        "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Frames.read(new ByteArrayInputStream(bytes)));
  }

  @Test
  void refusesFrameLongerThanLimitBeforeReadingIt() {
    // A stream that would serve 4 GiB: the reader must stop after the header.
    CountingStream in =
        new CountingStream(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    Frames.FrameTooLargeException e =
        assertThrows(Frames.FrameTooLargeException.class, () -> Frames.read(in));
    assertEquals(0xFFFFFFFEL, e.length());
    assertEquals(4, in.served);
  }

  @Test
  void acceptsExactlyTheLimit() throws IOException {
    byte[] body = new byte[Frames.MAX_FRAME_BYTES];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Frames.write(out, body);
    assertEquals(body.length, Frames.read(new ByteArrayInputStream(out.toByteArray())).length);
    assertThrows(
        Frames.FrameTooLargeException.class,
        () -> Frames.write(new ByteArrayOutputStream(), new byte[Frames.MAX_FRAME_BYTES + 1]));
  }

  @Test
  void cleanEndOfStreamIsNullButATruncatedFrameIsAnError() throws IOException {
    assertNull(Frames.read(new ByteArrayInputStream(new byte[0])));
    assertThrows(
        EOFException.class, () -> Frames.read(new ByteArrayInputStream(new byte[] {5, 0})));
    assertThrows(
        EOFException.class,
        () -> Frames.read(new ByteArrayInputStream(new byte[] {5, 0, 0, 0, 1})));
  }

  @Property(tries = 300)
  void arbitraryBytesGiveAFrameOrATypedError(@ForAll @Size(max = 64) byte[] input) {
    try {
      byte[] frame = Frames.read(new ByteArrayInputStream(input));
      assertTrue(frame == null || frame.length <= input.length - 4);
    } catch (IOException expected) {
      // FrameTooLargeException or EOFException: both typed, neither allocates past the input.
    }
  }

  private static final class CountingStream extends InputStream {
    private final byte[] header;
    int served;

    CountingStream(byte[] header) {
      this.header = header;
    }

    @Override
    public int read() {
      return served < header.length ? header[served++] & 0xFF : (++served & 0x7F);
    }
  }
}
