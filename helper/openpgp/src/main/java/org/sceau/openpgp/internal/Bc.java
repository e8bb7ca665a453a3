package org.sceau.openpgp.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PacketFormat;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPApi;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPImplementation;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.SignatureParameters;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;

/** The one Bouncy Castle API instance and the small helpers every operation shares. */
public final class Bc {
  /**
   * BC's default policy, plus DSA and ElGamal of at least 2048 bits (old GnuPG keys, still common)
   * and SHA-1 in key self-signatures made before 2023-02-01 (as Sequoia allows); SHA-1 data
   * signatures stay refused.
   */
  private static final org.bouncycastle.openpgp.api.OpenPGPPolicy POLICY =
      new org.bouncycastle.openpgp.api.OpenPGPDefaultPolicy()
          .acceptPublicKeyAlgorithmWithMinimalStrength(
              org.bouncycastle.bcpg.PublicKeyAlgorithmTags.DSA, 2048)
          .acceptPublicKeyAlgorithmWithMinimalStrength(
              org.bouncycastle.bcpg.PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT, 2048)
          .acceptPublicKeyAlgorithmWithMinimalStrength(
              org.bouncycastle.bcpg.PublicKeyAlgorithmTags.ELGAMAL_GENERAL, 2048)
          .acceptCertificationSignatureHashAlgorithmUntil(
              HashAlgorithmTags.SHA1, new java.util.Date(1675209600000L));

  private static final OpenPGPImplementation IMPL = new JdkCipherImplementation().setPolicy(POLICY);
  private static final OpenPGPApi API = new BcOpenPGPApi(IMPL, POLICY);

  /** Inputs larger than this are refused where a whole key or signature is read into memory. */
  public static final int MAX_KEY_BYTES = 16 * 1024 * 1024;

  private Bc() {}

  /** The policy every check uses (BC's no-argument checks fall back to its global default). */
  public static org.bouncycastle.openpgp.api.OpenPGPPolicy policy() {
    return POLICY;
  }

  public static OpenPGPApi api() {
    return API;
  }

  public static OpenPGPImplementation impl() {
    return IMPL;
  }

  /**
   * Data signatures use SHA-512 (interop trap 2): BC would otherwise take the first hash in the
   * signer's own preferences, SHA3-512 for BC-made keys, which GnuPG 2.2 rejects and sqop 0.27 dies
   * on.
   */
  public static final SignatureParameters.Callback SHA512 =
      new SignatureParameters.Callback() {
        @Override
        public SignatureParameters apply(SignatureParameters p) {
          return p.setSignatureHashAlgorithm(HashAlgorithmTags.SHA512);
        }
      };

  /** Armor with the CRC24 line, no Version/Comment headers (interop trap 4). */
  public static ArmoredOutputStream armor(OutputStream out) {
    return ArmoredOutputStream.builder().clearHeaders().enableCRC(true).build(out);
  }

  public static ArmoredOutputStream.Builder armorBuilder() {
    return ArmoredOutputStream.builder().clearHeaders().enableCRC(true);
  }

  public static byte[] encode(OpenPGPCertificate c, Encoding e) throws OpenPgpException {
    try {
      if (e == Encoding.BINARY) {
        return c.getEncoded(PacketFormat.CURRENT);
      }
      return c.toAsciiArmoredString(PacketFormat.ROUNDTRIP, armorBuilder())
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new OpenPgpException(OpenPgpError.IO_ERROR, "cannot encode key", ex);
    }
  }

  /** Reads at most {@link #MAX_KEY_BYTES}; longer input is refused before it is buffered. */
  public static byte[] readBounded(InputStream in) throws OpenPgpException {
    try {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] b = new byte[8192];
      int n;
      long total = 0;
      while ((n = in.read(b)) > 0) {
        total += n;
        if (total > MAX_KEY_BYTES) {
          throw new OpenPgpException(
              OpenPgpError.MALFORMED_KEY, "key data larger than " + MAX_KEY_BYTES + " bytes");
        }
        buf.write(b, 0, n);
      }
      return buf.toByteArray();
    } catch (IOException ex) {
      throw new OpenPgpException(OpenPgpError.IO_ERROR, "cannot read key data", ex);
    }
  }

  public static List<OpenPGPCertificate> parseCertificates(byte[] data) throws OpenPgpException {
    try {
      List<OpenPGPCertificate> l = API.readKeyOrCertificate().parseKeysOrCertificates(data);
      if (l.isEmpty()) {
        throw new OpenPgpException(OpenPgpError.MALFORMED_KEY, "no certificate found in the data");
      }
      return l;
    } catch (IOException | RuntimeException ex) {
      throw new OpenPgpException(OpenPgpError.MALFORMED_KEY, "cannot read certificate", ex);
    }
  }

  public static List<OpenPGPKey> parseKeys(byte[] data) throws OpenPgpException {
    try {
      List<OpenPGPCertificate> all = API.readKeyOrCertificate().parseKeysOrCertificates(data);
      List<OpenPGPKey> keys = new java.util.ArrayList<>();
      for (OpenPGPCertificate c : all) {
        if (!(c instanceof OpenPGPKey k)) {
          throw new OpenPgpException(
              OpenPgpError.MALFORMED_KEY, "expected a secret key, found a public certificate");
        }
        keys.add(k);
      }
      if (keys.isEmpty()) {
        throw new OpenPgpException(OpenPgpError.MALFORMED_KEY, "no secret key found in the data");
      }
      return keys;
    } catch (IOException | RuntimeException ex) {
      throw new OpenPgpException(OpenPgpError.MALFORMED_KEY, "cannot read secret key", ex);
    }
  }

  public static String hex(byte[] b) {
    return org.bouncycastle.util.encoders.Hex.toHexString(b).toUpperCase(java.util.Locale.ROOT);
  }

  /** Maps a BC failure during message processing to a stable code. */
  public static OpenPgpException classify(Exception ex, OpenPgpError fallback, String what) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof OpenPgpException o) {
        return o;
      }
      if (t instanceof JdkCipherImplementation.IntegrityProtectionMissing) {
        return new OpenPgpException(
            OpenPgpError.INTEGRITY_PROTECTION_MISSING,
            "refused: the message has no integrity protection (no MDC, no AEAD); it may have been"
                + " tampered with",
            ex);
      }
      String m = String.valueOf(t.getMessage());
      if (m.contains("modification detected") || m.contains("MDC") && m.contains("fail")) {
        return new OpenPgpException(
            OpenPgpError.MALFORMED_MESSAGE,
            "the message was changed after it was encrypted (integrity check failed)",
            ex);
      }
      if (m.contains("integrity") && !m.contains("no integrity")) {
        return new OpenPgpException(
            OpenPgpError.MALFORMED_MESSAGE,
            "the message was changed after it was encrypted (integrity check failed)",
            ex);
      }
      if (t instanceof org.bouncycastle.openpgp.api.exception.KeyPassphraseException
          || m.contains("checksum mismatch")
          || m.contains("Exception decrypting key")
          || m.contains("passphrase")) {
        return new OpenPgpException(
            OpenPgpError.WRONG_PASSPHRASE, "the passphrase does not unlock the key", ex);
      }
    }
    if (ex instanceof PGPException || ex instanceof IOException || ex instanceof RuntimeException) {
      return new OpenPgpException(fallback, what, ex);
    }
    return new OpenPgpException(fallback, what, ex);
  }
}
