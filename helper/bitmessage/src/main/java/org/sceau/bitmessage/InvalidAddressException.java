package org.sceau.bitmessage;

/** A BM- address that cannot be decoded. */
public final class InvalidAddressException extends BitmessageException {
  private static final long serialVersionUID = 1L;

  public InvalidAddressException(String message) {
    super(ErrorCode.BAD_ADDRESS, message);
  }

  public InvalidAddressException(String message, Throwable cause) {
    super(ErrorCode.BAD_ADDRESS, message, cause);
  }
}
