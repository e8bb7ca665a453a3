package org.sceau.openpgp.mail;

/** The cryptographic shape a received message was found to have. */
public enum MailKind {
  /** No OpenPGP protection at all. */
  PLAIN,
  /** RFC 3156 {@code multipart/encrypted} (signed inside or not); also Exchange's mangled form. */
  PGP_MIME_ENCRYPTED,
  /** RFC 3156 {@code multipart/signed}. */
  PGP_MIME_SIGNED,
  /** An armored OpenPGP message as the whole text body. */
  INLINE_PGP
}
