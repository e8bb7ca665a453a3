package org.sceau.chat;

import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.GroupId;

/**
 * A text message of a conversation, sent or received. {@code messageId} is chosen by the sender and
 * is what {@link DeliveryReceipt}s refer to.
 */
public record ChatMessage(
    GroupId conversation,
    String messageId,
    DeviceId sender,
    long sentAtMillis,
    String text,
    boolean outgoing) {
  @Override
  public String toString() {
    // Never print the text (logs).
    return "ChatMessage[" + conversation + ", " + messageId + ", from " + sender + "]";
  }
}
