package org.sceau.chat.internal;

import java.util.function.LongUnaryOperator;

/**
 * Reconnect delays: exponential from {@code baseMillis}, capped at {@code maxMillis}, with "full
 * jitter" (a uniform draw in [0, cap]) so that clients cut off by one relay restart do not all come
 * back at the same instant. {@link #reset} after a successful connection.
 */
public final class Backoff {
  private final long baseMillis;
  private final long maxMillis;
  private final LongUnaryOperator uniformBelow;
  private int attempt;

  /** {@code uniformBelow.applyAsLong(n)} returns a uniform value in [0, n). */
  public Backoff(long baseMillis, long maxMillis, LongUnaryOperator uniformBelow) {
    if (baseMillis <= 0 || maxMillis < baseMillis) {
      throw new IllegalArgumentException("0 < base <= max");
    }
    this.baseMillis = baseMillis;
    this.maxMillis = maxMillis;
    this.uniformBelow = uniformBelow;
  }

  /** The delay before the next attempt. */
  public synchronized long nextDelayMillis() {
    long cap = baseMillis << Math.min(attempt, 30);
    if (cap <= 0 || cap > maxMillis) {
      cap = maxMillis;
    }
    attempt++;
    // At least a tenth of the cap, so a tight loop is impossible even with an unlucky draw.
    return cap / 10 + uniformBelow.applyAsLong(cap - cap / 10 + 1);
  }

  public synchronized void reset() {
    attempt = 0;
  }
}
