package org.sceau.bitmessage.mailbox;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the mailbox keeps the user's side of Bitmessage: identities with their private keys, the
 * address book (others' pubkeys), subscriptions, inbox and outbox. Values are opaque byte strings
 * holding secrets: an implementation must encrypt them at rest (the helper backs this with its
 * vault) and must apply each {@link #write} atomically and durably, since the mailbox records each
 * state change of a queued message in one write and relies on a crash never losing it.
 *
 * <p>Keys are short ASCII paths such as {@code out/<id>}.
 */
public interface MailboxStore {
  /** The value stored under {@code key}. */
  Optional<byte[]> get(String key) throws MailboxException;

  /** The keys that start with {@code prefix}, in ascending order. */
  List<String> keys(String prefix) throws MailboxException;

  /**
   * Stores every entry of {@code puts} and removes every key of {@code deletes}, all or nothing.
   */
  void write(Map<String, byte[]> puts, Set<String> deletes) throws MailboxException;

  /** One value. */
  default void put(String key, byte[] value) throws MailboxException {
    write(Map.of(key, value), Set.of());
  }

  /** Removes one key (no error if absent). */
  default void delete(String key) throws MailboxException {
    write(Map.of(), Set.of(key));
  }
}
