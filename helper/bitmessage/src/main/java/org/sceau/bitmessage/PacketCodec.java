package org.sceau.bitmessage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.sceau.bitmessage.internal.Bytes;
import org.sceau.bitmessage.internal.Hashes;
import org.sceau.bitmessage.internal.WireReader;
import org.sceau.bitmessage.internal.WireWriter;

/**
 * The 24-byte packet header: {@code magic E9BEB4D9 ‖ command[12] NUL-padded ‖ length u32 ‖ checksum
 * = SHA512(payload)[0:4]}. The length is checked against {@link #MAX_PAYLOAD} before any payload
 * buffer is allocated.
 */
public final class PacketCodec {
  public static final int MAGIC = 0xE9BEB4D9;
  public static final int HEADER_LENGTH = 24;

  /** PyBitmessage's MAX_MESSAGE_SIZE (1.6 MB). */
  public static final int MAX_PAYLOAD = 1_600_100;

  private PacketCodec() {}

  /** A decoded header: what to read next. */
  public record Header(String command, int length, byte[] checksum) {
    public Header {
      checksum = checksum.clone();
    }

    @Override
    public byte[] checksum() {
      return checksum.clone();
    }
  }

  public static byte[] encode(Packet p) {
    byte[] payload = p.payload();
    byte[] cmd = Arrays.copyOf(p.command().getBytes(StandardCharsets.US_ASCII), 12);
    return new WireWriter(HEADER_LENGTH + payload.length)
        .u32(MAGIC & 0xffffffffL)
        .bytes(cmd)
        .u32(payload.length)
        .bytes(Hashes.sha512(payload), 0, 4)
        .bytes(payload)
        .toByteArray();
  }

  /** Parses a 24-byte header (magic, command padding and length limit checked). */
  public static Header decodeHeader(byte[] h, int off)
      throws MalformedObjectException, TooLargeException {
    if (h.length - off < HEADER_LENGTH) {
      throw new MalformedObjectException("packet header truncated");
    }
    WireReader r = new WireReader(h, off, HEADER_LENGTH);
    if ((int) r.u32("magic") != MAGIC) {
      throw new MalformedObjectException("packet does not start with the Bitmessage magic");
    }
    byte[] cmd = r.bytes(12, "command");
    int end = 0;
    while (end < 12 && cmd[end] != 0) {
      int c = cmd[end] & 0xff;
      if (c <= 0x20 || c >= 0x7f) {
        throw new MalformedObjectException("packet command is not printable ASCII");
      }
      end++;
    }
    if (end == 0) {
      throw new MalformedObjectException("packet command is empty");
    }
    for (int i = end; i < 12; i++) {
      if (cmd[i] != 0) {
        throw new MalformedObjectException("packet command padding is not NUL");
      }
    }
    long len = r.u32("length");
    if (len > MAX_PAYLOAD) {
      throw new TooLargeException("packet payload of " + len + " bytes is over the limit");
    }
    byte[] checksum = r.bytes(4, "checksum");
    return new Header(new String(cmd, 0, end, StandardCharsets.US_ASCII), (int) len, checksum);
  }

  /** Decodes exactly one complete packet (no trailing bytes). */
  public static Packet decode(byte[] data)
      throws MalformedObjectException, TooLargeException, BadChecksumException {
    Header h = decodeHeader(data, 0);
    if (data.length - HEADER_LENGTH != h.length()) {
      throw new MalformedObjectException("packet length field does not match its size");
    }
    byte[] payload = Arrays.copyOfRange(data, HEADER_LENGTH, data.length);
    check(h, payload);
    return new Packet(h.command(), payload);
  }

  /**
   * Reads one packet from a stream. The header is read first; the payload buffer is allocated only
   * once its length is known to be within the limit.
   */
  public static Packet read(InputStream in)
      throws IOException, MalformedObjectException, TooLargeException, BadChecksumException {
    byte[] hb = in.readNBytes(HEADER_LENGTH);
    if (hb.length < HEADER_LENGTH) {
      throw new EOFException("stream ended inside a packet header");
    }
    Header h = decodeHeader(hb, 0);
    byte[] payload = in.readNBytes(h.length());
    if (payload.length < h.length()) {
      throw new EOFException("stream ended inside a packet payload");
    }
    check(h, payload);
    return new Packet(h.command(), payload);
  }

  private static void check(Header h, byte[] payload) throws BadChecksumException {
    byte[] sum = Arrays.copyOf(Hashes.sha512(payload), 4);
    if (!Bytes.constantTimeEquals(sum, h.checksum())) {
      throw new BadChecksumException("packet checksum does not match its payload");
    }
  }
}
