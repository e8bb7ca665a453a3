package org.sceau.app.bm;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sceau.bitmessage.mailbox.MailboxException;
import org.sceau.bitmessage.mailbox.MailboxStore;
import org.sceau.vault.Record;
import org.sceau.vault.RecordStore;
import org.sceau.vault.Vault;
import org.sceau.vault.VaultException;

/**
 * The Bitmessage mailbox (identities with their private keys, address book, subscriptions, inbox,
 * outbox) in one vault namespace: encrypted at rest, and each {@link #write} one transaction, so a
 * queued message's state change is never half-stored. A locked vault makes every call fail with
 * {@code STORE_FAILED} (the capability reports it as {@code VAULT_LOCKED}).
 */
final class VaultMailboxStore implements MailboxStore {
  static final String NAMESPACE = "bm.mailbox";

  private final Vault vault;

  VaultMailboxStore(Vault vault) {
    this.vault = vault;
  }

  @Override
  public Optional<byte[]> get(String key) throws MailboxException {
    try {
      return vault.store(NAMESPACE).get(key).map(Record::value);
    } catch (VaultException e) {
      throw failed(e);
    }
  }

  @Override
  public List<String> keys(String prefix) throws MailboxException {
    try {
      return vault.store(NAMESPACE).keys(prefix);
    } catch (VaultException e) {
      throw failed(e);
    }
  }

  @Override
  public void write(Map<String, byte[]> puts, Set<String> deletes) throws MailboxException {
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

  private static MailboxException failed(VaultException e) {
    // The vault's message is written for users and holds no secret.
    return new MailboxException(MailboxException.Code.STORE_FAILED, e.getMessage(), e);
  }
}
