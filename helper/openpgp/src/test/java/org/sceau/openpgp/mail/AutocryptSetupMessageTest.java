package org.sceau.openpgp.mail;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.openpgp.mail.MailKeys.ALICE;
import static org.sceau.openpgp.mail.MailKeys.ALICE_PASS;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SecretKey;

/** Autocrypt Setup Message: the spec's shape, and the key back out with the code (only with it). */
class AutocryptSetupMessageTest {

  @Test
  void roundTripGivesTheSameKeyAndTheMessageHasTheSpecsShape() throws Exception {
    AutocryptSetupMessage.Export e =
        AutocryptSetupMessage.create(
            ALICE.key(), ALICE_PASS, "alice@example.org", PreferEncrypt.MUTUAL);
    assertTrue(e.setupCode().matches("([0-9]{4}-){8}[0-9]{4}"), e.setupCode());
    String raw = new String(e.message(), US_ASCII);
    assertFalse(raw.contains(e.setupCode().substring(5)), "the code is never in the message");
    assertFalse(raw.contains("PRIVATE KEY"));
    MimeMessage m =
        new MimeMessage(
            Session.getInstance(new Properties()), new ByteArrayInputStream(e.message()));
    assertEquals("v1", m.getHeader("Autocrypt-Setup-Message")[0]);
    assertEquals("Autocrypt Setup Message", m.getSubject());
    assertTrue(m.isMimeType("multipart/mixed"));
    MimeMultipart mp = (MimeMultipart) m.getContent();
    assertTrue(mp.getBodyPart(0).isMimeType("text/plain"));
    assertTrue(mp.getBodyPart(1).isMimeType("application/autocrypt-setup"));
    assertTrue(raw.contains("Passphrase-Format: numeric9x4\r\n"));
    assertTrue(raw.contains("Passphrase-Begin: " + e.setupCode().substring(0, 2) + "\r\n"));

    // Typed with spaces instead of dashes, as a user might.
    SecretKey back = AutocryptSetupMessage.read(e.message(), e.setupCode().replace('-', ' '));
    assertEquals(ALICE.key().fingerprint(), back.fingerprint());
    assertFalse(back.isProtected(), "the key inside is unprotected, as the spec says");
    assertTrue(back.certificate().status().canSign());
  }

  @Test
  void wrongCodeAndMalformedInputAreTypedErrors() throws Exception {
    AutocryptSetupMessage.Export e =
        AutocryptSetupMessage.create(
            ALICE.key(), ALICE_PASS, "alice@example.org", PreferEncrypt.NOPREFERENCE);
    String wrong = e.setupCode().startsWith("1") ? "2" : "1";
    wrong += e.setupCode().substring(1);
    String w = wrong;
    OpenPgpException bad =
        assertThrows(OpenPgpException.class, () -> AutocryptSetupMessage.read(e.message(), w));
    assertTrue(
        bad.code().name().equals("WRONG_PASSPHRASE")
            || bad.code().name().equals("NO_DECRYPTION_KEY")
            || bad.code().name().equals("MALFORMED_MESSAGE"),
        bad.code().name());
    assertEquals(
        MailError.INVALID_SETUP_MESSAGE,
        assertThrows(
                MailException.class, () -> AutocryptSetupMessage.read(e.message(), "1234-5678"))
            .code());
    assertEquals(
        MailError.INVALID_SETUP_MESSAGE,
        assertThrows(
                MailException.class,
                () ->
                    AutocryptSetupMessage.read(
                        "Subject: hi\r\n\r\nnot a setup message\r\n".getBytes(US_ASCII),
                        e.setupCode()))
            .code());
  }

  @Test
  void lockedKeyCannotBeExported() {
    assertThrows(
        OpenPgpException.class,
        () ->
            AutocryptSetupMessage.create(
                ALICE.key(), Passphrase.of("wrong"), "alice@example.org", PreferEncrypt.MUTUAL));
  }

  @Test
  void setupCodesAreFreshEachTime() throws Exception {
    assertFalse(AutocryptSetupMessage.newSetupCode().equals(AutocryptSetupMessage.newSetupCode()));
    assertEquals(
        "1234-5678-9012-3456-7890-1234-5678-9012-3456",
        AutocryptSetupMessage.normalizeSetupCode("123456789012 3456789012-3456789012345 6"));
    assertTrue(ALICE.key().encoded(Encoding.ARMORED).length > 0);
  }
}
