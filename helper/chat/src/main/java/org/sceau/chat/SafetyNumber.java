package org.sceau.chat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.sceau.chat.wire.DeviceId;

/**
 * A number two people compare (read aloud, or one scans the other's QR code) to verify that their
 * devices talk to each other's real identity keys and not to a key the relay substituted. Both
 * sides compute the same 60 digits from the two identity keys, whatever the order.
 *
 * <p>Each key gives 30 digits: SHA-512 iterated 5200 times over a version, a label and the key (as
 * Signal does, so brute-forcing a key with a colliding number costs 2^100 × 5200 hashes), taken as
 * six 5-byte chunks, each reduced mod 100000. The two halves are ordered by value.
 */
public final class SafetyNumber {
  private static final int ITERATIONS = 5200;
  private static final byte[] LABEL = "sceau-safety-number-v1".getBytes(StandardCharsets.US_ASCII);
  private static final String QR_PREFIX = "sceau-sn:1:";

  private final byte[] first;
  private final byte[] second;

  private SafetyNumber(byte[] a, byte[] b) {
    if (Arrays.compareUnsigned(a, b) <= 0) {
      first = a;
      second = b;
    } else {
      first = b;
      second = a;
    }
  }

  /** The safety number of the pair of identity keys {@code a} and {@code b}. */
  public static SafetyNumber of(DeviceId a, DeviceId b) {
    return new SafetyNumber(fingerprint(a), fingerprint(b));
  }

  private static byte[] fingerprint(DeviceId id) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-512");
      byte[] key = id.publicKey();
      sha.update(new byte[] {0, 1});
      sha.update(LABEL);
      sha.update(key);
      byte[] h = sha.digest();
      for (int i = 0; i < ITERATIONS; i++) {
        sha.update(h);
        sha.update(key);
        h = sha.digest();
      }
      return Arrays.copyOf(h, 30);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String digits(byte[] fp) {
    StringBuilder sb = new StringBuilder(30);
    for (int c = 0; c < 6; c++) {
      long v = 0;
      for (int i = 0; i < 5; i++) {
        v = (v << 8) | (fp[c * 5 + i] & 0xff);
      }
      sb.append(String.format("%05d", v % 100000));
    }
    return sb.toString();
  }

  /** The 60 digits, without spaces. */
  public String digits() {
    return digits(first) + digits(second);
  }

  /** The 60 digits in 12 groups of 5, as shown to users. */
  public String displayText() {
    String d = digits();
    StringBuilder sb = new StringBuilder(71);
    for (int i = 0; i < d.length(); i += 5) {
      if (i > 0) {
        sb.append(i % 20 == 0 ? '\n' : ' ');
      }
      sb.append(d, i, i + 5);
    }
    return sb.toString();
  }

  /** The string to encode in a QR code: {@code sceau-sn:1:} and the two fingerprints in hex. */
  public String qrPayload() {
    return QR_PREFIX + HexFormat.of().formatHex(first) + HexFormat.of().formatHex(second);
  }

  /** Whether a scanned QR payload is this number (constant-time). */
  public boolean matchesQrPayload(String scanned) {
    if (scanned == null) {
      return false;
    }
    return MessageDigest.isEqual(
        qrPayload().getBytes(StandardCharsets.US_ASCII),
        scanned.trim().getBytes(StandardCharsets.US_ASCII));
  }

  /** Whether digits typed or read aloud are this number (spaces and line breaks ignored). */
  public boolean matchesDigits(String typed) {
    if (typed == null) {
      return false;
    }
    String clean = typed.replaceAll("\\s", "");
    return MessageDigest.isEqual(
        digits().getBytes(StandardCharsets.US_ASCII), clean.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SafetyNumber s
        && MessageDigest.isEqual(first, s.first)
        && MessageDigest.isEqual(second, s.second);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(first) * 31 + Arrays.hashCode(second);
  }

  @Override
  public String toString() {
    return displayText();
  }
}
