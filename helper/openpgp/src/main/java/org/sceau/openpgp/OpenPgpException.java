package org.sceau.openpgp;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * Every failure of the OpenPGP engine: a stable {@link OpenPgpError} code plus a message a user can
 * act on. Messages never contain key material, passphrases or plaintext.
 */
public final class OpenPgpException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;
  private final OpenPgpError code;

  public OpenPgpException(OpenPgpError code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code);
  }

  public OpenPgpException(OpenPgpError code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code);
  }

  /** The stable error code, e.g. for the RPC error object. */
  public OpenPgpError code() {
    return code;
  }

  @Override
  public String toString() {
    return "OpenPgpException[" + code + "]: " + getMessage();
  }
}
