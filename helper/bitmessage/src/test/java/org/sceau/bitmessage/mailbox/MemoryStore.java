package org.sceau.bitmessage.mailbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** A {@link MailboxStore} in memory (the helper's is the vault): atomic writes under a lock. */
final class MemoryStore implements MailboxStore {
  private final TreeMap<String, byte[]> map = new TreeMap<>();
  int writes;
  int reads;

  @Override
  public synchronized Optional<byte[]> get(String key) {
    reads++;
    return Optional.ofNullable(map.get(key)).map(byte[]::clone);
  }

  @Override
  public synchronized List<String> keys(String prefix) {
    reads++;
    List<String> l = new ArrayList<>();
    for (String k : map.tailMap(prefix, true).keySet()) {
      if (!k.startsWith(prefix)) {
        break;
      }
      l.add(k);
    }
    return l;
  }

  synchronized int accesses() {
    return reads + writes;
  }

  @Override
  public synchronized void write(Map<String, byte[]> puts, Set<String> deletes) {
    writes++;
    deletes.forEach(map::remove);
    puts.forEach((k, v) -> map.put(k, v.clone()));
  }
}
