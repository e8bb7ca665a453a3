package org.sceau.openpgp.mail;

/**
 * Stable error codes of the mail layer (PGP/MIME, protected headers, Autocrypt). The RPC layer
 * forwards them as they are; never rename one. Failures of the OpenPGP engine itself (no key, bad
 * ciphertext, missing MDC) keep their {@link org.sceau.openpgp.OpenPgpError} code and come through
 * as {@link org.sceau.openpgp.OpenPgpException}.
 */
public enum MailError {
  /** The message is not valid MIME, or a PGP/MIME structure is broken (missing part, boundary). */
  MALFORMED_MAIL,
  /** The message, a header, the decrypted content or the MIME tree exceeds a configured bound. */
  TOO_LARGE,
  /**
   * Encrypted content is mixed with unencrypted parts in one message (the EFAIL "direct
   * exfiltration" shape): refused rather than shown together.
   */
  MIXED_ENCRYPTED_CONTENT,
  /**
   * An Autocrypt or Autocrypt-Gossip header is not valid (missing addr/keydata, unknown critical
   * attribute, too long).
   */
  INVALID_AUTOCRYPT_HEADER,
  /** The draft cannot be sent as asked (no recipient, no sender, missing key for the sender). */
  INVALID_DRAFT,
  /** Reading an attachment or writing the output failed. */
  IO_ERROR,
  /**
   * Not an Autocrypt Setup Message, or the setup code is not 36 digits (a wrong code that is well
   * formed fails with the engine's error instead).
   */
  INVALID_SETUP_MESSAGE
}
