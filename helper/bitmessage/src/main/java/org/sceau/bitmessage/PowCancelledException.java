package org.sceau.bitmessage;

/** A proof-of-work search stopped by cancel() before it found a nonce. */
public final class PowCancelledException extends BitmessageException {
  private static final long serialVersionUID = 1L;

  public PowCancelledException(String message) {
    super(ErrorCode.POW_CANCELLED, message);
  }

  public PowCancelledException(String message, Throwable cause) {
    super(ErrorCode.POW_CANCELLED, message, cause);
  }
}
