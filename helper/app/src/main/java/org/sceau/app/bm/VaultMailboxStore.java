package org.sceau.app.bm;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sceau.app.vault.VaultNamespace;
import org.sceau.bitmessage.mailbox.MailboxException;
import org.sceau.bitmessage.mailbox.MailboxStore;
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

  private final VaultNamespace records;

  VaultMailboxStore(Vault vault) {
    this.records = new VaultNamespace(vault, NAMESPACE);
  }

  @Override
  public Optional<byte[]> get(String key) throws MailboxException {
    try {
      return records.get(key);
    } catch (VaultException e) {
      throw failed(e);
    }
  }

  @Override
  public List<String> keys(String prefix) throws MailboxException {
    try {
      return records.keys(prefix);
    } catch (VaultException e) {
      throw failed(e);
    }
  }

  @Override
  public void write(Map<String, byte[]> puts, Set<String> deletes) throws MailboxException {
    try {
      records.write(puts, deletes);
    } catch (VaultException e) {
      throw failed(e);
    }
  }

  private static MailboxException failed(VaultException e) {
    // The vault's message is written for users and holds no secret.
    return new MailboxException(MailboxException.Code.STORE_FAILED, e.getMessage(), e);
  }
}
