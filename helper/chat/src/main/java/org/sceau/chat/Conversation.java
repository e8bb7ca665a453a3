package org.sceau.chat;

import java.util.List;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.GroupId;

/**
 * A conversation: one MLS group (a 1:1 chat is a group of two devices). A handle; all state lives
 * in the {@link ChatClient}. Group changes ({@link #add}, {@link #remove}, {@link #leave}, {@link
 * #refreshKeys}) need the relay and throw {@code OFFLINE} without it; {@link #send} queues.
 */
public final class Conversation {
  private final ChatClient client;
  private final GroupId id;

  Conversation(ChatClient client, GroupId id) {
    this.client = client;
    this.id = id;
  }

  public GroupId id() {
    return id;
  }

  /**
   * Queues a text message and sends it as soon as the relay is reachable; returns its id (which
   * {@link DeliveryReceipt}s name).
   */
  public String send(String text) throws ChatException {
    return client.send(id, text);
  }

  /** Adds a device (claims one of its KeyPackages from the relay). */
  public void add(DeviceId device) throws ChatException {
    client.add(id, device);
  }

  /** Removes a device; it cannot read anything sent afterwards. */
  public void remove(DeviceId device) throws ChatException {
    client.remove(id, device);
  }

  /** Leaves: another member commits the removal; nothing more is sent from here. */
  public void leave() throws ChatException {
    client.leave(id);
  }

  /**
   * Replaces this device's leaf key now (post-compromise security); see {@link
   * ChatClient#maintain}.
   */
  public void refreshKeys() throws ChatException {
    client.selfUpdate(id);
  }

  /** Current members, this device included. */
  public List<DeviceId> members() throws ChatException {
    return client.members(id);
  }

  /** The MLS epoch (increases with every group change). */
  public long epoch() throws ChatException {
    return client.epoch(id);
  }

  /**
   * Equal on every member at the same epoch: comparing it (e.g. as part of verification) detects a
   * relay that split the group.
   */
  public byte[] epochAuthenticator() throws ChatException {
    return client.epochAuthenticator(id);
  }

  /** Messages queued and not yet accepted by the relay. */
  public int queuedCount() throws ChatException {
    return client.queued(id);
  }

  /** Sent and received text messages, oldest first. */
  public List<ChatMessage> history() throws ChatException {
    return client.history(id);
  }

  @Override
  public String toString() {
    return "Conversation[" + id + "]";
  }
}
