package org.sceau.bitmessage;

import java.util.Arrays;

/**
 * What a pubkey object tells about an address: its two public keys (64 bytes X‖Y each), the
 * behaviour bitfield and the proof-of-work difficulty its owner demands from senders. Obtained from
 * {@link Identity#publicIdentity()} or by reading someone's pubkey object.
 */
public record PublicIdentity(
    BitmessageAddress address,
    int behavior,
    byte[] signingKey,
    byte[] encryptionKey,
    PowDifficulty difficulty) {

  /** Behaviour bit: the owner sends acknowledgements (PyBitmessage always sets it). */
  public static final int DOES_ACK = 1;

  public PublicIdentity {
    if (signingKey.length != 64 || encryptionKey.length != 64) {
      throw new IllegalArgumentException("public keys must be 64 bytes");
    }
    if (!Arrays.equals(BitmessageAddress.ripeOf(signingKey, encryptionKey), address.ripe())) {
      throw new IllegalArgumentException("keys do not belong to the address");
    }
    signingKey = signingKey.clone();
    encryptionKey = encryptionKey.clone();
  }

  @Override
  public byte[] signingKey() {
    return signingKey.clone();
  }

  @Override
  public byte[] encryptionKey() {
    return encryptionKey.clone();
  }

  public boolean doesAck() {
    return (behavior & DOES_ACK) != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicIdentity p
        && p.address.equals(address)
        && p.behavior == behavior
        && Arrays.equals(p.signingKey, signingKey)
        && Arrays.equals(p.encryptionKey, encryptionKey)
        && p.difficulty.equals(difficulty);
  }

  @Override
  public int hashCode() {
    return address.hashCode();
  }

  @Override
  public String toString() {
    return "PublicIdentity[" + address + ", " + difficulty + "]";
  }
}
