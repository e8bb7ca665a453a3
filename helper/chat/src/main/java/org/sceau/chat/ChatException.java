package org.sceau.chat;

/**
 * A chat operation failed, or an incoming message was refused. {@link #code()} is stable (the RPC
 * layer maps it to its error codes); {@link #getMessage()} is a sentence a user can act on and
 * never contains message text, key material or ciphertext.
 */
public final class ChatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Stable error codes. Never rename or reuse one for another meaning. */
  public enum Code {
    /** A message belongs to an epoch this device no longer (or never) holds keys for. */
    WRONG_EPOCH(
        "The message was sent in an older state of the conversation and can no longer be read."),
    /** The message was already received once (same key generation or same delivery). */
    REPLAYED("This message was already received; the copy was ignored."),
    /** Authentication failed: the message was modified, or not sent by a member. */
    TAMPERED("The message failed its integrity check and was discarded."),
    /** This device is not (or no longer) a member of the conversation. */
    NOT_A_MEMBER("You are not a member of this conversation."),
    /** No conversation with that id is known on this device. */
    UNKNOWN_CONVERSATION("This conversation is not known on this device."),
    /** The bytes are not a well-formed message of a kind this client accepts. */
    MALFORMED("The message could not be read; the sender may use an incompatible version."),
    /** Another member changed the group first; the change was re-applied on top of theirs. */
    COMMIT_CONFLICT("Another member changed the conversation at the same time; try again."),
    /** The contact has no invitation key (KeyPackage) on the relay. */
    NO_KEY_PACKAGE("The contact has no invitation key on the relay; ask them to open Sceau once."),
    /** The relay cannot be reached; the operation was queued or must be retried. */
    OFFLINE("The chat relay cannot be reached right now; the message will be sent later."),
    /** The relay refused the request. */
    RELAY_REFUSED("The chat relay refused the request."),
    /** Saved conversation state is unreadable (corrupt, or from an incompatible version). */
    STATE_CORRUPT("Saved chat state could not be read; the conversation must be restarted."),
    /** The storage backend (the vault) failed to read or write. */
    STORE_FAILED("Chat state could not be saved; is the vault unlocked?"),
    /** A request argument is not valid (too long a message, unknown member, …). */
    INVALID_ARGUMENT("The request is not valid."),
    /** Anything else inside the MLS library. */
    INTERNAL("An internal error occurred in the chat engine.");

    private final String userMessage;

    Code(String userMessage) {
      this.userMessage = userMessage;
    }

    public String userMessage() {
      return userMessage;
    }
  }

  private final Code code;

  public ChatException(Code code) {
    this(code, code.userMessage(), null);
  }

  public ChatException(Code code, String message) {
    this(code, message, null);
  }

  public ChatException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
