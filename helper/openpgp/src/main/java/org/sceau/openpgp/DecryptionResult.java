package org.sceau.openpgp;

import java.util.List;

/**
 * What decryption found. {@code mechanism} names the encryption container (e.g. "SEIPDv1 AES-256",
 * "SEIPDv2 AES-256/OCB", or "none" for a signed-only message).
 */
public record DecryptionResult(
    boolean encrypted, String mechanism, List<SignatureVerdict> signatures) {

  public DecryptionResult {
    signatures = List.copyOf(signatures);
  }

  /**
   * The message's overall verdict: GOOD if any signature is good, NOT_SIGNED without signatures,
   * else the first signature's status.
   */
  public SignatureStatus signatureStatus() {
    if (signatures.isEmpty()) {
      return SignatureStatus.NOT_SIGNED;
    }
    for (SignatureVerdict v : signatures) {
      if (v.isGood()) {
        return SignatureStatus.GOOD;
      }
    }
    return signatures.get(0).status();
  }
}
