package org.sceau.chat.wire;

/**
 * A typed failure of the relay protocol: a frame that cannot be read, or a request the relay
 * refused. The message never contains payload bytes or key material.
 */
public final class WireException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final long detail;

  public WireException(ErrorCode code, String message) {
    this(code, 0, message);
  }

  /**
   * @param detail code-specific number: the retry delay in ms for {@link ErrorCode#RATE_LIMITED},
   *     the group's current epoch for {@link ErrorCode#EPOCH_CONFLICT}, otherwise 0
   */
  public WireException(ErrorCode code, long detail, String message) {
    super(message);
    this.code = code;
    this.detail = detail;
  }

  public ErrorCode code() {
    return code;
  }

  public long detail() {
    return detail;
  }

  /** The error frame that reports this failure for request {@code requestId}. */
  public Frame.Error toFrame(int requestId) {
    return new Frame.Error(requestId, code, detail, getMessage());
  }

  /** The exception an error frame stands for (client side). */
  public static WireException of(Frame.Error error) {
    return new WireException(error.code(), error.detail(), error.message());
  }
}
