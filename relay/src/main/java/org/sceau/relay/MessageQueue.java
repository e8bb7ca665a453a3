package org.sceau.relay;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.GroupId;

/**
 * Durable per-device mailboxes of opaque, already-encoded deliveries. The relay's only state that
 * matters for delivery lives behind this interface, so a single node (embedded SQLite) and a
 * scale-out cluster (Redis) are a configuration switch.
 *
 * <p>Guarantees every implementation gives: ids within one mailbox strictly increase in the order
 * the messages became visible (a message with a smaller id is never visible after one with a larger
 * id, so a reader that remembers the last id it saw never skips one); an id is never reused; a
 * message stays until {@link #ack} or the retention limit removes it; futures complete only once
 * the write is as durable as the backend promises.
 *
 * <p>Messages are stored as encoded {@code Deliver} frames whose message id (and, for handshakes,
 * group sequence) the queue fills in; see {@link DeliverTemplate}.
 */
public interface MessageQueue extends AutoCloseable {

  /**
   * Appends {@code deliverTemplate} to each recipient's mailbox, then calls {@code done} exactly
   * once with the new message ids (in recipient order) or the failure: a {@code WireException} of
   * code QUOTA_EXCEEDED when a mailbox is full (then nothing was queued).
   *
   * <p>{@code done} runs on the store's own thread, in commit order, after the write is durable. A
   * callback rather than a future on purpose: a future completed before its caller attached a
   * dependent action would run that action on the caller's thread, out of commit order, and a node
   * that pushes fresh messages from memory must see them in id order.
   */
  void enqueue(
      List<DeviceId> recipients, byte[] deliverTemplate, BiConsumer<long[], Throwable> done);

  /**
   * Atomically: checks {@code epoch} against the group's current epoch, refuses a second commit for
   * an epoch, assigns the next group sequence number, and queues the handshake for the recipients.
   */
  void enqueueHandshake(
      List<DeviceId> recipients,
      GroupId group,
      long epoch,
      boolean commit,
      byte[] deliverTemplate,
      BiConsumer<HandshakeOutcome, Throwable> done);

  /**
   * Up to {@code max} messages of {@code device} with id greater than {@code afterId}, in order.
   */
  List<Queued> fetch(DeviceId device, long afterId, int max) throws Exception;

  /** Deletes acknowledged messages (unknown ids are ignored). May complete asynchronously. */
  void ack(DeviceId device, long[] ids);

  /** Number of messages waiting for {@code device}. */
  long pending(DeviceId device) throws Exception;

  /** Deletes messages received before {@code cutoffMillis}; returns how many. */
  long purgeReceivedBefore(long cutoffMillis) throws Exception;

  /**
   * Cross-node wake-ups: {@code listener} is called when another node queued something for a device
   * this node {@link #watch}es. Single-node backends never call it.
   */
  void onAvailable(Consumer<DeviceId> listener);

  /** This node holds {@code device}'s connection. */
  void watch(DeviceId device);

  void unwatch(DeviceId device);

  /** Tells the node holding {@code device} (if any other) that messages are available. */
  void announce(DeviceId device);

  /** One queued message: its id and the encoded Deliver frame (id already filled in). */
  record Queued(long id, byte[] frame) {}

  /**
   * Result of {@link #enqueueHandshake}: accepted with the group sequence number and the epoch the
   * group is now at, or refused with the group's current epoch.
   */
  record HandshakeOutcome(boolean accepted, long groupSeq, long epoch, long[] ids) {
    public static HandshakeOutcome conflict(long currentEpoch) {
      return new HandshakeOutcome(false, 0, currentEpoch, new long[0]);
    }
  }
}
