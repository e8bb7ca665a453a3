package org.sceau.chat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link ChatStore} in memory, for tests and for a helper that must not persist anything. It
 * zeroes the bytes it drops, so an overwritten epoch state does not linger in its arrays.
 */
public final class InMemoryChatStore implements ChatStore {
  private final TreeMap<String, byte[]> map = new TreeMap<>();

  @Override
  public synchronized Optional<byte[]> get(String key) {
    byte[] v = map.get(key);
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  @Override
  public synchronized List<String> keys(String prefix) {
    List<String> out = new ArrayList<>();
    for (String k : map.tailMap(prefix, true).keySet()) {
      if (!k.startsWith(prefix)) {
        break;
      }
      out.add(k);
    }
    return out;
  }

  @Override
  public synchronized void write(Map<String, byte[]> puts, Set<String> deletes) {
    for (String k : deletes) {
      byte[] old = map.remove(k);
      if (old != null) {
        Arrays.fill(old, (byte) 0);
      }
    }
    for (Map.Entry<String, byte[]> e : puts.entrySet()) {
      byte[] old = map.put(e.getKey(), e.getValue().clone());
      if (old != null) {
        Arrays.fill(old, (byte) 0);
      }
    }
  }

  /** Every stored value concatenated (tests scan it for plaintext markers). */
  public synchronized byte[] dump() {
    int n = 0;
    for (byte[] v : map.values()) {
      n += v.length;
    }
    byte[] out = new byte[n];
    int p = 0;
    for (byte[] v : map.values()) {
      System.arraycopy(v, 0, out, p, v.length);
      p += v.length;
    }
    return out;
  }
}
