package org.sceau.chat;

import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.GroupId;

/** {@code recipient} decrypted the message {@code messageId} (an end-to-end encrypted receipt). */
public record DeliveryReceipt(GroupId conversation, String messageId, DeviceId recipient) {}
