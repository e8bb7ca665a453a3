package org.sceau.bitmessage.internal;

import org.sceau.bitmessage.internal.simd.VectorPowHash;

/** Adapts {@link VectorPowHash} (lanes of consecutive nonces) to the engine's searcher. */
final class SimdSearcher {
  private SimdSearcher() {}

  static int lanes() {
    return VectorPowHash.lanes();
  }

  /** Compares every lane's trial value with Bouncy Castle's SHA-512 for a few vectors of nonces. */
  static boolean agreesWithScalar(byte[] initialHash) {
    long[] words = new long[8];
    for (int i = 0; i < 8; i++) {
      words[i] = Bytes.u64(initialHash, 8 * i);
    }
    VectorPowHash v = new VectorPowHash(words);
    int lanes = VectorPowHash.lanes();
    long[] out = new long[lanes];
    for (long base = 0; base < 4L * lanes; base += lanes) {
      v.trials(base, out);
      for (int i = 0; i < lanes; i++) {
        if (out[i] != PowEngine.trial(initialHash, base + i)) {
          return false;
        }
      }
    }
    return true;
  }

  static PowEngine.Searcher create(byte[] initialHash) {
    long[] words = new long[8];
    for (int i = 0; i < 8; i++) {
      words[i] = Bytes.u64(initialHash, 8 * i);
    }
    VectorPowHash v = new VectorPowHash(words);
    int lanes = VectorPowHash.lanes();
    return (from, count, target) -> {
      int i = 0;
      for (; i + lanes <= count; i += lanes) {
        int lane = v.search(from + i, target);
        if (lane >= 0) {
          return i + lane;
        }
      }
      // Tail shorter than a vector: the lanes past count are ignored.
      if (i < count) {
        int lane = v.search(from + i, target);
        if (lane >= 0 && i + lane < count) {
          return i + lane;
        }
      }
      return -1;
    };
  }
}
