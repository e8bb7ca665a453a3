package org.sceau.bitmessage.mailbox;

/**
 * A mailbox operation that could not be done, with a stable {@link Code} (part of the RPC contract)
 * and a message a user can act on. Messages never hold keys or message text.
 */
public final class MailboxException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Stable error codes; the names never change once released. */
  public enum Code {
    /** The store failed (for the helper: usually the vault was locked meanwhile). */
    STORE_FAILED,
    /** An address is not a valid BM- address. */
    BAD_ADDRESS,
    /** The sending address is not one of the user's identities. */
    UNKNOWN_IDENTITY,
    /** No message, identity or subscription with this id. */
    NOT_FOUND,
    /** The message makes an object larger than the network accepts. */
    TOO_LARGE,
    /** A parameter out of range. */
    INVALID_ARGUMENT,
    /** The mailbox was closed. */
    CLOSED,
    /** A bug: the operation failed unexpectedly. */
    INTERNAL
  }

  private final Code code;

  public MailboxException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public MailboxException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
