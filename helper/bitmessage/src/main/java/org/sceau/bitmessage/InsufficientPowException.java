package org.sceau.bitmessage;

/** The proof of work of an object does not reach the demanded target. */
public final class InsufficientPowException extends BitmessageException {
  private static final long serialVersionUID = 1L;

  public InsufficientPowException(String message) {
    super(ErrorCode.INSUFFICIENT_POW, message);
  }

  public InsufficientPowException(String message, Throwable cause) {
    super(ErrorCode.INSUFFICIENT_POW, message, cause);
  }
}
