package org.sceau.openpgp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Date;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;

/**
 * SEIPDv1 messages made by BC's pure-Java encryptor (its own AES and CFB), read through {@link
 * JdkCipherImplementation}'s bulk decryptor and checked by BC's own MDC verification.
 */
class CfbDataDecryptorMessageTest {
  private static final char[] PASSWORD = "correct horse".toCharArray();

  static byte[] encrypt(byte[] plain, int alg, int bufferExp, Random r) throws Exception {
    return encrypt(plain, alg, bufferExp, r, true);
  }

  static byte[] encrypt(byte[] plain, int alg, int bufferExp, Random r, boolean sessionKey)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(r.nextLong());
    PGPEncryptedDataGenerator gen =
        new PGPEncryptedDataGenerator(
            new BcPGPDataEncryptorBuilder(alg).setWithIntegrityPacket(true).setSecureRandom(rnd));
    gen.setForceSessionKey(sessionKey);
    gen.addMethod(new BcPBEKeyEncryptionMethodGenerator(PASSWORD).setSecureRandom(rnd));
    // A buffer means partial-length packets: chunk boundaries land anywhere in a CFB block.
    try (OutputStream enc = gen.open(out, new byte[1 << bufferExp]);
        OutputStream lit =
            new PGPLiteralDataGenerator()
                .open(enc, PGPLiteralData.BINARY, "", plain.length, new Date(0))) {
      lit.write(plain);
    }
    return out.toByteArray();
  }

  /** Decrypts, reads with random read sizes, and returns the plaintext; throws if the MDC fails. */
  static byte[] decrypt(byte[] message, char[] password, Random r) throws Exception {
    BcPGPObjectFactory f = new BcPGPObjectFactory(message);
    PGPPBEEncryptedData pbe = (PGPPBEEncryptedData) ((PGPEncryptedDataList) f.nextObject()).get(0);
    InputStream clear =
        pbe.getDataStream(new JdkCipherImplementation(true).pbeDataDecryptorFactory(password));
    PGPLiteralData lit = (PGPLiteralData) new BcPGPObjectFactory(clear).nextObject();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = lit.getInputStream();
    byte[] buf = new byte[20_000];
    int n;
    while ((n = in.read(buf, 0, 1 + r.nextInt(buf.length))) >= 0) {
      got.write(buf, 0, n);
    }
    if (!pbe.verify()) {
      throw new IOException("MDC mismatch");
    }
    return got.toByteArray();
  }

  @Property(tries = 40)
  void decryptsBcPureJavaSeipdV1ForAnyLengthAndChunking(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    byte[] plain = new byte[r.nextBoolean() ? r.nextInt(100) : r.nextInt(100 * 1024)];
    r.nextBytes(plain);
    int alg =
        new int[] {
              SymmetricKeyAlgorithmTags.AES_128,
              SymmetricKeyAlgorithmTags.AES_192,
              SymmetricKeyAlgorithmTags.AES_256
            }
            [r.nextInt(3)];
    byte[] message = encrypt(plain, alg, 9 + r.nextInt(8), r);
    assertArrayEquals(plain, decrypt(message, PASSWORD, r));
  }

  @Example
  void flippedCiphertextBitFailsTheMdc() throws Exception {
    Random r = new Random(7);
    byte[] plain = new byte[50_000];
    r.nextBytes(plain);
    byte[] message = encrypt(plain, SymmetricKeyAlgorithmTags.AES_256, 12, r);
    message[message.length / 2] ^= 0x10;
    IOException e = assertThrows(IOException.class, () -> decrypt(message, PASSWORD, r));
    assertEquals("MDC mismatch", e.getMessage());
  }

  @Example
  void wrongPasswordIsRefusedByTheQuickCheck() throws Exception {
    Random r = new Random(8);
    // No separate session key: the password's S2K key decrypts the data, so a wrong password
    // reaches our decryptor and BC's quick check (which resets the marked packet stream).
    byte[] message = encrypt(new byte[1000], SymmetricKeyAlgorithmTags.AES_256, 9, r, false);
    PGPPBEEncryptedData pbe =
        (PGPPBEEncryptedData)
            ((PGPEncryptedDataList) new BcPGPObjectFactory(message).nextObject()).get(0);
    // 1 in 65536 wrong keys pass the 2-byte check; this fixed one does not.
    PGPException e =
        assertThrows(
            PGPException.class,
            () ->
                pbe.getDataStream(
                    new JdkCipherImplementation(true)
                        .pbeDataDecryptorFactory("wrong".toCharArray())));
    assertInstanceOf(org.bouncycastle.openpgp.PGPDataValidationException.class, e, e.toString());
    assertArrayEquals(new byte[1000], decrypt(message, PASSWORD, r));
  }
}
