package org.sceau.openpgp.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.CertificateStatus;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.OpenPgpException;

/** {@link Certificate} over BC's {@link OpenPGPCertificate}. */
public final class BcCertificate implements Certificate {
  private final OpenPGPCertificate cert;

  public BcCertificate(OpenPGPCertificate cert) {
    this.cert = cert;
  }

  public OpenPGPCertificate bc() {
    return cert;
  }

  public static OpenPGPCertificate unwrap(Certificate c) {
    if (c instanceof BcCertificate b) {
      return b.cert;
    }
    throw new IllegalArgumentException("foreign Certificate implementation");
  }

  @Override
  public String fingerprint() {
    return Bc.hex(cert.getFingerprint());
  }

  @Override
  public List<String> userIds() {
    List<String> ids = new ArrayList<>();
    for (OpenPGPCertificate.OpenPGPUserId u : cert.getValidUserIds()) {
      ids.add(u.getUserId());
    }
    return ids;
  }

  @Override
  public int version() {
    return cert.getPrimaryKey().getVersion();
  }

  @Override
  public CertificateStatus status() {
    return statusAt(new Date());
  }

  /**
   * RFC 9580 validity at {@code when}, with the first reason that makes the certificate unusable.
   */
  public CertificateStatus statusAt(Date when) {
    Date exp = cert.getExpirationTime(when);
    Optional<Instant> expires = Optional.ofNullable(exp).map(Date::toInstant);
    String problem = null;
    if (cert.getPrimaryKey().getRevocation(when) != null) {
      problem = "revoked";
    } else if (exp != null && !exp.after(when)) {
      problem = "expired on " + exp.toInstant();
    } else if (weakAlgorithm(cert.getPrimaryKey().getPGPPublicKey()) != null) {
      problem = "weak algorithm: " + weakAlgorithm(cert.getPrimaryKey().getPGPPublicKey());
    } else if (!cert.getPrimaryKey().isBoundAt(when)) {
      problem = "no valid self-signature (bad binding)";
    }
    boolean enc = false;
    boolean sign = false;
    if (problem == null) {
      enc = !cert.getEncryptionKeys(when).isEmpty();
      sign = !cert.getSigningKeys(when).isEmpty();
      if (!enc && !sign) {
        problem = "no valid encryption or signing subkey";
      }
    }
    return new CertificateStatus(enc, sign, expires, Optional.ofNullable(problem));
  }

  /** Algorithms RFC 9580 and current practice refuse for new messages. */
  static String weakAlgorithm(PGPPublicKey k) {
    int a = k.getAlgorithm();
    int bits = k.getBitStrength();
    switch (a) {
      case PublicKeyAlgorithmTags.RSA_GENERAL:
      case PublicKeyAlgorithmTags.RSA_SIGN:
      case PublicKeyAlgorithmTags.RSA_ENCRYPT:
        return bits < 2048 ? "RSA-" + bits : null;
      case PublicKeyAlgorithmTags.DSA:
        return bits < 2048 ? "DSA-" + bits : null;
      case PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT:
      case PublicKeyAlgorithmTags.ELGAMAL_GENERAL:
        return bits < 2048 ? "ElGamal-" + bits : null;
      default:
        return null;
    }
  }

  @Override
  public byte[] encoded(Encoding encoding) throws OpenPgpException {
    return Bc.encode(cert, encoding);
  }

  @Override
  public String toString() {
    return "Certificate[" + fingerprint() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BcCertificate b && fingerprint().equals(b.fingerprint());
  }

  @Override
  public int hashCode() {
    return fingerprint().hashCode();
  }
}
