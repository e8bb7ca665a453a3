package org.sceau.bitmessage;

import java.math.BigInteger;

/**
 * The proof-of-work difficulty an address demands: nonce trials per byte and extra bytes. The
 * network minimum (and default) is 1000/1000; lower demands are raised to it.
 */
public record PowDifficulty(long nonceTrialsPerByte, long payloadLengthExtraBytes) {
  public static final long NETWORK_MINIMUM = 1000;
  public static final PowDifficulty DEFAULT = new PowDifficulty(1000, 1000);

  /** Demands above this are refused: they would make sending impossible anyway. */
  public static final long MAXIMUM = 1L << 40;

  public PowDifficulty {
    if (nonceTrialsPerByte < 0
        || payloadLengthExtraBytes < 0
        || nonceTrialsPerByte > MAXIMUM
        || payloadLengthExtraBytes > MAXIMUM) {
      throw new IllegalArgumentException("difficulty out of range");
    }
  }

  /** This difficulty with each value raised to the network minimum. */
  public PowDifficulty atLeastNetworkMinimum() {
    return new PowDifficulty(
        Math.max(nonceTrialsPerByte, NETWORK_MINIMUM),
        Math.max(payloadLengthExtraBytes, NETWORK_MINIMUM));
  }

  /**
   * The target, as an unsigned 64-bit value: {@code 2^64 / (ntpb × (L + extra + TTL × (L + extra) /
   * 2^16))} with integer division, as PyBitmessage 0.6 computes it. Uses the network minimums when
   * this difficulty is lower.
   *
   * @param objectLength the object's length including its 8-byte nonce
   * @param ttlSeconds expiresTime − now; values under 300 count as 300 (receiver rule)
   */
  public long target(long objectLength, long ttlSeconds) {
    PowDifficulty d = atLeastNetworkMinimum();
    BigInteger len =
        BigInteger.valueOf(objectLength).add(BigInteger.valueOf(d.payloadLengthExtraBytes));
    BigInteger ttl = BigInteger.valueOf(Math.max(ttlSeconds, 300));
    BigInteger denom =
        BigInteger.valueOf(d.nonceTrialsPerByte)
            .multiply(len.add(ttl.multiply(len).shiftRight(16)));
    BigInteger t = BigInteger.ONE.shiftLeft(64).divide(denom);
    return t.bitLength() > 64 ? -1L : t.longValue();
  }
}
