package org.sceau.bitmessage.mailbox;

/**
 * Where an own message is, as the reference client shows it: waiting for the recipient's pubkey (a
 * getpubkey is out), doing its proof of work, sent (waiting for the ack; re-sent with a doubled TTL
 * when 1.1 × TTL passed without one), acked. Broadcasts and messages to chans stop at sent.
 */
public enum OutboxState {
  WAITING_FOR_PUBKEY,
  DOING_POW,
  SENT,
  ACKED,
  /** The network refused the finished object: a bug, reported instead of retried forever. */
  FAILED
}
