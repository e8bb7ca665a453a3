package org.sceau.vault;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A typed view over a {@link RecordStore}: a capability keeps its own value type (a contact, a
 * Bitmessage identity, a chat message…) and a {@link Codec} for it.
 *
 * <pre>{@code
 * Repository<Contact> contacts = vault.repository("openpgp.contacts", new ContactCodec());
 * contacts.put(contact.email(), contact);
 * Optional<Contact> c = contacts.get("alice@example.org");
 * }</pre>
 *
 * @param <T> the value type
 */
public final class Repository<T> {
  private final RecordStore store;
  private final Codec<T> codec;

  public Repository(RecordStore store, Codec<T> codec) {
    this.store = store;
    this.codec = codec;
  }

  public String namespace() {
    return store.namespace();
  }

  public void put(String key, T value) throws VaultException {
    store.put(key, codec.encode(value));
  }

  public Optional<T> get(String key) throws VaultException {
    Optional<Record> r = store.get(key);
    return r.isEmpty() ? Optional.empty() : Optional.of(decode(r.get()));
  }

  public boolean delete(String key) throws VaultException {
    return store.delete(key);
  }

  public String append(T value) throws VaultException {
    return store.append(codec.encode(value));
  }

  /** Values whose key starts with {@code prefix}, in key order, at most {@code limit}. */
  public List<T> list(String prefix, int limit) throws VaultException {
    List<T> out = new ArrayList<>();
    for (Record r : store.list(prefix, limit)) {
      out.add(decode(r));
    }
    return out;
  }

  public List<String> keys(String prefix) throws VaultException {
    return store.keys(prefix);
  }

  public long count() throws VaultException {
    return store.count();
  }

  private T decode(Record r) throws VaultException {
    try {
      return codec.decode(r.value());
    } catch (IllegalArgumentException e) {
      throw new VaultException(
          VaultException.Code.CORRUPTED,
          "A stored item of "
              + store.namespace()
              + " could not be read: it was written by an"
              + " incompatible version.",
          e);
    }
  }
}
