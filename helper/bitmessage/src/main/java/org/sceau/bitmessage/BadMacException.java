package org.sceau.bitmessage;

/** An encrypted payload's HMAC does not verify: the object is not for this key, or was altered. */
public final class BadMacException extends BitmessageException {
  private static final long serialVersionUID = 1L;

  public BadMacException(String message) {
    super(ErrorCode.BAD_MAC, message);
  }

  public BadMacException(String message, Throwable cause) {
    super(ErrorCode.BAD_MAC, message, cause);
  }
}
