package org.sceau.openpgp.mail;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.OpenPgpException;

/**
 * The value of an {@code Autocrypt:} (or {@code Autocrypt-Gossip:}) header, Autocrypt Level 1:
 * {@code addr=alice@example.org; prefer-encrypt=mutual; keydata=<base64 binary certificate>}.
 *
 * <p>Parsing is purely syntactic and bounded ({@link #MAX_LENGTH}); the certificate inside is only
 * read by {@link #certificate()}. Unknown attributes starting with {@code _} are ignored; any other
 * unknown attribute makes the header invalid, as the spec says. {@code keyData} is public key
 * material (a certificate), never secret.
 */
public record AutocryptHeader(String addr, PreferEncrypt preferEncrypt, byte[] keyData) {

  /** Autocrypt: headers larger than 10 KiB SHOULD be treated as invalid. */
  public static final int MAX_LENGTH = 10 * 1024;

  public AutocryptHeader {
    Objects.requireNonNull(addr, "addr");
    Objects.requireNonNull(preferEncrypt, "preferEncrypt");
    keyData = keyData.clone();
  }

  @Override
  public byte[] keyData() {
    return keyData.clone();
  }

  /** The header for {@code addr} carrying {@code cert} (binary, as the spec requires). */
  public static AutocryptHeader of(String addr, PreferEncrypt preferEncrypt, Certificate cert)
      throws OpenPgpException {
    return new AutocryptHeader(addr, preferEncrypt, cert.encoded(Encoding.BINARY));
  }

  /** Reads the certificate in {@code keydata}; MALFORMED_KEY when it is not one. */
  public Certificate certificate() throws OpenPgpException {
    return Keys.readCertificates(new ByteArrayInputStream(keyData)).stream()
        .findFirst()
        .orElseThrow(
            () ->
                new OpenPgpException(
                    org.sceau.openpgp.OpenPgpError.MALFORMED_KEY, "keydata holds no certificate"));
  }

  /** Parses a header value (folded or not); INVALID_AUTOCRYPT_HEADER when it breaks the spec. */
  public static AutocryptHeader parse(String value) throws MailException {
    if (value == null) {
      throw invalid("the header is empty");
    }
    if (value.length() > MAX_LENGTH) {
      throw invalid("the header is longer than 10 KiB");
    }
    String addr = null;
    PreferEncrypt pe = PreferEncrypt.NOPREFERENCE;
    byte[] key = null;
    Set<String> seen = new HashSet<>();
    for (String attr : value.split(";", -1)) {
      String a = attr.strip();
      if (a.isEmpty()) {
        continue;
      }
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw invalid("an attribute has no value");
      }
      String name = a.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String v = a.substring(eq + 1).strip();
      if (!seen.add(name)) {
        throw invalid("the attribute " + printable(name) + " appears twice");
      }
      switch (name) {
        case "addr" -> addr = v;
        case "prefer-encrypt" ->
            pe = v.equals("mutual") ? PreferEncrypt.MUTUAL : PreferEncrypt.NOPREFERENCE;
        case "keydata" -> key = decode(v);
        default -> {
          if (!name.startsWith("_")) {
            throw invalid("unknown critical attribute " + printable(name));
          }
        }
      }
    }
    if (addr == null || !validAddr(addr)) {
      throw invalid("addr is missing or not a mail address");
    }
    if (key == null || key.length == 0) {
      throw invalid("keydata is missing");
    }
    return new AutocryptHeader(addr, pe, key);
  }

  /**
   * The header value, keydata last and folded into 76-character lines (CRLF + space), ready to
   * follow {@code "Autocrypt: "}.
   */
  public String format() {
    return format(true);
  }

  /** As {@link #format()}; {@code withPreference} false leaves prefer-encrypt out (gossip). */
  public String format(boolean withPreference) {
    StringBuilder sb = new StringBuilder("addr=").append(addr).append(';');
    if (withPreference && preferEncrypt == PreferEncrypt.MUTUAL) {
      sb.append(" prefer-encrypt=mutual;");
    }
    sb.append(" keydata=");
    String b64 = Base64.getEncoder().encodeToString(keyData);
    for (int i = 0; i < b64.length(); i += 76) {
      sb.append("\r\n ").append(b64, i, Math.min(b64.length(), i + 76));
    }
    return sb.toString();
  }

  private static byte[] decode(String v) throws MailException {
    StringBuilder sb = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!Character.isWhitespace(c)) {
        sb.append(c);
      }
    }
    try {
      return Base64.getDecoder().decode(sb.toString());
    } catch (IllegalArgumentException e) {
      throw invalid("keydata is not base64");
    }
  }

  private static boolean validAddr(String a) {
    int at = a.indexOf('@');
    return at > 0
        && at == a.lastIndexOf('@')
        && at < a.length() - 1
        && a.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '<' && c != '>');
  }

  private static String printable(String s) {
    String t = s.length() > 32 ? s.substring(0, 32) : s;
    return "'" + t.replaceAll("[^\\x21-\\x7e]", "?") + "'";
  }

  private static MailException invalid(String why) {
    return new MailException(MailError.INVALID_AUTOCRYPT_HEADER, "Autocrypt header: " + why);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AutocryptHeader h
        && h.addr.equals(addr)
        && h.preferEncrypt == preferEncrypt
        && Arrays.equals(h.keyData, keyData);
  }

  @Override
  public int hashCode() {
    return Objects.hash(addr, preferEncrypt, Arrays.hashCode(keyData));
  }

  @Override
  public String toString() {
    return "AutocryptHeader[addr="
        + addr
        + ", "
        + preferEncrypt
        + ", "
        + keyData.length
        + " bytes]";
  }
}
