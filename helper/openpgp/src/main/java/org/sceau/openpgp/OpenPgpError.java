package org.sceau.openpgp;

/**
 * Stable error codes of the OpenPGP engine. The helper's RPC layer forwards them as they are, so
 * the add-on can show a message in the user's language; never rename one.
 */
public enum OpenPgpError {
  /** A recipient has no certificate, or none of its subkeys may encrypt. */
  NO_KEY_FOR_RECIPIENT,
  /** None of the given secret keys can decrypt the message. */
  NO_DECRYPTION_KEY,
  /** The key has no usable signing (sub)key. */
  KEY_CANNOT_SIGN,
  /** A signature was present but did not verify. */
  BAD_SIGNATURE,
  /** No (good) signature by any of the given certificates. */
  NO_SIGNATURE,
  /** The message is not valid OpenPGP, or was cut or changed in transit. */
  MALFORMED_MESSAGE,
  /** Key or certificate data could not be read. */
  MALFORMED_KEY,
  /** Ciphertext without integrity protection (no MDC, no AEAD): refused (EFAIL). */
  INTEGRITY_PROTECTION_MISSING,
  /** The passphrase does not unlock the key. */
  WRONG_PASSPHRASE,
  /** The key is protected and no passphrase was given. */
  KEY_IS_PROTECTED,
  /** An algorithm is unknown or refused by policy (too weak). */
  UNSUPPORTED_ALGORITHM,
  /** The key or certificate is expired, revoked or has no valid binding. */
  KEY_UNUSABLE,
  /** Reading or writing a stream failed. */
  IO_ERROR
}
