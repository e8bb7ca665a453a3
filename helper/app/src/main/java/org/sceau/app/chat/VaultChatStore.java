package org.sceau.app.chat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sceau.app.vault.VaultNamespace;
import org.sceau.chat.ChatException;
import org.sceau.chat.ChatStore;
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

  private final VaultNamespace records;

  VaultChatStore(Vault vault) {
    this.records = new VaultNamespace(vault, NAMESPACE);
  }

  @Override
  public Optional<byte[]> get(String key) throws ChatException {
    try {
      return records.get(key);
    } catch (VaultException e) {
      throw failed(e);
    }
  }

  @Override
  public List<String> keys(String prefix) throws ChatException {
    try {
      return records.keys(prefix);
    } catch (VaultException e) {
      throw failed(e);
    }
  }

  @Override
  public void write(Map<String, byte[]> puts, Set<String> deletes) throws ChatException {
    try {
      records.write(puts, deletes);
    } catch (VaultException e) {
      throw failed(e);
    }
  }

  private static ChatException failed(VaultException e) {
    // The vault's message is written for users and holds no secret.
    return new ChatException(ChatException.Code.STORE_FAILED, e.getMessage(), e);
  }
}
