package org.sceau.openpgp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageRoundTripTest {
  static final byte[] MAIL = "Grüße aus Köln\r\nFrom the start\n- dash\n".getBytes(UTF_8);

  static byte[] encrypt(MessageEncryptor e, byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    e.encrypt(new ByteArrayInputStream(data), out);
    return out.toByteArray();
  }

  @Test
  void encryptsAndSignsToRecipientAndSenderAndVerifiesGood() throws Exception {
    byte[] ct =
        encrypt(
            MessageEncryptor.builder()
                .to(TestKeys.BOB.key().certificate())
                .signWith(TestKeys.ALICE.key(), TestKeys.ALICE_PASS)
                .build(),
            MAIL);
    String armored = new String(ct, UTF_8);
    assertTrue(armored.startsWith("-----BEGIN PGP MESSAGE-----"), armored);
    // CRC24 line "=XXXX" right before the END line (interop trap 4).
    assertTrue(armored.matches("(?s).*\n=[A-Za-z0-9+/]{4}\r?\n-----END PGP MESSAGE-----.*"));

    for (GeneratedKey reader : List.of(TestKeys.BOB, TestKeys.ALICE)) {
      Passphrase p = reader == TestKeys.ALICE ? TestKeys.ALICE_PASS : Passphrase.none();
      ByteArrayOutputStream pt = new ByteArrayOutputStream();
      DecryptionResult r =
          MessageDecryptor.builder()
              .withKey(reader.key(), p)
              .verifyWith(TestKeys.ALICE.key().certificate())
              .build()
              .decrypt(new ByteArrayInputStream(ct), pt);
      assertArrayEquals(MAIL, pt.toByteArray());
      assertTrue(r.encrypted());
      // v4 recipients only: SEIPDv1 (interop trap 6)
      assertTrue(r.mechanism().startsWith("SEIPDv1 AES-256"), r.mechanism());
      assertEquals(SignatureStatus.GOOD, r.signatureStatus());
      assertEquals(
          TestKeys.ALICE.key().fingerprint(), r.signatures().get(0).certificateFingerprint().get());
    }
  }

  @Test
  void reportsUnknownKeyAndNotSigned() throws Exception {
    byte[] ct =
        encrypt(
            MessageEncryptor.builder()
                .to(TestKeys.BOB.key().certificate())
                .signWith(TestKeys.ALICE.key(), TestKeys.ALICE_PASS)
                .build(),
            MAIL);
    DecryptionResult r =
        MessageDecryptor.builder()
            .withKey(TestKeys.BOB.key(), Passphrase.none())
            .build()
            .decrypt(new ByteArrayInputStream(ct), new ByteArrayOutputStream());
    assertEquals(SignatureStatus.UNKNOWN_KEY, r.signatureStatus(), r.toString());

    byte[] unsigned =
        encrypt(MessageEncryptor.builder().to(TestKeys.BOB.key().certificate()).build(), MAIL);
    DecryptionResult u =
        MessageDecryptor.builder()
            .withKey(TestKeys.BOB.key(), Passphrase.none())
            .verifyWith(TestKeys.ALICE.key().certificate())
            .build()
            .decrypt(new ByteArrayInputStream(unsigned), new ByteArrayOutputStream());
    assertEquals(SignatureStatus.NOT_SIGNED, u.signatureStatus());
  }

  @Test
  void tamperedCiphertextFailsAsMalformed() throws Exception {
    byte[] ct =
        encrypt(
            MessageEncryptor.builder()
                .to(TestKeys.BOB.key().certificate())
                .encoding(Encoding.BINARY)
                .build(),
            MAIL);
    ct[ct.length - 10] ^= 0x01;
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class,
            () ->
                MessageDecryptor.builder()
                    .withKey(TestKeys.BOB.key(), Passphrase.none())
                    .build()
                    .decrypt(new ByteArrayInputStream(ct), new ByteArrayOutputStream()));
    assertEquals(OpenPgpError.MALFORMED_MESSAGE, e.code(), e.toString());
  }

  @Test
  void wrongKeyFailsWithNoDecryptionKey() throws Exception {
    byte[] ct =
        encrypt(MessageEncryptor.builder().to(TestKeys.BOB.key().certificate()).build(), MAIL);
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class,
            () ->
                MessageDecryptor.builder()
                    .withKey(TestKeys.ALICE.key(), TestKeys.ALICE_PASS)
                    .build()
                    .decrypt(new ByteArrayInputStream(ct), new ByteArrayOutputStream()));
    assertEquals(OpenPgpError.NO_DECRYPTION_KEY, e.code(), e.toString());
  }

  @Test
  void wrongPassphraseFailsWithWrongPassphrase() throws Exception {
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class,
            () ->
                MessageEncryptor.builder()
                    .to(TestKeys.BOB.key().certificate())
                    .signWith(TestKeys.ALICE.key(), Passphrase.of("nope"))
                    .build()
                    .open(new ByteArrayOutputStream()));
    assertEquals(OpenPgpError.WRONG_PASSPHRASE, e.code());
  }

  @Test
  void detachedSignatureGoodThenBadWhenDataChanges() throws Exception {
    byte[] sig =
        DetachedSigner.create(TestKeys.ALICE.key(), TestKeys.ALICE_PASS, Encoding.ARMORED)
            .sign(new ByteArrayInputStream(MAIL));
    SignatureVerifier v = SignatureVerifier.create(List.of(TestKeys.ALICE.key().certificate()));
    assertTrue(v.requireGood(new ByteArrayInputStream(MAIL), sig).isGood());
    byte[] changed = MAIL.clone();
    changed[0] ^= 1;
    List<SignatureVerdict> bad = v.verify(new ByteArrayInputStream(changed), sig);
    assertEquals(SignatureStatus.BAD, bad.get(0).status(), bad.toString());
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class, () -> v.requireGood(new ByteArrayInputStream(changed), sig));
    assertEquals(OpenPgpError.BAD_SIGNATURE, e.code());
  }
}
