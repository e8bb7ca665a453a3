package org.sceau.bitmessage.mailbox;

/**
 * What the mailbox reports. Called on the mailbox's own thread: return quickly. Never given keys;
 * {@link #received} carries the message text, so implementations must not log it.
 */
public interface MailboxListener {
  /** A msg or broadcast was decrypted and stored in the inbox. */
  default void received(InboxMessage message) {}

  /** The recipient's ack for a sent message arrived. */
  default void acked(OutboxMessage message) {}

  /** A queued message changed state (waiting for pubkey, doing PoW, sent, resent, failed). */
  default void stateChanged(OutboxMessage message) {}

  /** Proof-of-work progress, about once a second while a search runs. */
  default void powProgress(PowStatus status) {}
}
