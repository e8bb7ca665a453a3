package org.sceau.vault;

import java.util.List;
import java.util.Optional;

/**
 * An ordered key → bytes map, one per namespace ("openpgp.keys", "bm.inbox", "chat.history"…),
 * stored inside the encrypted vault. This is how capabilities persist data: no SQL leaves the vault
 * module.
 *
 * <p>Every call is atomic and durable when it returns (a crash afterwards loses nothing). Several
 * calls that must succeed or fail together go through {@link Vault#inTransaction}. Safe for use
 * from many threads. Every call throws {@link VaultException.Code#VAULT_LOCKED} while the vault is
 * locked.
 *
 * <p>Keys are non-empty strings of at most {@value #MAX_KEY_LENGTH} chars, ordered by their UTF-8
 * bytes; values at most {@value #MAX_VALUE_BYTES} bytes.
 */
public interface RecordStore {
  int MAX_KEY_LENGTH = 1024;
  int MAX_VALUE_BYTES = 64 * 1024 * 1024;

  /** The namespace this store is bound to. */
  String namespace();

  /** Inserts or replaces. */
  void put(String key, byte[] value) throws VaultException;

  Optional<Record> get(String key) throws VaultException;

  /** Returns whether something was deleted. */
  boolean delete(String key) throws VaultException;

  /** Up to {@code limit} records whose key starts with {@code prefix}, in key order. */
  List<Record> list(String prefix, int limit) throws VaultException;

  /** Keys starting with {@code prefix}, in key order. */
  List<String> keys(String prefix) throws VaultException;

  long count() throws VaultException;

  /**
   * Stores {@code value} under the next key of this namespace's sequence (zero-padded decimal, so
   * key order is insertion order: history, logs) and returns that key.
   */
  String append(byte[] value) throws VaultException;
}
