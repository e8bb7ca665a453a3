package org.sceau.openpgp.mail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;

/** Property tests for every parser of the mail layer: typed errors only, and exact round trips. */
class MailParserPropertiesTest {

  @Property(tries = 500)
  void autocryptParserThrowsOnlyTypedErrors(@ForAll @Size(max = 400) String s) {
    try {
      AutocryptHeader h = AutocryptHeader.parse(s);
      assertTrue(h.addr().contains("@"));
      assertTrue(h.keyData().length > 0);
    } catch (MailException e) {
      assertEquals(MailError.INVALID_AUTOCRYPT_HEADER, e.code());
    }
  }

  @Provide
  Arbitrary<String> addresses() {
    Arbitrary<String> part =
        Arbitraries.strings().withChars("abcxyz0129.-_+").ofMinLength(1).ofMaxLength(20);
    return Combinators.combine(part, part).as((l, d) -> l + "@" + d + ".org");
  }

  @Property(tries = 300)
  void autocryptFormatParsesBackToTheSameHeader(
      @ForAll("addresses") String addr,
      @ForAll @Size(min = 1, max = 3000) byte[] key,
      @ForAll PreferEncrypt pe)
      throws Exception {
    AutocryptHeader h = new AutocryptHeader(addr, pe, key);
    assertEquals(h, AutocryptHeader.parse(h.format()));
    assertEquals(
        new AutocryptHeader(addr, PreferEncrypt.NOPREFERENCE, key),
        AutocryptHeader.parse(h.format(false)));
  }

  @Property(tries = 200)
  void autocryptAttributeOrderAndNonCriticalExtrasDoNotMatter(
      @ForAll("addresses") String addr,
      @ForAll @Size(min = 1, max = 200) byte[] key,
      @ForAll long seed)
      throws Exception {
    List<String> attrs =
        new ArrayList<>(
            List.of(
                "addr=" + addr,
                "prefer-encrypt=mutual",
                "_x-extra=" + Long.toHexString(seed),
                "keydata=" + java.util.Base64.getEncoder().encodeToString(key)));
    Collections.shuffle(attrs, new Random(seed));
    AutocryptHeader h = AutocryptHeader.parse(String.join("; ", attrs));
    assertEquals(new AutocryptHeader(addr, PreferEncrypt.MUTUAL, key), h);
  }

  @Property(tries = 300)
  void addressListParserThrowsOnlyTypedErrors(@ForAll @Size(max = 200) String s) {
    try {
      for (MailAddress a : MailAddress.parseList(s)) {
        assertFalse(a.address().isBlank());
      }
    } catch (MailException e) {
      assertEquals(MailError.MALFORMED_MAIL, e.code());
    }
  }

  static final MailReader READER =
      MailReader.builder()
          .withKey(MailKeys.BOB.key(), Passphrase.none())
          .limits(new MailLimits(1 << 20, 1 << 20, 200, 16))
          .build();

  @Property(tries = 300)
  void readerOnRandomBytesGivesResultOrTypedError(@ForAll @Size(max = 2000) byte[] raw) {
    readTyped(raw);
  }

  @Provide
  Arbitrary<String> mimeish() {
    Arbitrary<String> token =
        Arbitraries.of(
            "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"E\"\r\n",
            "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=E\r\n",
            "Content-Type: multipart/mixed; boundary=E\r\n",
            "Content-Type: text/plain; charset=utf-8; hp=cipher\r\n",
            "Content-Type: application/pgp-encrypted\r\n",
            "Content-Type: application/pgp-signature\r\n",
            "Content-Transfer-Encoding: base64\r\n",
            "Content-Transfer-Encoding: quoted-printable\r\n",
            "Subject: =?UTF-8?B?w6k=?=\r\n",
            "Autocrypt: addr=a@b.org; keydata=AAAA\r\n",
            "From: a@b.org\r\n",
            "\r\n",
            "--E\r\n",
            "--E--\r\n",
            "Version: 1\r\n",
            "-----BEGIN PGP MESSAGE-----\r\n",
            "-----END PGP MESSAGE-----\r\n",
            "-----BEGIN PGP SIGNATURE-----\r\n",
            "hQEMA+garbage==\r\n",
            "=3D=\r\n");
    return token.list().ofMaxSize(40).map(l -> String.join("", l));
  }

  @Property(tries = 500)
  void readerOnMimeLikeInputGivesResultOrTypedError(@ForAll("mimeish") String s) {
    readTyped(s.getBytes(UTF_8));
  }

  private static void readTyped(byte[] raw) {
    try {
      ReadMail r = READER.read(raw);
      assertNotNull(r.body());
    } catch (MailException | OpenPgpException e) {
      assertNotNull(e.getMessage());
    }
  }

  @Property(tries = 300)
  void twoPartsNeverThrows(@ForAll("mimeish") String s, @ForAll @Size(max = 3) String boundary) {
    MimeBytes.Parts p = MimeBytes.twoParts(s.getBytes(UTF_8), boundary.isEmpty() ? "E" : boundary);
    if (p != null) {
      assertNotNull(p.first());
    }
  }

  @Property(tries = 300)
  void fromEscapingChangesExactlyTheLinesStartingWithFrom(
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 5) Integer> symbols) throws Exception {
    String[] alphabet = {"From ", "From", "F", "x", "\r\n", " "};
    StringBuilder in = new StringBuilder();
    for (int s : symbols) {
      in.append(alphabet[s]);
    }
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream o = Streams.escapeFrom(sink)) {
      o.write(in.toString().getBytes(UTF_8));
    }
    String want = in.toString().replaceAll("(?m)^From ", "=46rom ");
    assertEquals(want, sink.toString(UTF_8));
  }

  @Property(tries = 300)
  void crlfStreamEqualsCanonicalFormWhateverTheChunking(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 3) Integer> symbols,
      @ForAll @IntRange(min = 1, max = 7) int chunk)
      throws Exception {
    byte[] alphabet = {'a', '\r', '\n', 'b'};
    byte[] in = new byte[symbols.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = alphabet[symbols.get(i)];
    }
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream o = Streams.crlf(sink)) {
      for (int i = 0; i < in.length; i += chunk) {
        if (chunk == 1) {
          o.write(in[i]);
        } else {
          o.write(in, i, Math.min(chunk, in.length - i));
        }
      }
    }
    assertArrayEquals(MimeBytes.canonical(in), sink.toByteArray());
  }
}
