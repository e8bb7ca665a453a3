package org.sceau.bitmessage;

/** A packet's checksum (first 4 bytes of SHA-512 of the payload) does not match. */
public final class BadChecksumException extends BitmessageException {
  private static final long serialVersionUID = 1L;

  public BadChecksumException(String message) {
    super(ErrorCode.BAD_CHECKSUM, message);
  }

  public BadChecksumException(String message, Throwable cause) {
    super(ErrorCode.BAD_CHECKSUM, message, cause);
  }
}
