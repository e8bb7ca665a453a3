package org.sceau.openpgp.keys;

/**
 * Why a key is revoked (RFC 9580 §5.2.3.31). {@link #COMPROMISED} is a hard revocation: every
 * signature the key ever made becomes invalid. The others are soft: signatures made before the
 * revocation stay valid.
 */
public enum RevocationReason {
  /** Reason 0; RFC 9580 treats it as hard, like {@link #COMPROMISED}. */
  UNSPECIFIED(0),
  /** Reason 1: replaced by a new key. */
  SUPERSEDED(1),
  /** Reason 2: the secret key may be known to someone else. */
  COMPROMISED(2),
  /** Reason 3: no longer used. */
  RETIRED(3);

  private final int code;

  RevocationReason(int code) {
    this.code = code;
  }

  /** The reason code written in the signature. */
  public int code() {
    return code;
  }
}
