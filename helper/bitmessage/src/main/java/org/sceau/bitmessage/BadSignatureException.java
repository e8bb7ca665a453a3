package org.sceau.bitmessage;

/** An object's ECDSA signature does not verify. */
public final class BadSignatureException extends BitmessageException {
  private static final long serialVersionUID = 1L;

  public BadSignatureException(String message) {
    super(ErrorCode.BAD_SIGNATURE, message);
  }

  public BadSignatureException(String message, Throwable cause) {
    super(ErrorCode.BAD_SIGNATURE, message, cause);
  }
}
