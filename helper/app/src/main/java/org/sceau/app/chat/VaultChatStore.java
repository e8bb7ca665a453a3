package org.sceau.app.chat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sceau.chat.ChatException;
import org.sceau.chat.ChatStore;
import org.sceau.vault.Record;
import org.sceau.vault.RecordStore;
import org.sceau.vault.Vault;
import org.sceau.vault.VaultException;

/**
 * The chat client's state (device key, KeyPackage secrets, MLS group states, outbox, contacts,
 * history) in one vault namespace. The vault encrypts every record at rest and commits a {@link
 * #write} in one transaction, which is what {@link ChatStore} asks for. A locked vault makes every
 * call fail with {@code STORE_FAILED} (the capability reports it as {@code VAULT_LOCKED}).
 */
final class VaultChatStore implements ChatStore {
  /** Where the client's records live. */
  static final String NAMESPACE = "chat.client";

  private final Vault vault;

  VaultChatStore(Vault vault) {
    this.vault = vault;
  }

  @Override
  public Optional<byte[]> get(String key) throws ChatException {
    try {
      return vault.store(NAMESPACE).get(key).map(Record::value);
    } catch (VaultException e) {
      throw failed(e);
    }
  }

  @Override
  public List<String> keys(String prefix) throws ChatException {
    try {
      return vault.store(NAMESPACE).keys(prefix);
    } catch (VaultException e) {
      throw failed(e);
    }
  }

  @Override
  public void write(Map<String, byte[]> puts, Set<String> deletes) throws ChatException {
    try {
      vault.inTransaction(
          tx -> {
            RecordStore s = tx.store(NAMESPACE);
            for (String k : deletes) {
              if (!puts.containsKey(k)) {
                s.delete(k);
              }
            }
            for (Map.Entry<String, byte[]> e : puts.entrySet()) {
              s.put(e.getKey(), e.getValue());
            }
            return null;
          });
    } catch (VaultException e) {
      throw failed(e);
    }
  }

  private static ChatException failed(VaultException e) {
    // The vault's message is written for users and holds no secret.
    return new ChatException(ChatException.Code.STORE_FAILED, e.getMessage(), e);
  }
}
