package org.sceau.bitmessage;

/**
 * Input does not follow the protocol layout (truncated, bad varint, bad key, trailing bytes...).
 */
public final class MalformedObjectException extends BitmessageException {
  private static final long serialVersionUID = 1L;

  public MalformedObjectException(String message) {
    super(ErrorCode.MALFORMED_OBJECT, message);
  }

  public MalformedObjectException(String message, Throwable cause) {
    super(ErrorCode.MALFORMED_OBJECT, message, cause);
  }
}
