package org.sceau.bitmessage;

import java.util.Arrays;
import org.sceau.bitmessage.internal.Hashes;
import org.sceau.bitmessage.internal.WireWriter;

/**
 * An object built and signed but still without its proof of work: the bytes the nonce will be
 * prepended to, its expiry, and the difficulty to meet. {@link ProofOfWork} turns it into a {@link
 * BitmessageObject}.
 */
public final class PendingObject {
  private final byte[] withoutNonce;
  private final long expiresTime;
  private final PowDifficulty difficulty;

  public PendingObject(byte[] withoutNonce, long expiresTime, PowDifficulty difficulty) {
    this.withoutNonce = withoutNonce.clone();
    this.expiresTime = expiresTime;
    this.difficulty = difficulty.atLeastNetworkMinimum();
  }

  public long expiresTime() {
    return expiresTime;
  }

  public PowDifficulty difficulty() {
    return difficulty;
  }

  /** Length of the finished object, nonce included. */
  public int length() {
    return withoutNonce.length + 8;
  }

  /** SHA-512 of the object without its nonce. */
  public byte[] initialHash() {
    return Hashes.sha512(withoutNonce);
  }

  /** The target for a search started at {@code now} (seconds since the epoch). */
  public long target(long now) {
    return difficulty.target(length(), expiresTime - now);
  }

  /** The finished object with this nonce (not checked: see {@link ProofOfWork#check}). */
  public BitmessageObject complete(long nonce) {
    byte[] full = new WireWriter(length()).u64(nonce).bytes(withoutNonce).toByteArray();
    try {
      return ObjectCodec.decode(full);
    } catch (BitmessageException e) {
      throw new IllegalStateException("built an undecodable object", e);
    }
  }

  @Override
  public String toString() {
    return "PendingObject[" + length() + " bytes, expires " + expiresTime + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PendingObject p
        && Arrays.equals(p.withoutNonce, withoutNonce)
        && p.expiresTime == expiresTime
        && p.difficulty.equals(difficulty);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(withoutNonce);
  }
}
