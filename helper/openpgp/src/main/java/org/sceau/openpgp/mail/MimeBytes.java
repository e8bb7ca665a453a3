package org.sceau.openpgp.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte-exact MIME slicing that Jakarta Mail does not offer: the first part of a {@code
 * multipart/signed} exactly as transmitted (headers included), which is what the signature covers.
 */
final class MimeBytes {
  private MimeBytes() {}

  /**
   * The entity's parts as byte ranges: {@code [start, end)} per part, bounded by {@code maxParts}.
   */
  record Parts(byte[] first, byte[] second) {}

  /** Drops a leading mbox {@code From } line (some folder exports keep it). */
  static byte[] stripMboxLine(byte[] raw) {
    if (raw.length > 5
        && Arrays.equals(raw, 0, 5, "From ".getBytes(StandardCharsets.US_ASCII), 0, 5)) {
      int nl = indexOf(raw, (byte) '\n', 0);
      return nl < 0 ? raw : Arrays.copyOfRange(raw, nl + 1, raw.length);
    }
    return raw;
  }

  /** Offset of the body: after the first empty line (CRLF CRLF or LF LF); -1 when there is none. */
  static int bodyStart(byte[] e) {
    for (int i = 0; i < e.length; i++) {
      if (e[i] == '\n') {
        int j = i + 1;
        if (j < e.length && e[j] == '\r') {
          j++;
        }
        if (j < e.length && e[j] == '\n') {
          return j + 1;
        }
        if (j >= e.length) {
          return e.length;
        }
      }
    }
    return -1;
  }

  /**
   * The first two parts of a multipart entity with {@code boundary}; null when the delimiters are
   * not there. The first part excludes the line break before the next delimiter (RFC 2046: it
   * belongs to the delimiter).
   */
  static Parts twoParts(byte[] e, String boundary) {
    int body = bodyStart(e);
    if (body < 0) {
      return null;
    }
    byte[] delim = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    int[] starts = new int[3];
    int[] ends = new int[3];
    int found = 0;
    int pos = body;
    while (pos < e.length && found < 3) {
      int lineEnd = indexOf(e, (byte) '\n', pos);
      int next = lineEnd < 0 ? e.length : lineEnd + 1;
      if (startsWith(e, pos, delim)) {
        // the break before the delimiter belongs to it
        int end = pos;
        if (end > 0 && e[end - 1] == '\n') {
          end--;
          if (end > 0 && e[end - 1] == '\r') {
            end--;
          }
        }
        ends[found] = end;
        starts[found] = next;
        found++;
      }
      pos = next;
    }
    if (found < 3) {
      return null;
    }
    return new Parts(
        Arrays.copyOfRange(e, starts[0], Math.max(starts[0], ends[1])),
        Arrays.copyOfRange(e, starts[1], Math.max(starts[1], ends[2])));
  }

  /** Every line ending as CRLF (RFC 3156 canonical form for the signed part). */
  static byte[] canonical(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + b.length / 32);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
        out.write('\r');
      }
      out.write(b[i]);
    }
    return out.toByteArray();
  }

  static int indexOf(byte[] a, byte b, int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A delimiter line: the bytes, then "--", white space or the line end (not a longer boundary).
   */
  private static boolean startsWith(byte[] a, int at, byte[] p) {
    if (at + p.length > a.length || !Arrays.equals(a, at, at + p.length, p, 0, p.length)) {
      return false;
    }
    int k = at + p.length;
    return k == a.length
        || a[k] == '-'
        || a[k] == ' '
        || a[k] == '\t'
        || a[k] == '\r'
        || a[k] == '\n';
  }
}
