package org.sceau.openpgp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.openpgp.internal.BcSecretKey;

class MessageSecurityTest {

  @Test
  void refusesPublicKeyMessageWithoutMdcBeforeAnyPlaintext() throws Exception {
    // A Symmetrically Encrypted Data packet (tag 9, no MDC), made by BC's packet-level API.
    var encKey =
        BcSecretKey.unwrap(TestKeys.BOB.key()).getEncryptionKeys().get(0).getPGPPublicKey();
    PGPEncryptedDataGenerator g =
        new PGPEncryptedDataGenerator(
            new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                .setWithIntegrityPacket(false)
                .setSecureRandom(new SecureRandom()));
    g.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(encKey));
    ByteArrayOutputStream ct = new ByteArrayOutputStream();
    try (OutputStream enc = g.open(ct, new byte[4096]);
        OutputStream lit =
            new PGPLiteralDataGenerator()
                .open(enc, PGPLiteralData.BINARY, "", new java.util.Date(), new byte[4096])) {
      lit.write("attack at dawn".getBytes(UTF_8));
    }
    ByteArrayOutputStream pt = new ByteArrayOutputStream();
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class,
            () ->
                MessageDecryptor.builder()
                    .withKey(TestKeys.BOB.key(), Passphrase.none())
                    .build()
                    .decrypt(new ByteArrayInputStream(ct.toByteArray()), pt));
    assertEquals(OpenPgpError.INTEGRITY_PROTECTION_MISSING, e.code(), e.toString());
    assertEquals(0, pt.size(), "no plaintext released");
  }

  @Test
  void usesSeipdV2OnlyWhenEveryRecipientAdvertisesIt() throws Exception {
    GeneratedKey v6 =
        Keys.generate(KeySpec.of("Six <six@example.org>").withProfile(KeyProfile.CURVE25519_V6));
    assertEquals("SEIPDv2 AES-256/OCB", roundTrip(v6, v6.key().certificate()));
    assertTrue(
        roundTrip(v6, v6.key().certificate(), TestKeys.BOB.key().certificate())
            .startsWith("SEIPDv1"));
  }

  static String roundTrip(GeneratedKey reader, Certificate... to) throws Exception {
    ByteArrayOutputStream ct = new ByteArrayOutputStream();
    MessageEncryptor.builder().to(to).build().encrypt(new ByteArrayInputStream(new byte[] {1}), ct);
    return MessageDecryptor.builder()
        .withKey(reader.key(), Passphrase.none())
        .build()
        .decrypt(new ByteArrayInputStream(ct.toByteArray()), new ByteArrayOutputStream())
        .mechanism();
  }

  @Test
  void streamsLargeInputThroughFilesWithoutBuffering(@TempDir Path dir) throws Exception {
    long size = 24L * 1024 * 1024;
    MessageDigest in = MessageDigest.getInstance("SHA-256");
    Path ct = dir.resolve("big.pgp");
    try (InputStream src = new PatternStream(size, in);
        OutputStream out = Files.newOutputStream(ct)) {
      MessageEncryptor.builder()
          .to(TestKeys.BOB.key().certificate())
          .signWith(TestKeys.BOB.key(), Passphrase.none())
          .encoding(Encoding.BINARY)
          .build()
          .encrypt(src, out);
    }
    MessageDigest outDigest = MessageDigest.getInstance("SHA-256");
    DecryptionResult r;
    try (InputStream src = Files.newInputStream(ct);
        OutputStream sink =
            new java.security.DigestOutputStream(OutputStream.nullOutputStream(), outDigest)) {
      r =
          MessageDecryptor.builder()
              .withKey(TestKeys.BOB.key(), Passphrase.none())
              .verifyWith(TestKeys.BOB.key().certificate())
              .build()
              .decrypt(src, sink);
    }
    assertArrayEquals(in.digest(), outDigest.digest());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus());
  }

  @Test
  void passwordEncryptionRoundTrip() throws Exception {
    ByteArrayOutputStream ct = new ByteArrayOutputStream();
    MessageEncryptor.builder()
        .withPassword(Passphrase.of("pw"))
        .build()
        .encrypt(new ByteArrayInputStream("hi".getBytes(UTF_8)), ct);
    ByteArrayOutputStream pt = new ByteArrayOutputStream();
    MessageDecryptor.builder()
        .withPassword(Passphrase.of("pw"))
        .build()
        .decrypt(new ByteArrayInputStream(ct.toByteArray()), pt);
    assertEquals("hi", pt.toString(UTF_8));
  }

  /** A deterministic byte stream of a given length that digests what it hands out. */
  static final class PatternStream extends InputStream {
    private long left;
    private final MessageDigest md;
    private long pos;

    PatternStream(long size, MessageDigest md) {
      this.left = size;
      this.md = md;
    }

    @Override
    public int read() {
      byte[] b = new byte[1];
      return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) ((pos++ * 31) >>> 3);
      }
      md.update(b, off, n);
      left -= n;
      return n;
    }
  }
}
