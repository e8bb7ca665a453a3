package org.sceau.bitmessage;

/** A well-formed object of a type or version this library does not handle. */
public final class UnsupportedObjectException extends BitmessageException {
  private static final long serialVersionUID = 1L;

  public UnsupportedObjectException(String message) {
    super(ErrorCode.UNSUPPORTED, message);
  }

  public UnsupportedObjectException(String message, Throwable cause) {
    super(ErrorCode.UNSUPPORTED, message, cause);
  }
}
