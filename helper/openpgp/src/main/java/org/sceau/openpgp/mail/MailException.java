package org.sceau.openpgp.mail;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A failure of the mail layer with a stable {@link MailError} code and a message a user can act on.
 * Messages never contain plaintext, key material or passphrases.
 */
public final class MailException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;
  private final MailError code;

  public MailException(MailError code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code);
  }

  public MailException(MailError code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code);
  }

  public MailError code() {
    return code;
  }

  @Override
  public String toString() {
    return "MailException[" + code + "]: " + getMessage();
  }
}
