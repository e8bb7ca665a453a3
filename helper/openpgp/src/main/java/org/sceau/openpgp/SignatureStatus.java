package org.sceau.openpgp;

/** Verdict on one signature, or on a whole message. */
public enum SignatureStatus {
  /** Made by a known, valid key over exactly this data. */
  GOOD,
  /** The signature does not match the data (tampered), or is malformed. */
  BAD,
  /** The issuer is not among the certificates given for verification. */
  UNKNOWN_KEY,
  /** The issuing key had expired when the signature was made. */
  KEY_EXPIRED,
  /** The issuing key is revoked. */
  KEY_REVOKED,
  /** The message carries no signature at all. */
  NOT_SIGNED
}
