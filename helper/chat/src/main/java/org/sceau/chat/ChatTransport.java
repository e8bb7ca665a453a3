package org.sceau.chat;

import java.util.List;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.GroupId;
import org.sceau.chat.wire.PayloadKind;

/**
 * The relay, as the chat client needs it: the MLS Delivery Service. {@link
 * org.sceau.chat.internal.WebSocketTransport} speaks the relay wire protocol ({@code
 * org.sceau.chat.wire}); tests may run several clients in one process against any implementation
 * that keeps the same guarantees:
 *
 * <ul>
 *   <li>deliveries reach the {@link Sink} in mailbox order, each with an id that increases strictly
 *       per device; a delivery is redelivered (same id) after a reconnect until acknowledged;
 *   <li>handshake messages of one group are put in one total order and at most one commit per epoch
 *       is accepted ({@link ChatException.Code#COMMIT_CONFLICT} otherwise);
 *   <li>payloads are opaque: the relay never sees anything but MLS ciphertext.
 * </ul>
 */
public interface ChatTransport {

  /**
   * The relay at {@code uri} ({@code wss://host/v1/ws}; {@code ws://} only on loopback), over the
   * relay wire protocol; requests time out after 15 seconds.
   */
  static ChatTransport relay(java.net.URI uri) {
    return new org.sceau.chat.internal.WebSocketTransport(uri, java.time.Duration.ofSeconds(15));
  }

  /**
   * Opens an authenticated connection for {@code key}'s device (registering it if {@code
   * register}). Deliveries start flowing to {@code sink} once this returns. Throws {@code OFFLINE}
   * if the relay cannot be reached.
   */
  Connection connect(DeviceKey key, boolean register, Sink sink) throws ChatException;

  /** Receives what the relay pushes. Called from the transport's thread: must not block long. */
  interface Sink {
    void deliver(Frame.Deliver delivery);

    /** The connection ended (network error, relay restart, or {@link Connection#close}). */
    void closed(Throwable cause);
  }

  /** One authenticated connection. Every call blocks until the relay answers or fails. */
  interface Connection extends AutoCloseable {
    /** Queues an opaque payload for each recipient device; returns how many mailboxes got it. */
    long send(List<DeviceId> recipients, byte[] payload) throws ChatException;

    /**
     * Submits a commit or proposal for {@code group} at {@code epoch}. Returns the sequence number
     * the relay gave it in the group's total order; throws {@code COMMIT_CONFLICT} if another
     * commit for that epoch came first.
     */
    long handshake(
        PayloadKind kind, GroupId group, long epoch, List<DeviceId> recipients, byte[] payload)
        throws ChatException;

    /** Adds one-time KeyPackages (and optionally replaces the last-resort one). */
    void publishKeyPackages(List<byte[]> oneTime, byte[] lastResort) throws ChatException;

    /** Claims one KeyPackage of {@code device}; {@code NO_KEY_PACKAGE} if it has none. */
    byte[] claimKeyPackage(DeviceId device) throws ChatException;

    /** Lets the relay delete these deliveries (they are safely stored). */
    void ack(List<Long> messageIds) throws ChatException;

    boolean isOpen();

    @Override
    void close();
  }
}
