package org.sceau.bitmessage.node.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Misbehaviour points per address (they add up across a peer's connections) and the bans they lead
 * to. Both maps are bounded. 127.0.0.1 and ::1 are never banned: every peer arriving through a
 * local onion service comes from there.
 */
final class Bans {
  static final int BAN_SCORE = 100;
  static final long BAN_NANOS = TimeUnit.HOURS.toNanos(1);
  static final int MAX_ENTRIES = 10_000;

  private final Map<String, Long> bannedUntilNanos = new ConcurrentHashMap<>();
  private final Map<String, Integer> scores = new ConcurrentHashMap<>();

  /** Who points are counted against: the dialled host, or the remote IP. */
  static String key(Connection c) {
    if (c.outbound && c.peer != null) {
      return c.peer.host();
    }
    return c.remoteIp == null ? "?" : c.remoteIp.getHostAddress();
  }

  static boolean exempt(InetAddress a) {
    if (a == null) {
      return true;
    }
    byte[] b = a.getAddress();
    return (b.length == 4 && b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1)
        || (a instanceof Inet6Address && a.isLoopbackAddress());
  }

  /**
   * Adds points to {@code c}'s address.
   *
   * @return true when the address has reached {@link #BAN_SCORE} (and is now banned, unless exempt)
   */
  boolean add(Connection c, int points) {
    if (scores.size() > MAX_ENTRIES) {
      // Forgetting old scores costs little; an unbounded map could cost the node.
      scores.clear();
    }
    String key = key(c);
    if (scores.merge(key, points, Integer::sum) < BAN_SCORE) {
      return false;
    }
    scores.remove(key);
    ban(c);
    return true;
  }

  void ban(Connection c) {
    if (bannedUntilNanos.size() > MAX_ENTRIES) {
      bannedUntilNanos.values().removeIf(t -> t - System.nanoTime() < 0);
      if (bannedUntilNanos.size() > MAX_ENTRIES) {
        return;
      }
    }
    if ((c.outbound && c.peer != null) || !exempt(c.remoteIp)) {
      bannedUntilNanos.put(key(c), System.nanoTime() + BAN_NANOS);
    }
  }

  boolean banned(InetAddress a) {
    return a != null && banned(a.getHostAddress());
  }

  boolean banned(String key) {
    Long until = bannedUntilNanos.get(key);
    if (until == null) {
      return false;
    }
    if (until - System.nanoTime() < 0) {
      bannedUntilNanos.remove(key);
      return false;
    }
    return true;
  }
}
