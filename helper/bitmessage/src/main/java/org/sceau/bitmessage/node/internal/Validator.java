package org.sceau.bitmessage.node.internal;

import java.math.BigInteger;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.ObjectCodec;
import org.sceau.bitmessage.PowDifficulty;

/**
 * The checks an object passes before it is stored or relayed, as PyBitmessage's network/bmobject.py
 * makes them: size, expiry window, stream, per-type sizes, proof of work.
 */
public final class Validator {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  /** The only stream this node serves (all of the network in practice). */
  public static final long STREAM = 1;

  /** Why an object was refused. */
  public enum Rejection {
    TOO_LARGE("object over the 2^18-byte limit"),
    EXPIRED("object expired more than an hour ago"),
    TOO_FAR_AHEAD("object expires more than 28 days and 3 hours ahead"),
    WRONG_STREAM("object is not for stream 1"),
    BAD_SIZE("object size is out of range for its type"),
    INSUFFICIENT_POW("object proof of work is below the node's minimum difficulty");

    private final String message;

    Rejection(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }
  }

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

  /**
   * Checks {@code o} (whose encoding is {@code raw}) at time {@code now}.
   *
   * @return null if acceptable, otherwise why not
   */
  public static Rejection check(BitmessageObject o, byte[] raw, PowDifficulty d, long now) {
    int length = raw.length;
    if (length > ObjectCodec.MAX_OBJECT_LENGTH) {
      return Rejection.TOO_LARGE;
    }
    long ttl = o.expiresTime() - now;
    if (ttl > ObjectCodec.MAX_TTL_SECONDS) {
      return Rejection.TOO_FAR_AHEAD;
    }
    if (ttl < -ObjectCodec.EXPIRED_TOLERANCE_SECONDS) {
      return Rejection.EXPIRED;
    }
    if (o.stream() != STREAM) {
      return Rejection.WRONG_STREAM;
    }
    long t = o.objectType();
    if ((t == BitmessageObject.GETPUBKEY && length < 42)
        || (t == BitmessageObject.PUBKEY && (length < 146 || length > 440))
        || (t == BitmessageObject.BROADCAST && (length < 180 || o.version() < 2))) {
      return Rejection.BAD_SIZE;
    }
    long target = target(d, length, ttl);
    if (Long.compareUnsigned(Digests.trialValue(raw), target) > 0) {
      return Rejection.INSUFFICIENT_POW;
    }
    return null;
  }
}
