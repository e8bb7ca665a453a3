package org.sceau.openpgp.mail;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sceau.openpgp.Encoding;

/** Autocrypt header syntax (Level 1 §"The Autocrypt Header"). */
class AutocryptHeaderTest {
  static final byte[] KEY = binary();

  static byte[] binary() {
    try {
      return MailKeys.BOB.key().certificate().encoded(Encoding.BINARY);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String b64() {
    return Base64.getEncoder().encodeToString(KEY);
  }

  @Test
  void formatsFoldedWithKeydataLastAndParsesBack() throws Exception {
    AutocryptHeader h =
        AutocryptHeader.of(
            "bob@example.org", PreferEncrypt.MUTUAL, MailKeys.BOB.key().certificate());
    String v = h.format();
    assertTrue(v.startsWith("addr=bob@example.org; prefer-encrypt=mutual; keydata=\r\n "));
    for (String line : v.split("\r\n")) {
      assertTrue(line.length() <= 78, "folded: " + line.length());
    }
    assertEquals(h, AutocryptHeader.parse(v));
    assertEquals(
        MailKeys.BOB.key().fingerprint(), AutocryptHeader.parse(v).certificate().fingerprint());
    assertFalse(h.format(false).contains("prefer-encrypt"), "gossip carries no preference");
  }

  @Test
  void preferEncryptOtherThanMutualMeansNoPreference() throws Exception {
    assertEquals(
        PreferEncrypt.NOPREFERENCE,
        AutocryptHeader.parse("addr=a@b.org; prefer-encrypt=nopreference; keydata=" + b64())
            .preferEncrypt());
    assertEquals(
        PreferEncrypt.NOPREFERENCE,
        AutocryptHeader.parse("addr=a@b.org; prefer-encrypt=MUTUALLY; keydata=" + b64())
            .preferEncrypt());
    assertEquals(
        PreferEncrypt.NOPREFERENCE,
        AutocryptHeader.parse("addr=a@b.org; keydata=" + b64()).preferEncrypt());
  }

  @Test
  void nonCriticalUnknownAttributesAreIgnored() throws Exception {
    AutocryptHeader h = AutocryptHeader.parse("addr=a@b.org; _future=1; keydata=" + b64());
    assertEquals("a@b.org", h.addr());
  }

  @Test
  void keydataWithWhiteSpaceAndFoldingIsAccepted() throws Exception {
    String k = b64();
    String folded =
        "addr=a@b.org;\r\n keydata="
            + k.substring(0, 40)
            + "\r\n\t"
            + k.substring(40, 90)
            + "\n "
            + k.substring(90);
    assertArrayEquals(KEY, AutocryptHeader.parse(folded).keyData());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "keydata=AAAA",
        "addr=a@b.org",
        "addr=a@b.org; keydata=",
        "addr=a@b.org; type=1; keydata=AAAA",
        "addr=a@b.org; critical=yes; keydata=AAAA",
        "addr=a@b.org; addr=c@d.org; keydata=AAAA",
        "addr=not-an-address; keydata=AAAA",
        "addr=<a@b.org>; keydata=AAAA",
        "addr=a@b.org; keydata=***notbase64***",
        "addr=a@b.org; novalue; keydata=AAAA",
        ""
      })
  void invalidHeadersAreRefusedWithTypedError(String v) {
    MailException e = assertThrows(MailException.class, () -> AutocryptHeader.parse(v));
    assertEquals(MailError.INVALID_AUTOCRYPT_HEADER, e.code());
  }

  @Test
  void headersLongerThan10KibAreInvalid() {
    String big = "addr=a@b.org; keydata=" + "A".repeat(10 * 1024);
    MailException e = assertThrows(MailException.class, () -> AutocryptHeader.parse(big));
    assertEquals(MailError.INVALID_AUTOCRYPT_HEADER, e.code());
  }

  @Test
  void messageWithTwoValidHeadersHasNone() {
    String a = "addr=a@b.org; keydata=" + b64();
    assertTrue(
        Autocrypt.selectHeader(List.of(a), "A@B.org").isPresent(),
        "addresses compare case-insensitively");
    assertTrue(Autocrypt.selectHeader(List.of(a, a), "a@b.org").isEmpty());
    assertTrue(Autocrypt.selectHeader(List.of(a, "garbage"), "a@b.org").isPresent());
    assertTrue(Autocrypt.selectHeader(List.of(a), "other@b.org").isEmpty(), "addr must match From");
  }

  @Test
  void autoRepliesReportsAndMultipleSendersAreIgnored() {
    assertTrue(Autocrypt.ignores(java.util.Optional.of("auto-replied"), "text/plain", 1));
    assertTrue(Autocrypt.ignores(java.util.Optional.empty(), "multipart/report; report-type=x", 1));
    assertTrue(Autocrypt.ignores(java.util.Optional.empty(), "text/plain", 2));
    assertFalse(Autocrypt.ignores(java.util.Optional.of("no"), "text/plain", 1));
  }
}
