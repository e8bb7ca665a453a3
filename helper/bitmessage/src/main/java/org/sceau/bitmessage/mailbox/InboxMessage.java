package org.sceau.bitmessage.mailbox;

import java.time.Instant;

/**
 * A received msg or broadcast, decrypted and verified.
 *
 * @param id the object's inventory hash in hex (PyBitmessage's msgid)
 * @param kind {@code "msg"} or {@code "broadcast"}
 * @param from the sender's address (derived from the signed keys)
 * @param to the own address it was sent to; for a broadcast, the subscribed sender's address
 * @param subject subject line
 * @param body text
 * @param received when it arrived here
 * @param read whether the user marked it read
 */
public record InboxMessage(
    String id,
    String kind,
    String from,
    String to,
    String subject,
    String body,
    Instant received,
    boolean read) {

  @Override
  public String toString() {
    return "InboxMessage[" + id + ", " + kind + " from " + from + "]";
  }
}
