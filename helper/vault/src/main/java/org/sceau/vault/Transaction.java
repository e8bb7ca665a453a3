package org.sceau.vault;

/** Stores reachable inside {@link Vault#inTransaction}: all their writes commit or none does. */
public interface Transaction {
  RecordStore store(String namespace) throws VaultException;
}
