package org.sceau.openpgp.internal;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.NullDigest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.operator.PGPContentSigner;
import org.bouncycastle.openpgp.operator.PGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.PGPContentVerifier;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyConverter;

/**
 * Signatures whose data hash runs on the JDK's SHA-2 (intrinsics: about 3x BC's SHA-512 here, which
 * profiling showed as two thirds of decrypt+verify time) while the public-key step stays on BC's
 * lightweight Ed25519 and RSA. OpenPGP EdDSA (legacy and RFC 9580 Ed25519) and RSA PKCS#1 v1.5 both
 * sign the hash digest, so splitting hash and signature is exactly what BC's own signers do inside.
 * Other algorithms and hashes stay on BC.
 */
final class JdkDigestSignatures {
  private JdkDigestSignatures() {}

  static String jdkHash(int hashAlgorithm) {
    return switch (hashAlgorithm) {
      case HashAlgorithmTags.SHA256 -> "SHA-256";
      case HashAlgorithmTags.SHA384 -> "SHA-384";
      case HashAlgorithmTags.SHA512 -> "SHA-512";
      case HashAlgorithmTags.SHA224 -> "SHA-224";
      default -> null;
    };
  }

  static ASN1ObjectIdentifier oid(int hashAlgorithm) {
    return switch (hashAlgorithm) {
      case HashAlgorithmTags.SHA256 -> NISTObjectIdentifiers.id_sha256;
      case HashAlgorithmTags.SHA384 -> NISTObjectIdentifiers.id_sha384;
      case HashAlgorithmTags.SHA512 -> NISTObjectIdentifiers.id_sha512;
      case HashAlgorithmTags.SHA224 -> NISTObjectIdentifiers.id_sha224;
      default -> throw new IllegalArgumentException("hash " + hashAlgorithm);
    };
  }

  @SuppressWarnings("deprecation")
  static boolean supports(int keyAlgorithm, int hashAlgorithm) {
    boolean key =
        keyAlgorithm == PublicKeyAlgorithmTags.EDDSA_LEGACY
            || keyAlgorithm == PublicKeyAlgorithmTags.Ed25519
            || keyAlgorithm == PublicKeyAlgorithmTags.RSA_GENERAL
            || keyAlgorithm == PublicKeyAlgorithmTags.RSA_SIGN;
    return key && jdkHash(hashAlgorithm) != null;
  }

  static boolean isEd25519(int keyAlgorithm, AsymmetricKeyParameter k) {
    return k instanceof org.bouncycastle.crypto.params.Ed25519PublicKeyParameters
        || k instanceof org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
  }

  /** BC signer over an already computed digest. */
  static Signer rawSigner(int keyAlgorithm, int hashAlgorithm, AsymmetricKeyParameter k)
      throws PGPException {
    if (isEd25519(keyAlgorithm, k)) {
      return new Ed25519Signer();
    }
    if (k instanceof org.bouncycastle.crypto.params.RSAKeyParameters) {
      return new RSADigestSigner(new NullDigest(), oid(hashAlgorithm));
    }
    throw new PGPException("unsupported key for JDK-digest signatures");
  }

  static MessageDigest digest(int hashAlgorithm) throws PGPException {
    try {
      return MessageDigest.getInstance(jdkHash(hashAlgorithm));
    } catch (NoSuchAlgorithmException e) {
      throw new PGPException("no JDK digest", e);
    }
  }

  static final class VerifierBuilder implements PGPContentVerifierBuilder {
    private final int keyAlgorithm;
    private final int hashAlgorithm;

    VerifierBuilder(int keyAlgorithm, int hashAlgorithm) {
      this.keyAlgorithm = keyAlgorithm;
      this.hashAlgorithm = hashAlgorithm;
    }

    @Override
    public PGPContentVerifier build(PGPPublicKey publicKey) throws PGPException {
      AsymmetricKeyParameter k = new BcPGPKeyConverter().getPublicKey(publicKey);
      Signer s = rawSigner(keyAlgorithm, hashAlgorithm, k);
      s.init(false, k);
      // Large signed data is hashed on a second thread, overlapping decryption (AsyncDigestOut).
      AsyncDigestOut out = new AsyncDigestOut(digest(hashAlgorithm));
      return new PGPContentVerifier() {
        @Override
        public OutputStream getOutputStream() {
          return out;
        }

        @Override
        public int getHashAlgorithm() {
          return hashAlgorithm;
        }

        @Override
        public int getKeyAlgorithm() {
          return keyAlgorithm;
        }

        @Override
        public long getKeyID() {
          return publicKey.getKeyID();
        }

        @Override
        public boolean verify(byte[] expected) {
          byte[] h = out.digest();
          s.update(h, 0, h.length);
          return s.verifySignature(expected);
        }
      };
    }
  }

  static final class SignerBuilder implements PGPContentSignerBuilder {
    private final int keyAlgorithm;
    private final int hashAlgorithm;

    SignerBuilder(int keyAlgorithm, int hashAlgorithm) {
      this.keyAlgorithm = keyAlgorithm;
      this.hashAlgorithm = hashAlgorithm;
    }

    @Override
    public PGPContentSigner build(int signatureType, PGPPrivateKey privateKey) throws PGPException {
      AsymmetricKeyParameter k = new BcPGPKeyConverter().getPrivateKey(privateKey);
      Signer s = rawSigner(keyAlgorithm, hashAlgorithm, k);
      s.init(true, k);
      MessageDigest md = digest(hashAlgorithm);
      OutputStream out = new DigestOut(md);
      return new PGPContentSigner() {
        private byte[] hash;

        private byte[] hash() {
          if (hash == null) {
            hash = md.digest();
          }
          return hash;
        }

        @Override
        public OutputStream getOutputStream() {
          return out;
        }

        @Override
        public byte[] getSignature() {
          byte[] h = hash();
          s.update(h, 0, h.length);
          try {
            return s.generateSignature();
          } catch (CryptoException e) {
            throw new IllegalStateException("signing failed", e);
          }
        }

        @Override
        public byte[] getDigest() {
          return hash().clone();
        }

        @Override
        public int getType() {
          return signatureType;
        }

        @Override
        public int getHashAlgorithm() {
          return hashAlgorithm;
        }

        @Override
        public int getKeyAlgorithm() {
          return keyAlgorithm;
        }

        @Override
        public long getKeyID() {
          return privateKey.getKeyID();
        }
      };
    }
  }

  /** Bulk writes straight into the digest (no per-byte path). */
  static final class DigestOut extends OutputStream {
    private final MessageDigest md;

    DigestOut(MessageDigest md) {
      this.md = md;
    }

    @Override
    public void write(int b) {
      md.update((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      md.update(b, off, len);
    }
  }
}
