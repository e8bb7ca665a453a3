package org.sceau.chat.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A device on the relay, named by its 32-byte Ed25519 public key (RFC 8032). The relay knows
 * devices only by this key: it authenticates a connection by a signature with the matching private
 * key.
 */
public final class DeviceId implements Comparable<DeviceId> {
  public static final int LENGTH = 32;

  private final byte[] key;
  private final int hash; // ids are map keys on the relay's hot path

  private DeviceId(byte[] key) {
    this.key = key;
    this.hash = Arrays.hashCode(key);
  }

  /** Copies {@code publicKey}, which must be exactly 32 bytes. */
  public static DeviceId of(byte[] publicKey) {
    if (publicKey == null || publicKey.length != LENGTH) {
      throw new IllegalArgumentException("a device id is a 32-byte Ed25519 public key");
    }
    return new DeviceId(publicKey.clone());
  }

  /** Parses the 64-character lowercase hex form of {@link #hex()}. */
  public static DeviceId ofHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  /** A copy of the 32-byte Ed25519 public key. */
  public byte[] publicKey() {
    return key.clone();
  }

  /** Lowercase hex of the key: a stable textual id (storage keys, logs). */
  public String hex() {
    return HexFormat.of().formatHex(key);
  }

  byte[] rawUnsafe() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceId d && d.hash == hash && Arrays.equals(key, d.key);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(DeviceId o) {
    return Arrays.compareUnsigned(key, o.key);
  }

  /** A short form for logs: the first 8 hex digits. */
  @Override
  public String toString() {
    return "device:" + hex().substring(0, 8);
  }
}
