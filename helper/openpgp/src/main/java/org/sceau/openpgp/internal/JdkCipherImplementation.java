package org.sceau.openpgp.internal;

import java.security.SecureRandom;
import org.bouncycastle.bcpg.AEADEncDataPacket;
import org.bouncycastle.bcpg.InputStreamPacket;
import org.bouncycastle.bcpg.PublicKeyEncSessionPacket;
import org.bouncycastle.bcpg.SymmetricEncIntegrityPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPImplementation;
import org.bouncycastle.openpgp.operator.PBEDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.PGPDataDecryptor;
import org.bouncycastle.openpgp.operator.PGPDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.PGPDataEncryptor;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.PublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.SessionKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;

/**
 * Bouncy Castle's lightweight implementation, with three changes made here on purpose:
 *
 * <ul>
 *   <li>Bulk encryption and decryption of SEIPDv1 (AES/CFB + MDC) run through the JDK's provider
 *       (SunJCE, AES-NI intrinsics) instead of BC's pure-Java AES engine, which caps throughput at
 *       about 40-50 MB/s. Decryption uses {@link CfbDataDecryptor}: CFB decryption computed with
 *       one AES/ECB call per buffer, since the JDK's own AES/CFB decrypts one block at a time.
 *       Public-key operations, AEAD (SEIPDv2) and everything else stay on BC.
 *   <li>Signature hashing (SHA-2 for EdDSA and RSA) runs on the JDK's {@code MessageDigest}, see
 *       {@link JdkDigestSignatures}.
 *   <li>Any data packet without integrity protection (SED, tag 9) is refused before a single byte
 *       of plaintext is produced: the data-decryptor factories are the one place every path goes
 *       through.
 * </ul>
 *
 * {@code -Dsceau.openpgp.jdkCipher=false} turns the first two changes off (for benchmarks).
 */
public final class JdkCipherImplementation extends BcOpenPGPImplementation {
  static final String NO_INTEGRITY = "message has no integrity protection (no MDC, no AEAD)";

  private final boolean jdkCipher;

  public JdkCipherImplementation() {
    this(!"false".equals(System.getProperty("sceau.openpgp.jdkCipher")));
  }

  public JdkCipherImplementation(boolean jdkCipher) {
    this.jdkCipher = jdkCipher;
  }

  /** Thrown (wrapped in BC's exceptions) when a message lacks integrity protection. */
  public static final class IntegrityProtectionMissing extends PGPException {
    private static final long serialVersionUID = 1L;

    IntegrityProtectionMissing() {
      super(NO_INTEGRITY);
    }
  }

  static boolean jdkSupports(int alg) {
    return alg == SymmetricKeyAlgorithmTags.AES_128
        || alg == SymmetricKeyAlgorithmTags.AES_192
        || alg == SymmetricKeyAlgorithmTags.AES_256;
  }

  @Override
  public org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider
      pgpContentVerifierBuilderProvider() {
    org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider bc =
        super.pgpContentVerifierBuilderProvider();
    if (!jdkCipher) {
      return bc;
    }
    return (keyAlgorithm, hashAlgorithm) ->
        JdkDigestSignatures.supports(keyAlgorithm, hashAlgorithm)
            ? new JdkDigestSignatures.VerifierBuilder(keyAlgorithm, hashAlgorithm)
            : bc.get(keyAlgorithm, hashAlgorithm);
  }

  @Override
  public org.bouncycastle.openpgp.operator.PGPContentSignerBuilder pgpContentSignerBuilder(
      int publicKeyAlgorithm, int hashAlgorithmId) {
    if (jdkCipher && JdkDigestSignatures.supports(publicKeyAlgorithm, hashAlgorithmId)) {
      return new JdkDigestSignatures.SignerBuilder(publicKeyAlgorithm, hashAlgorithmId);
    }
    return super.pgpContentSignerBuilder(publicKeyAlgorithm, hashAlgorithmId);
  }

  @Override
  public org.bouncycastle.openpgp.operator.PGPContentSignerBuilderProvider
      pgpContentSignerBuilderProvider(int hashAlgorithmId) {
    org.bouncycastle.openpgp.operator.PGPContentSignerBuilderProvider bc =
        super.pgpContentSignerBuilderProvider(hashAlgorithmId);
    if (!jdkCipher) {
      return bc;
    }
    return new org.bouncycastle.openpgp.operator.PGPContentSignerBuilderProvider(hashAlgorithmId) {
      @Override
      public org.bouncycastle.openpgp.operator.PGPContentSignerBuilder get(
          org.bouncycastle.openpgp.PGPPublicKey publicKey) {
        return JdkDigestSignatures.supports(publicKey.getAlgorithm(), hashAlgorithmId)
            ? new JdkDigestSignatures.SignerBuilder(publicKey.getAlgorithm(), hashAlgorithmId)
            : bc.get(publicKey);
      }
    };
  }

  @Override
  public PGPDataEncryptorBuilder pgpDataEncryptorBuilder(int symmetricKeyAlgorithm) {
    PGPDataEncryptorBuilder bc = super.pgpDataEncryptorBuilder(symmetricKeyAlgorithm);
    if (!jdkCipher || !jdkSupports(symmetricKeyAlgorithm)) {
      return bc;
    }
    return new HybridEncryptorBuilder(bc, new JcePGPDataEncryptorBuilder(symmetricKeyAlgorithm));
  }

  @Override
  public PublicKeyDataDecryptorFactory publicKeyDataDecryptorFactory(PGPPrivateKey decryptionKey) {
    PublicKeyDataDecryptorFactory bc = super.publicKeyDataDecryptorFactory(decryptionKey);
    return new GuardedPublicKeyFactory(bc, jdkCipher);
  }

  @Override
  public SessionKeyDataDecryptorFactory sessionKeyDataDecryptorFactory(PGPSessionKey sessionKey) {
    SessionKeyDataDecryptorFactory bc = super.sessionKeyDataDecryptorFactory(sessionKey);
    return new GuardedSessionKeyFactory(bc, jdkCipher);
  }

  @Override
  public PBEDataDecryptorFactory pbeDataDecryptorFactory(char[] messagePassphrase)
      throws PGPException {
    PBEDataDecryptorFactory bc = super.pbeDataDecryptorFactory(messagePassphrase);
    return new GuardedPbeFactory(bc, jdkCipher);
  }

  /** SEIPDv1 through the JDK; decided per message, since AEAD is switched on after creation. */
  private static final class HybridEncryptorBuilder implements PGPDataEncryptorBuilder {
    private final PGPDataEncryptorBuilder bc;
    private final JcePGPDataEncryptorBuilder jce;
    private boolean aead;

    HybridEncryptorBuilder(PGPDataEncryptorBuilder bc, JcePGPDataEncryptorBuilder jce) {
      this.bc = bc;
      this.jce = jce;
    }

    private PGPDataEncryptorBuilder active() {
      return aead ? bc : jce;
    }

    @Override
    public int getAlgorithm() {
      return active().getAlgorithm();
    }

    @Override
    public int getAeadAlgorithm() {
      return active().getAeadAlgorithm();
    }

    @Override
    public int getChunkSize() {
      return active().getChunkSize();
    }

    @Override
    public boolean isV5StyleAEAD() {
      return active().isV5StyleAEAD();
    }

    @Override
    public PGPDataEncryptor build(byte[] keyBytes) throws PGPException {
      return active().build(keyBytes);
    }

    @Override
    public PGPDataEncryptor build(byte[] keyBytes, byte[] iv) throws PGPException {
      return active().build(keyBytes, iv);
    }

    @Override
    public SecureRandom getSecureRandom() {
      return active().getSecureRandom();
    }

    @Override
    public PGPDataEncryptorBuilder setWithIntegrityPacket(boolean withIntegrityPacket) {
      bc.setWithIntegrityPacket(withIntegrityPacket);
      jce.setWithIntegrityPacket(withIntegrityPacket);
      return this;
    }

    @Override
    public PGPDataEncryptorBuilder setWithAEAD(int aeadAlgorithm, int chunkSize) {
      aead = true;
      bc.setWithAEAD(aeadAlgorithm, chunkSize);
      return this;
    }

    @Override
    public PGPDataEncryptorBuilder setUseV5AEAD() {
      aead = true;
      bc.setUseV5AEAD();
      return this;
    }

    @Override
    public PGPDataEncryptorBuilder setUseV6AEAD() {
      aead = true;
      bc.setUseV6AEAD();
      return this;
    }
  }

  /** Shared rule: refuse SED, send SEIPDv1 AES to the JDK, keep AEAD on BC. */
  static PGPDataDecryptor v1Decryptor(
      PGPDataDecryptorFactory bc, boolean jdk, boolean withIntegrity, int alg, byte[] key)
      throws PGPException {
    if (!withIntegrity) {
      throw new IntegrityProtectionMissing();
    }
    if (jdk && jdkSupports(alg)) {
      return CfbDataDecryptor.create(alg, key);
    }
    return bc.createDataDecryptor(true, alg, key);
  }

  private static final class GuardedPublicKeyFactory implements PublicKeyDataDecryptorFactory {
    private final PublicKeyDataDecryptorFactory bc;
    private final boolean jdk;

    GuardedPublicKeyFactory(PublicKeyDataDecryptorFactory bc, boolean jdk) {
      this.bc = bc;
      this.jdk = jdk;
    }

    @Override
    public byte[] recoverSessionData(PublicKeyEncSessionPacket pkesk, InputStreamPacket encData)
        throws PGPException {
      return bc.recoverSessionData(pkesk, encData);
    }

    @Override
    public byte[] recoverSessionData(int keyAlgorithm, byte[][] secKeyData) throws PGPException {
      return bc.recoverSessionData(keyAlgorithm, secKeyData);
    }

    @Override
    public byte[] recoverSessionData(int keyAlgorithm, byte[][] secKeyData, int pkeskVersion)
        throws PGPException {
      return bc.recoverSessionData(keyAlgorithm, secKeyData, pkeskVersion);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(boolean withIntegrity, int alg, byte[] key)
        throws PGPException {
      return v1Decryptor(bc, jdk, withIntegrity, alg, key);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(AEADEncDataPacket p, PGPSessionKey k)
        throws PGPException {
      return bc.createDataDecryptor(p, k);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(SymmetricEncIntegrityPacket p, PGPSessionKey k)
        throws PGPException {
      return bc.createDataDecryptor(p, k);
    }
  }

  private static final class GuardedSessionKeyFactory implements SessionKeyDataDecryptorFactory {
    private final SessionKeyDataDecryptorFactory bc;
    private final boolean jdk;

    GuardedSessionKeyFactory(SessionKeyDataDecryptorFactory bc, boolean jdk) {
      this.bc = bc;
      this.jdk = jdk;
    }

    @Override
    public PGPSessionKey getSessionKey() {
      return bc.getSessionKey();
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(boolean withIntegrity, int alg, byte[] key)
        throws PGPException {
      return v1Decryptor(bc, jdk, withIntegrity, alg, key);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(AEADEncDataPacket p, PGPSessionKey k)
        throws PGPException {
      return bc.createDataDecryptor(p, k);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(SymmetricEncIntegrityPacket p, PGPSessionKey k)
        throws PGPException {
      return bc.createDataDecryptor(p, k);
    }
  }

  private static final class GuardedPbeFactory extends PBEDataDecryptorFactory {
    private final PBEDataDecryptorFactory bc;
    private final boolean jdk;

    GuardedPbeFactory(PBEDataDecryptorFactory bc, boolean jdk) {
      super(new char[0], new org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider());
      this.bc = bc;
      this.jdk = jdk;
    }

    @Override
    public byte[] makeKeyFromPassPhrase(int keyAlgorithm, org.bouncycastle.bcpg.S2K s2k)
        throws PGPException {
      return bc.makeKeyFromPassPhrase(keyAlgorithm, s2k);
    }

    @Override
    public byte[] recoverSessionData(int keyAlgorithm, byte[] key, byte[] seckKeyData)
        throws PGPException {
      return bc.recoverSessionData(keyAlgorithm, key, seckKeyData);
    }

    @Override
    public byte[] recoverAEADEncryptedSessionData(
        org.bouncycastle.bcpg.SymmetricKeyEncSessionPacket keyData, byte[] ikm)
        throws PGPException {
      return bc.recoverAEADEncryptedSessionData(keyData, ikm);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(boolean withIntegrity, int alg, byte[] key)
        throws PGPException {
      return v1Decryptor(bc, jdk, withIntegrity, alg, key);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(AEADEncDataPacket p, PGPSessionKey k)
        throws PGPException {
      return bc.createDataDecryptor(p, k);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(SymmetricEncIntegrityPacket p, PGPSessionKey k)
        throws PGPException {
      return bc.createDataDecryptor(p, k);
    }
  }
}
