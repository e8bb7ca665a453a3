package org.sceau.chat;

import java.util.List;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.GroupId;

/**
 * What happens without a request. Called on the client's inbound thread, one event at a time, after
 * the state that explains the event is saved. Implementations must return quickly.
 */
public interface ChatListener {
  default void messageReceived(ChatMessage message) {}

  default void receiptReceived(DeliveryReceipt receipt) {}

  /** This device joined a conversation someone else created. */
  default void conversationJoined(GroupId conversation, List<DeviceId> members) {}

  /** Members were added or removed (the list is the new membership, this device included). */
  default void membersChanged(GroupId conversation, List<DeviceId> members) {}

  /** This device was removed from the conversation, or its leave completed; its state is gone. */
  default void conversationEnded(GroupId conversation) {}

  /**
   * An incoming message was refused ({@code WRONG_EPOCH}, {@code REPLAYED}, {@code TAMPERED},
   * {@code MALFORMED}, …). {@code conversation} is null when it could not be told.
   */
  default void messageRejected(GroupId conversation, ChatException reason) {}

  default void connectionChanged(boolean online) {}
}
