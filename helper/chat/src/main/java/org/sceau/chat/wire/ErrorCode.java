package org.sceau.chat.wire;

/**
 * Stable error codes shared by the relay and its clients. The numeric {@link #wire()} value is what
 * travels in an {@link Frame.Error} frame and must never be reused for another meaning.
 */
public enum ErrorCode {
  /**
   * The bytes are not a well-formed frame (truncated, trailing bytes, bad enum value, bad UTF-8).
   */
  MALFORMED_FRAME(1, "The message could not be read; the client and relay may be out of date."),
  /** A length field or the whole frame is over a limit; nothing was allocated for it. */
  TOO_LARGE(2, "The message is larger than this relay accepts."),
  /** The frame's version byte is not one this side speaks. */
  UNSUPPORTED_VERSION(3, "The relay speaks another protocol version; update the client."),
  /** The frame type is known but not allowed in this direction or state (e.g. Send before auth). */
  UNEXPECTED_FRAME(4, "The relay did not expect this message now."),
  /** No valid Authenticate frame has been accepted on this connection yet. */
  AUTH_REQUIRED(10, "Sign in to the relay first."),
  /** The challenge signature did not verify (tampered, replayed, or for another challenge). */
  AUTH_FAILED(11, "The relay could not verify this device's signature."),
  /** The device key is not registered on this relay. */
  UNKNOWN_DEVICE(12, "This device is not registered on the relay."),
  /** Too many requests; {@code detail} of the error frame holds a retry delay in milliseconds. */
  RATE_LIMITED(20, "Too many requests; try again shortly."),
  /** A mailbox, directory or registration quota is full. */
  QUOTA_EXCEEDED(21, "A storage quota on the relay is full."),
  /** A recipient device is not registered on this relay. */
  UNKNOWN_RECIPIENT(30, "A recipient is not registered on this relay."),
  /**
   * A commit was refused because its epoch already has a commit (or is not the group's current
   * epoch); {@code detail} holds the group's current epoch.
   */
  EPOCH_CONFLICT(31, "Another change to this group came first; process it and try again."),
  /** The device has no KeyPackage left to claim (not even a last-resort one). */
  NO_KEY_PACKAGE(32, "The contact has no invitation key available on the relay."),
  /** Something failed inside the relay; the request may be retried. */
  INTERNAL(99, "The relay had an internal problem; try again later.");

  private final int wire;
  private final String userMessage;

  ErrorCode(int wire, String userMessage) {
    this.wire = wire;
    this.userMessage = userMessage;
  }

  /** The 16-bit value used on the wire. */
  public int wire() {
    return wire;
  }

  /** A message a user can act on; never contains payload bytes or keys. */
  public String userMessage() {
    return userMessage;
  }

  /** The code for a wire value, or {@code null} if unknown. */
  public static ErrorCode fromWire(int wire) {
    for (ErrorCode c : values()) {
      if (c.wire == wire) {
        return c;
      }
    }
    return null;
  }
}
