package org.sceau.chat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the chat client keeps its state: the device key, unused KeyPackage secrets, each
 * conversation's MLS group state, queued outgoing messages, contacts and history. Values are opaque
 * byte strings that hold secrets: an implementation must encrypt them at rest (the helper backs
 * this with its vault) and must apply each {@link #write} atomically, since the client relies on a
 * group state and the messages it explains being saved together.
 *
 * <p>Keys are short ASCII paths such as {@code conv/<hex>/state}. The client deletes a
 * conversation's old-epoch state by overwriting it; implementations must not keep old versions.
 */
public interface ChatStore {
  /** The value stored under {@code key}. */
  Optional<byte[]> get(String key) throws ChatException;

  /** The keys that start with {@code prefix}, in ascending order. */
  List<String> keys(String prefix) throws ChatException;

  /**
   * Stores every entry of {@code puts} and removes every key of {@code deletes}, all or nothing.
   */
  void write(Map<String, byte[]> puts, Set<String> deletes) throws ChatException;

  /** One value. */
  default void put(String key, byte[] value) throws ChatException {
    write(Map.of(key, value), Set.of());
  }

  /** Removes one key (no error if absent). */
  default void delete(String key) throws ChatException {
    write(Map.of(), Set.of(key));
  }
}
