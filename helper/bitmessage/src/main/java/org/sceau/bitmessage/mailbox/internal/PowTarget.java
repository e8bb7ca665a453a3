package org.sceau.bitmessage.mailbox.internal;

import java.math.BigInteger;
import org.sceau.bitmessage.PowDifficulty;

/**
 * The proof-of-work target with a configurable network minimum. {@link PowDifficulty#target} raises
 * every demand to the real network's 1000/1000; a test network runs with a tiny minimum, so the
 * mailbox computes the same formula with its own floor.
 */
public final class PowTarget {
  private PowTarget() {}

  /** The demand raised to {@code minimum}, field by field. */
  public static PowDifficulty effective(PowDifficulty demanded, PowDifficulty minimum) {
    return new PowDifficulty(
        Math.max(demanded.nonceTrialsPerByte(), minimum.nonceTrialsPerByte()),
        Math.max(demanded.payloadLengthExtraBytes(), minimum.payloadLengthExtraBytes()));
  }

  /**
   * {@code 2^64 / (ntpb × (L + extra + TTL × (L + extra) / 2^16))}, integer division, TTL at least
   * 300 s (PROTOCOL-NOTES §3).
   */
  public static long target(PowDifficulty d, long objectLength, long ttlSeconds) {
    BigInteger len =
        BigInteger.valueOf(objectLength).add(BigInteger.valueOf(d.payloadLengthExtraBytes()));
    BigInteger ttl = BigInteger.valueOf(Math.max(ttlSeconds, 300));
    BigInteger denom =
        BigInteger.valueOf(Math.max(1, d.nonceTrialsPerByte()))
            .multiply(len.add(ttl.multiply(len).shiftRight(16)));
    BigInteger t = BigInteger.ONE.shiftLeft(64).divide(denom.max(BigInteger.ONE));
    return t.bitLength() > 64 ? -1L : t.longValue();
  }
}
