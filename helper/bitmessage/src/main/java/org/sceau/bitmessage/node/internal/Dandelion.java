package org.sceau.bitmessage.node.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.sceau.bitmessage.NetworkAddress;

/**
 * Dandelion++ state as PyBitmessage keeps it (network/dandelion.py): objects in stem phase with
 * their child and fluff time, objects announced to us by {@code dinv}, up to two outbound stem
 * peers re-chosen every ten minutes, and a fixed child per parent within that epoch.
 */
final class Dandelion {
  static final int MAX_STEMS = 2;
  static final long EPOCH_NANOS = TimeUnit.SECONDS.toNanos(600);
  static final int MAX_INCOMING = 100_000;

  /** Stands for "created here" as a parent. */
  static final Object SELF = new Object();

  /** Where an object in stem phase was sent, and when it is fluffed anyway. */
  record Stem(Connection child, long fluffAtNanos) {}

  /** The child chosen for an object, and whether to announce it with {@code dinv}. */
  record Route(Connection child, boolean dinv) {}

  private final int percent;
  private final Random rnd;
  private final Map<HashKey, Stem> stems = new ConcurrentHashMap<>();
  private final Map<HashKey, Connection> incoming = new ConcurrentHashMap<>();
  private final List<Connection> stemPeers = new ArrayList<>();
  private final Map<Object, Connection> routes = new HashMap<>();
  private long epochNanos = System.nanoTime();

  /**
   * @param percent chance (1–100) of announcing to the child with dinv rather than inv; 0 = off
   */
  Dandelion(int percent, Random rnd) {
    this.percent = percent;
    this.rnd = rnd;
  }

  boolean enabled() {
    return percent > 0;
  }

  boolean inStem(HashKey k) {
    return stems.containsKey(k);
  }

  /** The child of a stem object, or null when {@code k} is not in stem phase. */
  Connection child(HashKey k) {
    Stem s = stems.get(k);
    return s == null ? null : s.child();
  }

  /** Ends the stem phase of {@code k}; true if it was in it (the caller then fluffs). */
  boolean end(HashKey k) {
    return stems.remove(k) != null;
  }

  /** {@code from} announced {@code k} by dinv: once received, it continues the stem. */
  void noteIncoming(HashKey k, Connection from) {
    if (enabled() && incoming.size() < MAX_INCOMING) {
      incoming.put(k, from);
    }
  }

  /** The peer that announced {@code k} by dinv, if any (forgotten once asked). */
  Connection takeIncoming(HashKey k) {
    return incoming.remove(k);
  }

  /** An outbound peer that offers Dandelion was established: a stem candidate. */
  synchronized void offerStemPeer(Connection c) {
    if (enabled() && stemPeers.size() < MAX_STEMS) {
      stemPeers.add(c);
    }
  }

  /**
   * Starts the stem phase of {@code k} coming from {@code parent} (a connection or {@link #SELF}).
   *
   * @param candidates the current connections, to fill the stem set from
   * @return the child and the command to announce with, or null when there is no child (the caller
   *     then fluffs at once: unlike PyBitmessage, nothing waits for a new connection)
   */
  Route start(HashKey k, Object parent, Iterable<Connection> candidates) {
    if (!enabled()) {
      return null;
    }
    Connection child = childFor(parent, candidates);
    if (child == null) {
      return null;
    }
    double exp = -Math.log(1 - rnd.nextDouble()) * 30;
    long delay = TimeUnit.MILLISECONDS.toNanos((long) (1000 * (10 + Math.min(exp, 300))));
    stems.put(k, new Stem(child, System.nanoTime() + delay));
    return new Route(child, rnd.nextInt(100) + 1 <= percent);
  }

  private synchronized Connection childFor(Object parent, Iterable<Connection> candidates) {
    stemPeers.removeIf(x -> x.closed);
    if (System.nanoTime() - epochNanos > EPOCH_NANOS) {
      epochNanos = System.nanoTime();
      stemPeers.clear();
      routes.clear();
    }
    if (stemPeers.size() < MAX_STEMS) {
      List<Connection> fresh = new ArrayList<>();
      for (Connection c : candidates) {
        if (c.outbound
            && c.established
            && !c.closed
            && (c.services & NetworkAddress.NODE_DANDELION) != 0
            && !stemPeers.contains(c)) {
          fresh.add(c);
        }
      }
      Collections.shuffle(fresh, rnd);
      for (Connection c : fresh) {
        if (stemPeers.size() >= MAX_STEMS) {
          break;
        }
        stemPeers.add(c);
      }
    }
    Connection r = routes.get(parent);
    if (r != null && !r.closed && stemPeers.contains(r)) {
      return r;
    }
    List<Connection> options = new ArrayList<>(stemPeers);
    options.remove(parent);
    if (options.isEmpty()) {
      return null;
    }
    r = options.get(rnd.nextInt(options.size()));
    routes.put(parent, r);
    return r;
  }

  /** Objects whose stem timer ran out. */
  List<HashKey> due(long nowNanos) {
    List<HashKey> out = new ArrayList<>();
    for (Map.Entry<HashKey, Stem> e : stems.entrySet()) {
      if (e.getValue().fluffAtNanos() - nowNanos < 0) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /**
   * Forgets a closed connection.
   *
   * @return the stem objects it was the child of (to fluff now rather than at their timeout)
   */
  List<HashKey> forget(Connection c) {
    List<HashKey> orphaned = new ArrayList<>();
    for (Map.Entry<HashKey, Stem> e : stems.entrySet()) {
      if (e.getValue().child() == c) {
        orphaned.add(e.getKey());
      }
    }
    incoming.values().removeIf(x -> x == c);
    synchronized (this) {
      stemPeers.remove(c);
      routes.values().removeIf(x -> x == c);
      routes.remove(c);
    }
    return orphaned;
  }
}
