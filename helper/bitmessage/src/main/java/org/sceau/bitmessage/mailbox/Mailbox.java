package org.sceau.bitmessage.mailbox;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.sceau.bitmessage.mailbox.internal.MailboxImpl;
import org.sceau.bitmessage.node.ObjectNetwork;

/**
 * The user's side of Bitmessage over a node: own identities and their pubkeys, sending (getpubkey
 * when the recipient's keys are unknown, proof of work, ack tracking, resend with a doubled TTL),
 * broadcasts and subscriptions, chans, and reading what arrives.
 *
 * <p>Every state change of a queued message is one {@link MailboxStore#write}: a crash or a close
 * in the middle of a proof of work loses nothing, and {@link #open} on the same store resumes the
 * work. On open, the mailbox reads every unexpired object of the network's inventory: what arrived
 * while it was closed (the helper's vault locked) is decrypted then.
 *
 * <pre>{@code
 * Mailbox box = Mailbox.open(MailboxConfig.defaults(), store, node, listener);
 * OwnIdentity me = box.newIdentity("work");
 * String id = box.send(me.address(), "BM-2cX…", "Hello", "First message", null);
 * box.outbox().forEach(m -> System.out.println(m.state()));
 * }</pre>
 */
public interface Mailbox extends AutoCloseable {

  /**
   * Opens the mailbox kept in {@code store} on {@code network} and starts its work (proofs of work
   * on at most {@code config.powThreads()} threads at minimum priority).
   */
  static Mailbox open(
      MailboxConfig config, MailboxStore store, ObjectNetwork network, MailboxListener listener)
      throws MailboxException {
    return MailboxImpl.open(config, store, network, listener);
  }

  /** The user's identities, oldest first. */
  List<OwnIdentity> identities() throws MailboxException;

  /**
   * Creates a random v4 identity and queues the proof of work of its pubkey, which others need to
   * send to it (several seconds to minutes on the real network: see {@link #powStatus()}).
   */
  OwnIdentity newIdentity(String label) throws MailboxException;

  /**
   * Joins the chan named {@code name}: everyone who knows the name shares its keys and reads what
   * is sent to its address. Idempotent.
   */
  OwnIdentity joinChan(String name) throws MailboxException;

  /**
   * Queues a msg from own {@code from} to {@code to}.
   *
   * @param ttl its lifetime on the network, null for the default (clamped to 5 minutes … 28 days)
   * @return the outbox id
   */
  String send(String from, String to, String subject, String body, Duration ttl)
      throws MailboxException;

  /** Queues a broadcast from own {@code from} to everyone subscribed to it. */
  String broadcast(String from, String subject, String body, Duration ttl) throws MailboxException;

  /**
   * Subscribes to {@code address}'s broadcasts; the ones still in the inventory are read at once.
   */
  void subscribe(String address, String label) throws MailboxException;

  /** Subscribed addresses. */
  List<String> subscriptions() throws MailboxException;

  /** Received messages, newest first, at most {@code limit}. */
  List<InboxMessage> inbox(int limit) throws MailboxException;

  /** One received message. */
  Optional<InboxMessage> message(String id) throws MailboxException;

  /** Marks a received message read or unread. */
  void markRead(String id, boolean read) throws MailboxException;

  /**
   * Deletes a received message, or an own message (its proof of work is cancelled if it runs).
   *
   * @return whether something was deleted
   */
  boolean delete(String id) throws MailboxException;

  /** Own messages, newest first, whatever their state. */
  List<OutboxMessage> outbox() throws MailboxException;

  /** One own message. */
  Optional<OutboxMessage> sent(String id) throws MailboxException;

  /** The proof-of-work queue. */
  PowStatus powStatus();

  /** Cancels the running proof of work and stops; the queue stays in the store. */
  @Override
  void close();
}
