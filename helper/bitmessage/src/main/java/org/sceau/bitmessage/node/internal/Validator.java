package org.sceau.bitmessage.node.internal;

import java.math.BigInteger;
import org.sceau.bitmessage.PowDifficulty;

/** The checks an object passes before it is stored or relayed. */
public final class Validator {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private Validator() {}

  /** {@code 2^64 / (ntpb × (L + extra + TTL × (L + extra) / 2^16))}, integer division. */
  public static long target(PowDifficulty d, long objectLength, long ttlSeconds) {
    long ntpb = Math.max(1, d.nonceTrialsPerByte());
    BigInteger len =
        BigInteger.valueOf(objectLength).add(BigInteger.valueOf(d.payloadLengthExtraBytes()));
    BigInteger ttl = BigInteger.valueOf(Math.max(ttlSeconds, 300));
    BigInteger denom = BigInteger.valueOf(ntpb).multiply(len.add(ttl.multiply(len).shiftRight(16)));
    BigInteger t = TWO_64.divide(denom.max(BigInteger.ONE));
    return t.bitLength() > 64 ? -1L : t.longValue();
  }
}
