package org.sceau.openpgp.discovery;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Web Key Directory URLs (draft-koch-openpgp-webkey-service): the local part lower-cased (ASCII
 * only), hashed with SHA-1 and written in z-base-32; the original local part goes in {@code ?l=}.
 */
public final class Wkd {
  private static final String ZBASE32 = "ybndrfg8ejkmcpqxot1uwisza345h769";

  private Wkd() {}

  /** The 32-character z-base-32 SHA-1 of the lower-cased local part. */
  public static String hash(String localPart) {
    byte[] d;
    try {
      d =
          MessageDigest.getInstance("SHA-1")
              .digest(asciiLower(localPart).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return zbase32(d);
  }

  static String zbase32(byte[] data) {
    StringBuilder sb = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(ZBASE32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(ZBASE32.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }

  /** {@code https://openpgpkey.<domain>/.well-known/openpgpkey/<domain>/hu/<hash>?l=<local>}. */
  public static URI advanced(String email) {
    String[] p = split(email);
    return URI.create(
        "https://openpgpkey."
            + p[1]
            + "/.well-known/openpgpkey/"
            + p[1]
            + "/hu/"
            + hash(p[0])
            + "?l="
            + encode(p[0]));
  }

  /** {@code https://<domain>/.well-known/openpgpkey/hu/<hash>?l=<local>}. */
  public static URI direct(String email) {
    String[] p = split(email);
    return URI.create(
        "https://" + p[1] + "/.well-known/openpgpkey/hu/" + hash(p[0]) + "?l=" + encode(p[0]));
  }

  static String[] split(String email) {
    int at = email.lastIndexOf('@');
    if (at <= 0 || at == email.length() - 1) {
      throw new IllegalArgumentException("not a mail address");
    }
    String domain;
    try {
      // An internationalised domain is looked up by its ASCII (punycode) form.
      domain = java.net.IDN.toASCII(email.substring(at + 1), 0).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a host name", e);
    }
    if (!domain.matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")) {
      throw new IllegalArgumentException("not a host name");
    }
    return new String[] {email.substring(0, at), domain};
  }

  private static String asciiLower(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return sb.toString();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
