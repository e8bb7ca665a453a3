package org.sceau.openpgp;

import java.time.Instant;
import java.util.Optional;

/**
 * Validity of a certificate now, per RFC 9580: usable for encryption / signing, or the reason it is
 * not (expired, revoked, no valid binding, weak algorithm).
 */
public record CertificateStatus(
    boolean canEncrypt, boolean canSign, Optional<Instant> expires, Optional<String> problem) {

  public boolean isUsable() {
    return problem.isEmpty() && (canEncrypt || canSign);
  }
}
