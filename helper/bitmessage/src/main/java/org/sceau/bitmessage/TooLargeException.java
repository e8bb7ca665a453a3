package org.sceau.bitmessage;

/** A length or count is over the protocol's limit; rejected before anything is allocated. */
public final class TooLargeException extends BitmessageException {
  private static final long serialVersionUID = 1L;

  public TooLargeException(String message) {
    super(ErrorCode.TOO_LARGE, message);
  }

  public TooLargeException(String message, Throwable cause) {
    super(ErrorCode.TOO_LARGE, message, cause);
  }
}
