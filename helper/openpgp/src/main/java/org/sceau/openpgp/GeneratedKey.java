package org.sceau.openpgp;

/**
 * A freshly generated key and the revocation certificate made with it, to be kept apart (printed,
 * exported) so the key can be revoked even if it, or its passphrase, is lost.
 */
public record GeneratedKey(SecretKey key, byte[] revocationCertificate) {
  public GeneratedKey {
    revocationCertificate = revocationCertificate.clone();
  }

  @Override
  public byte[] revocationCertificate() {
    return revocationCertificate.clone();
  }
}
