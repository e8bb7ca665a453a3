package org.sceau.vault;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One stored item: its key within a namespace, its bytes and when it was last written.
 *
 * @param key unique within the namespace
 * @param value the stored bytes (defensively copied in and out)
 * @param updated time of the last write
 */
public record Record(String key, byte[] value, Instant updated) {
  public Record {
    Objects.requireNonNull(key, "key");
    value = value.clone();
    Objects.requireNonNull(updated, "updated");
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Record r
        && key.equals(r.key)
        && Arrays.equals(value, r.value)
        && updated.equals(r.updated);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(value), updated);
  }

  @Override
  public String toString() {
    // Never the value: it may be a secret.
    return "Record[key=" + key + ", " + value.length + " bytes, updated=" + updated + "]";
  }
}
