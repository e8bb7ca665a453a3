package org.sceau.app.vault;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sceau.vault.Record;
import org.sceau.vault.RecordStore;
import org.sceau.vault.Vault;
import org.sceau.vault.VaultException;

/**
 * One vault namespace seen as the key/value store the capability libraries ask for (chat's
 * ChatStore, Bitmessage's MailboxStore): get, list by prefix, and an all-or-nothing write in one
 * vault transaction, so a state change is never half-stored. Each library wraps it to turn vault
 * failures into its own typed error.
 */
public final class VaultNamespace {

  private final Vault vault;
  private final String namespace;

  public VaultNamespace(Vault vault, String namespace) {
    this.vault = vault;
    this.namespace = namespace;
  }

  public Optional<byte[]> get(String key) throws VaultException {
    return vault.store(namespace).get(key).map(Record::value);
  }

  public List<String> keys(String prefix) throws VaultException {
    return vault.store(namespace).keys(prefix);
  }

  /** Puts and deletes in one transaction; a key in both is put. */
  public void write(Map<String, byte[]> puts, Set<String> deletes) throws VaultException {
    vault.inTransaction(
        tx -> {
          RecordStore s = tx.store(namespace);
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
  }
}
