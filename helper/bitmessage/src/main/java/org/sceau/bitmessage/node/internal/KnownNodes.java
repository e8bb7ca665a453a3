package org.sceau.bitmessage.node.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.sceau.bitmessage.node.PeerAddress;

/**
 * Peers the node has heard of (stream 1): bounded, oldest-seen evicted first, saved to {@code
 * knownnodes.txt} ({@code host:port lastSeen} per line) with an atomic rename.
 */
public final class KnownNodes {
  /** PyBitmessage's per-stream cap. */
  public static final int MAX = 20_000;

  private static final int MAX_FILE_BYTES = 4 << 20;

  private final Path file;
  private final int max;
  private final Map<PeerAddress, Long> seen = new HashMap<>();
  private boolean dirty;

  private KnownNodes(Path file, int max) {
    this.file = file;
    this.max = max;
  }

  public static KnownNodes open(Path dir, int max) throws IOException {
    KnownNodes k = new KnownNodes(dir.resolve("knownnodes.txt"), max);
    if (Files.exists(k.file)) {
      // Bounded read, undecodable bytes replaced: a damaged file costs entries, never the start.
      byte[] raw;
      try (var in = Files.newInputStream(k.file)) {
        raw = in.readNBytes(MAX_FILE_BYTES);
      }
      for (String line : new String(raw, StandardCharsets.UTF_8).split("\n")) {
        if (k.seen.size() >= max) {
          break;
        }
        String[] f = line.trim().split(" ");
        if (f.length != 2) {
          continue;
        }
        try {
          k.seen.put(PeerAddress.parse(f[0]), Long.parseLong(f[1]));
        } catch (IllegalArgumentException e) {
          // A damaged line: skip it rather than lose the rest.
        }
      }
    }
    return k;
  }

  public synchronized void add(PeerAddress p, long time) {
    Long old = seen.get(p);
    if (old != null && old >= time) {
      return;
    }
    if (old == null && seen.size() >= max) {
      PeerAddress oldest = null;
      long t = Long.MAX_VALUE;
      for (Map.Entry<PeerAddress, Long> e : seen.entrySet()) {
        if (e.getValue() < t) {
          t = e.getValue();
          oldest = e.getKey();
        }
      }
      if (oldest == null || t >= time) {
        return;
      }
      seen.remove(oldest);
    }
    seen.put(p, time);
    dirty = true;
  }

  public synchronized void remove(PeerAddress p) {
    if (seen.remove(p) != null) {
      dirty = true;
    }
  }

  public synchronized int size() {
    return seen.size();
  }

  public synchronized boolean contains(PeerAddress p) {
    return seen.containsKey(p);
  }

  /** Up to {@code n} entries seen since {@code since}, most recent first. */
  public synchronized List<Map.Entry<PeerAddress, Long>> recent(long since, int n) {
    List<Map.Entry<PeerAddress, Long>> out = new ArrayList<>();
    for (Map.Entry<PeerAddress, Long> e : seen.entrySet()) {
      if (e.getValue() >= since) {
        out.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    out.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    return out.subList(0, Math.min(n, out.size()));
  }

  /** All addresses in random order. */
  public synchronized List<PeerAddress> shuffled(Random rnd) {
    List<PeerAddress> out = new ArrayList<>(seen.keySet());
    Collections.shuffle(out, rnd);
    return out;
  }

  /** Writes the file if anything changed. */
  public void save() throws IOException {
    StringBuilder sb = new StringBuilder();
    synchronized (this) {
      if (!dirty) {
        return;
      }
      for (Map.Entry<PeerAddress, Long> e : seen.entrySet()) {
        sb.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
      }
      dirty = false;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, sb, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
