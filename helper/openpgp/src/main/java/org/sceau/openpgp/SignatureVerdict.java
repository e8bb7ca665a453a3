package org.sceau.openpgp;

import java.time.Instant;
import java.util.Optional;

/**
 * One signature's verdict. {@code certificateFingerprint} is the primary key of the signer's
 * certificate when it is known; {@code keyId} names the (sub)key that signed, as hex.
 */
public record SignatureVerdict(
    SignatureStatus status,
    Optional<String> certificateFingerprint,
    String keyId,
    Optional<Instant> created,
    String detail) {

  public boolean isGood() {
    return status == SignatureStatus.GOOD;
  }
}
