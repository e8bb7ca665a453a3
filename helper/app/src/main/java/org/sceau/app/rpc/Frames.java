package org.sceau.app.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The frame format shared by native messaging and the helper's socket: a 4-byte little-endian
 * unsigned length, then that many bytes of UTF-8 JSON. Thunderbird uses the platform's byte order,
 * which is little-endian on every platform it ships for (x86-64, aarch64).
 *
 * <p>Every frame is at most {@link #MAX_FRAME_BYTES} (Thunderbird's own limit for host→add-on
 * messages, applied both ways); larger messages travel as chunks ({@link Chunks}). The length is
 * checked before any buffer is allocated.
 */
public final class Frames {
  /** 1 MiB: Thunderbird closes the port on a larger host→add-on message. */
  public static final int MAX_FRAME_BYTES = 1024 * 1024;

  private Frames() {}

  /** A frame header announced more than {@link #MAX_FRAME_BYTES}; the stream cannot be resynced. */
  public static final class FrameTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long length;

    FrameTooLargeException(long length) {
      super("frame of " + length + " bytes is over the limit of " + MAX_FRAME_BYTES);
      this.length = length;
    }

    public long length() {
      return length;
    }
  }

  /**
   * Reads one frame.
   *
   * @return the frame's bytes, or null at a clean end of stream (before a header)
   * @throws FrameTooLargeException if the header announces more than the limit (nothing allocated)
   * @throws EOFException if the stream ends inside a frame
   */
  public static byte[] read(InputStream in) throws IOException {
    byte[] header = new byte[4];
    int got = readUpTo(in, header);
    if (got == 0) {
      return null;
    }
    if (got < 4) {
      throw new EOFException("stream ended inside a frame header");
    }
    long length =
        (header[0] & 0xFFL)
            | (header[1] & 0xFFL) << 8
            | (header[2] & 0xFFL) << 16
            | (header[3] & 0xFFL) << 24;
    if (length > MAX_FRAME_BYTES) {
      throw new FrameTooLargeException(length);
    }
    byte[] body = new byte[(int) length];
    if (readUpTo(in, body) < length) {
      throw new EOFException("stream ended inside a frame of " + length + " bytes");
    }
    return body;
  }

  /** Writes one frame and flushes. The caller serialises concurrent writers. */
  public static void write(OutputStream out, byte[] body) throws IOException {
    if (body.length > MAX_FRAME_BYTES) {
      throw new FrameTooLargeException(body.length);
    }
    out.write(header(body.length));
    out.write(body);
    out.flush();
  }

  public static byte[] header(int length) {
    return new byte[] {
      (byte) length, (byte) (length >>> 8), (byte) (length >>> 16), (byte) (length >>> 24)
    };
  }

  private static int readUpTo(InputStream in, byte[] buffer) throws IOException {
    int off = 0;
    while (off < buffer.length) {
      int n = in.read(buffer, off, buffer.length - off);
      if (n < 0) {
        break;
      }
      off += n;
    }
    return off;
  }
}
