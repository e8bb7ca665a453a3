package org.sceau.bitmessage.mailbox;

import java.time.Duration;
import java.time.Instant;

/**
 * An own msg or broadcast and its delivery state.
 *
 * @param id the mailbox's id for it
 * @param kind {@code "msg"} or {@code "broadcast"}
 * @param from the own sending address
 * @param to the recipient (for a broadcast, empty)
 * @param subject subject line
 * @param body text
 * @param state delivery state
 * @param ttl the lifetime of the current attempt (doubles at each resend, at most 28 days)
 * @param attempts how many times it was resent after its TTL passed without an ack
 * @param created when the user sent it
 * @param sent when the last attempt went out (null before)
 * @param ackExpected whether an ack will come (not for broadcasts and chans)
 */
public record OutboxMessage(
    String id,
    String kind,
    String from,
    String to,
    String subject,
    String body,
    OutboxState state,
    Duration ttl,
    int attempts,
    Instant created,
    Instant sent,
    boolean ackExpected) {

  @Override
  public String toString() {
    return "OutboxMessage[" + id + ", " + kind + ", " + state + "]";
  }
}
