package org.sceau.relay.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets keyed by device or source address. Memory is bounded: when the map grows past
 * {@code maxKeys}, full (idle) buckets are dropped, which loses nothing since a full bucket is what
 * a new key starts with.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final int maxKeys;
  private final ConcurrentHashMap<Object, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double perSecond, double burst, int maxKeys) {
    this.perSecond = perSecond;
    this.burst = Math.max(burst, 1);
    this.maxKeys = maxKeys;
  }

  /** Takes {@code cost} tokens; returns 0 if allowed, else the milliseconds to wait. */
  public long take(Object key, double cost) {
    if (perSecond <= 0) {
      return 0; // unlimited
    }
    if (buckets.size() > maxKeys) {
      sweep();
    }
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst));
    synchronized (b) {
      long now = System.nanoTime();
      b.tokens = Math.min(burst, b.tokens + (now - b.last) / 1e9 * perSecond);
      b.last = now;
      if (b.tokens >= cost) {
        b.tokens -= cost;
        return 0;
      }
      return (long) Math.ceil((cost - b.tokens) / perSecond * 1000);
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    buckets
        .entrySet()
        .removeIf(
            e -> {
              Bucket b = e.getValue();
              synchronized (b) {
                return b.tokens + (now - b.last) / 1e9 * perSecond >= burst;
              }
            });
  }

  private static final class Bucket {
    double tokens;
    long last = System.nanoTime();

    Bucket(double tokens) {
      this.tokens = tokens;
    }
  }
}
