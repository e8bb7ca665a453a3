package org.sceau.openpgp.internal;

import java.io.IOException;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.AEADAlgorithmTags;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.S2K;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.api.KeyPairGeneratorCallback;
import org.bouncycastle.openpgp.api.OpenPGPImplementation;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPKeyGenerator;
import org.bouncycastle.openpgp.api.SignatureParameters;
import org.bouncycastle.openpgp.api.SignatureSubpacketsFunction;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcAEADSecretKeyEncryptorBuilder;
import org.sceau.openpgp.KeyProfile;
import org.sceau.openpgp.KeySpec;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;

/** Key generation and editing with every interop trap of the probe handled. */
public final class KeyFactory {
  private KeyFactory() {}

  static final int[] SYMMETRIC_PREFS = {
    SymmetricKeyAlgorithmTags.AES_256,
    SymmetricKeyAlgorithmTags.AES_192,
    SymmetricKeyAlgorithmTags.AES_128
  };
  // No SHA3 (interop trap 2): GnuPG 2.2 and Sequoia 1.x cannot verify it.
  static final int[] HASH_PREFS = {
    HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256
  };
  static final int[] COMPRESSION_PREFS = {
    CompressionAlgorithmTags.UNCOMPRESSED,
    CompressionAlgorithmTags.ZLIB,
    CompressionAlgorithmTags.ZIP
  };

  /**
   * v6 secret-key protection: AEAD(OCB) + Argon2 with 64 MiB instead of BC's default 2 GiB (interop
   * trap 5: 8 s and 4 GB per unlock with the default).
   */
  static final S2K.Argon2Params ARGON2 = S2K.Argon2Params.memoryConstrainedParameters();

  static PBESecretKeyEncryptorFactory protection(OpenPGPImplementation impl, int version)
      throws PGPException {
    if (version == 6) {
      return (pass, pub) ->
          pass == null
              ? null
              : new BcAEADSecretKeyEncryptorBuilder(
                      AEADAlgorithmTags.OCB, SymmetricKeyAlgorithmTags.AES_256, ARGON2)
                  .build(pass, pub);
    }
    // v4: CFB + iterated/salted S2K, what GnuPG 2.2 and sqop read (interop trap 7).
    return impl.pbeSecretKeyEncryptorFactory(false, SymmetricKeyAlgorithmTags.AES_256, 0xE0);
  }

  /** Preferences, features and expiry; on the direct-key AND the user-ID signature (trap 3). */
  static PGPSignatureSubpacketGenerator preferences(
      PGPSignatureSubpacketGenerator sp, int version, Long expirySeconds) {
    sp.removePacketsOfType(SignatureSubpacketTags.PREFERRED_SYM_ALGS);
    sp.removePacketsOfType(SignatureSubpacketTags.PREFERRED_HASH_ALGS);
    sp.removePacketsOfType(SignatureSubpacketTags.PREFERRED_COMP_ALGS);
    sp.removePacketsOfType(SignatureSubpacketTags.FEATURES);
    sp.setPreferredSymmetricAlgorithms(false, SYMMETRIC_PREFS);
    sp.setPreferredHashAlgorithms(false, HASH_PREFS);
    sp.setPreferredCompressionAlgorithms(false, COMPRESSION_PREFS);
    if (version == 6) {
      sp.setFeature(
          false, (byte) (Features.FEATURE_MODIFICATION_DETECTION | Features.FEATURE_SEIPD_V2));
    } else {
      // v4 peers (GnuPG 2.2, sqop 0.27) cannot read SEIPDv2: advertise MDC only (trap 6).
      sp.removePacketsOfType(SignatureSubpacketTags.PREFERRED_AEAD_ALGORITHMS);
      sp.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
    }
    if (expirySeconds != null) {
      sp.removePacketsOfType(SignatureSubpacketTags.KEY_EXPIRE_TIME);
      sp.setKeyExpirationTime(true, expirySeconds);
    }
    return sp;
  }

  public static org.sceau.openpgp.GeneratedKey generate(KeySpec spec) throws OpenPgpException {
    return generate(spec, true);
  }

  /**
   * {@code withRevocation} false skips the revocation certificate (SOP's generate-key has no place
   * for it, and unlocking the new key again costs another S2K/Argon2 derivation).
   */
  public static org.sceau.openpgp.GeneratedKey generate(KeySpec spec, boolean withRevocation)
      throws OpenPgpException {
    if (spec.userIds().isEmpty() && !spec.signingOnly()) {
      // A key without user ID is legal (SOP allows it) but GnuPG 2.2 refuses to import it.
    }
    int version = spec.profile() == KeyProfile.CURVE25519_V6 ? 6 : 4;
    Date now = new Date((System.currentTimeMillis() / 1000) * 1000);
    Long expiry = spec.validity() == null ? null : spec.validity().getSeconds();
    try {
      OpenPGPImplementation impl = Bc.impl();
      OpenPGPKeyGenerator gen =
          new OpenPGPKeyGenerator(
              impl,
              version,
              impl.pgpKeyPairGeneratorProvider(),
              impl.pgpDigestCalculatorProvider(),
              protection(impl, version),
              impl.keyFingerPrintCalculator(),
              now);
      gen.setDefaultHashAlgorithmPreferences(sp -> preferences(sp, version, null));
      gen.setDefaultSymmetricKeyPreferences(sp -> preferences(sp, version, null));
      gen.setDefaultCompressionAlgorithmPreferences(sp -> preferences(sp, version, null));
      gen.setDefaultFeatures(sp -> preferences(sp, version, null));
      if (version == 4) {
        gen.setDefaultAeadAlgorithmPreferences(
            sp -> {
              sp.removePacketsOfType(SignatureSubpacketTags.PREFERRED_AEAD_ALGORITHMS);
              return sp;
            });
      }
      KeyPairGeneratorCallback primary;
      KeyPairGeneratorCallback signing;
      KeyPairGeneratorCallback encryption;
      switch (spec.profile()) {
        case CURVE25519 -> {
          primary = g -> g.generateLegacyEd25519KeyPair();
          signing = g -> g.generateLegacyEd25519KeyPair();
          encryption = g -> g.generateLegacyX25519KeyPair();
        }
        case RSA_3072 -> {
          primary = g -> g.generateRsaKeyPair(3072);
          signing = primary;
          encryption = primary;
        }
        case RSA_4096 -> {
          primary = g -> g.generateRsaKeyPair(4096);
          signing = primary;
          encryption = primary;
        }
        case CURVE25519_V6 -> {
          primary = g -> g.generateEd25519KeyPair();
          signing = g -> g.generateEd25519KeyPair();
          encryption = g -> g.generateX25519KeyPair();
        }
        default -> throw new IllegalStateException();
      }
      boolean rsa = spec.profile() == KeyProfile.RSA_3072 || spec.profile() == KeyProfile.RSA_4096;
      SignatureSubpacketsFunction prefsWithExpiry =
          sp -> {
            preferences(sp, version, expiry);
            if (rsa) {
              primarySignFlags(sp);
            }
            return sp;
          };
      SignatureParameters.Callback directKey = cb(prefsWithExpiry);
      OpenPGPKeyGenerator.WithPrimaryKey b = gen.withPrimaryKey(primary, directKey);
      for (int i = 0; i < spec.userIds().size(); i++) {
        boolean first = i == 0;
        b.addUserId(
            spec.userIds().get(i),
            cb(
                sp -> {
                  preferences(sp, version, expiry);
                  if (rsa) {
                    primarySignFlags(sp);
                  }
                  if (first) {
                    sp.removePacketsOfType(SignatureSubpacketTags.PRIMARY_USER_ID);
                    sp.setPrimaryUserID(false, true);
                  }
                  return sp;
                }));
      }
      if (!rsa) {
        b.addSigningSubkey(signing, null, null);
      }
      if (!spec.signingOnly()) {
        b.addEncryptionSubkey(encryption);
      }
      // build(char[]) zero-fills the array it is given (interop trap 1): chars() is a copy.
      OpenPGPKey key = spec.passphrase().isEmpty() ? b.build() : b.build(spec.passphrase().chars());
      byte[] revocation =
          withRevocation ? revocationCertificate(key, spec.passphrase()) : new byte[0];
      return new org.sceau.openpgp.GeneratedKey(new BcSecretKey(key), revocation);
    } catch (PGPException | RuntimeException e) {
      throw new OpenPgpException(
          OpenPgpError.UNSUPPORTED_ALGORITHM, "key generation failed: " + e.getMessage(), e);
    }
  }

  /** The RSA primary key certifies and signs (GnuPG's layout: one key fewer to generate). */
  static void primarySignFlags(PGPSignatureSubpacketGenerator sp) {
    sp.removePacketsOfType(SignatureSubpacketTags.KEY_FLAGS);
    sp.setKeyFlags(
        true,
        org.bouncycastle.bcpg.sig.KeyFlags.CERTIFY_OTHER
            | org.bouncycastle.bcpg.sig.KeyFlags.SIGN_DATA);
  }

  static SignatureParameters.Callback cb(SignatureSubpacketsFunction f) {
    return new SignatureParameters.Callback() {
      @Override
      public SignatureParameters apply(SignatureParameters p) {
        return p.setHashedSubpacketsFunction(f);
      }
    };
  }

  /** A key revocation signature ("key compromised or lost"), armored, made on a copy of the key. */
  static byte[] revocationCertificate(OpenPGPKey key, Passphrase pass) throws OpenPgpException {
    try {
      OpenPGPKey copy = Bc.api().readKeyOrCertificate().parseKey(key.getEncoded());
      OpenPGPKey revoked =
          Bc.api().editKey(copy, pass.isEmpty() ? null : pass.chars()).revokeKey().done();
      PGPPublicKey pk = revoked.getPGPSecretKeyRing().getPublicKey();
      java.util.Iterator<PGPSignature> it = pk.getSignaturesOfType(PGPSignature.KEY_REVOCATION);
      if (!it.hasNext()) {
        throw new OpenPgpException(OpenPgpError.IO_ERROR, "no revocation signature was made");
      }
      PGPSignature sig = it.next();
      // GnuPG imports a revocation only from a PUBLIC KEY BLOCK armor (BC would write SIGNATURE).
      return armorAs("PGP PUBLIC KEY BLOCK", sig.getEncoded());
    } catch (IOException | PGPException e) {
      throw new OpenPgpException(OpenPgpError.IO_ERROR, "cannot make revocation certificate", e);
    }
  }

  /** RFC 9580 section 6 armor with an explicit block type and the CRC24 line. */
  static byte[] armorAs(String type, byte[] data) {
    StringBuilder sb = new StringBuilder();
    sb.append("-----BEGIN ").append(type).append("-----\n\n");
    String b64 = org.bouncycastle.util.encoders.Base64.toBase64String(data);
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    org.bouncycastle.bcpg.CRC24 crc = new org.bouncycastle.bcpg.CRC24();
    for (byte x : data) {
      crc.update(x & 0xff);
    }
    int v = crc.getValue();
    byte[] c = {(byte) (v >> 16), (byte) (v >> 8), (byte) v};
    sb.append('=').append(org.bouncycastle.util.encoders.Base64.toBase64String(c)).append('\n');
    sb.append("-----END ").append(type).append("-----\n");
    return sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Revokes the whole key (SOP revoke-key); returns the key with the revocation. */
  public static OpenPGPKey revoke(OpenPGPKey key, List<char[]> passphrases)
      throws OpenPgpException {
    try {
      org.bouncycastle.openpgp.api.KeyPassphraseProvider.DefaultKeyPassphraseProvider p =
          new org.bouncycastle.openpgp.api.KeyPassphraseProvider.DefaultKeyPassphraseProvider();
      for (char[] c : passphrases) {
        p.addPassphrase(c.clone());
      }
      OpenPGPKey copy = Bc.api().readKeyOrCertificate().parseKey(key.getEncoded());
      return Bc.api().editKey(copy, p).revokeKey().done();
    } catch (IOException | PGPException e) {
      throw Bc.classify(e, OpenPgpError.KEY_IS_PROTECTED, "cannot revoke the key");
    }
  }

  /**
   * Re-protects every secret (sub)key with {@code newPass} (none = unprotected). v4 keys keep the
   * classic protection (trap 7), v6 keys get AEAD/Argon2.
   */
  public static OpenPGPKey changePassphrase(OpenPGPKey key, List<char[]> oldPasses, char[] newPass)
      throws OpenPgpException {
    try {
      OpenPGPKey copy = Bc.api().readKeyOrCertificate().parseKey(key.getEncoded());
      boolean v6 = copy.getPrimaryKey().getVersion() == 6;
      org.bouncycastle.openpgp.api.KeyPassphraseProvider.DefaultKeyPassphraseProvider pp =
          new org.bouncycastle.openpgp.api.KeyPassphraseProvider.DefaultKeyPassphraseProvider();
      for (char[] c : oldPasses) {
        pp.addPassphrase(c.clone());
      }
      org.bouncycastle.openpgp.api.OpenPGPKeyEditor ed = Bc.api().editKey(copy, pp);
      for (OpenPGPKey.OpenPGPSecretKey s : copy.getSecretKeys().values()) {
        char[] old = null;
        if (s.isLocked()) {
          for (char[] c : oldPasses) {
            if (s.isPassphraseCorrect(c.clone())) {
              old = c.clone();
              break;
            }
          }
          if (old == null) {
            throw new OpenPgpException(
                OpenPgpError.KEY_IS_PROTECTED, "no given passphrase unlocks the key");
          }
        }
        ed.changePassphrase(
            s.getKeyIdentifier(), old, newPass == null ? null : newPass.clone(), v6);
      }
      return ed.done();
    } catch (IOException | PGPException e) {
      throw Bc.classify(e, OpenPgpError.KEY_IS_PROTECTED, "cannot change the key's passphrase");
    }
  }
}
