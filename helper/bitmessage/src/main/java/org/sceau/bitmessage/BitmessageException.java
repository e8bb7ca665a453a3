package org.sceau.bitmessage;

/**
 * Base of every error this library throws for bad input or failed cryptographic checks. Each
 * carries a stable {@link ErrorCode}. Messages never contain key material or plaintext.
 */
public class BitmessageException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public BitmessageException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public BitmessageException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The stable error code, e.g. for the RPC error type. */
  public ErrorCode code() {
    return code;
  }
}
