package org.sceau.bitmessage.internal.simd;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Proof-of-work trials for several consecutive nonces at once, one nonce per SIMD lane (8 lanes
 * with AVX-512, 4 with AVX2), using the incubating Vector API of JDK 17.
 *
 * <p>Why: the SHA-512 round is a long chain of 64-bit rotates, xors and adds; scalar code cannot go
 * past what one core's ALUs do per cycle, while the same chain applied to 4–8 independent nonces in
 * vector registers costs about the same number of instructions. Only loaded when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}; {@code PowEngine} falls back to the JDK's {@code
 * MessageDigest} otherwise. One instance per thread (scratch arrays).
 *
 * <p>Specialised for the proof-of-work input: the 72-byte {@code nonce ‖ initialHash} and the
 * 64-byte first digest each fit one block, so there is no buffering or padding logic (the padding
 * and length words are written once, in the constructor); the second hash only finishes its first
 * output word; Maj reuses the previous round's {@code a ^ b}.
 */
public final class VectorPowHash {
  private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final long PAD = 0x8000000000000000L;
  private static final long[] K = {
    0x428a2f98d728ae22L, 0x7137449123ef65cdL, 0xb5c0fbcfec4d3b2fL, 0xe9b5dba58189dbbcL,
    0x3956c25bf348b538L, 0x59f111f1b605d019L, 0x923f82a4af194f9bL, 0xab1c5ed5da6d8118L,
    0xd807aa98a3030242L, 0x12835b0145706fbeL, 0x243185be4ee4b28cL, 0x550c7dc3d5ffb4e2L,
    0x72be5d74f27b896fL, 0x80deb1fe3b1696b1L, 0x9bdc06a725c71235L, 0xc19bf174cf692694L,
    0xe49b69c19ef14ad2L, 0xefbe4786384f25e3L, 0x0fc19dc68b8cd5b5L, 0x240ca1cc77ac9c65L,
    0x2de92c6f592b0275L, 0x4a7484aa6ea6e483L, 0x5cb0a9dcbd41fbd4L, 0x76f988da831153b5L,
    0x983e5152ee66dfabL, 0xa831c66d2db43210L, 0xb00327c898fb213fL, 0xbf597fc7beef0ee4L,
    0xc6e00bf33da88fc2L, 0xd5a79147930aa725L, 0x06ca6351e003826fL, 0x142929670a0e6e70L,
    0x27b70a8546d22ffcL, 0x2e1b21385c26c926L, 0x4d2c6dfc5ac42aedL, 0x53380d139d95b3dfL,
    0x650a73548baf63deL, 0x766a0abb3c77b2a8L, 0x81c2c92e47edaee6L, 0x92722c851482353bL,
    0xa2bfe8a14cf10364L, 0xa81a664bbc423001L, 0xc24b8b70d0f89791L, 0xc76c51a30654be30L,
    0xd192e819d6ef5218L, 0xd69906245565a910L, 0xf40e35855771202aL, 0x106aa07032bbd1b8L,
    0x19a4c116b8d2d0c8L, 0x1e376c085141ab53L, 0x2748774cdf8eeb99L, 0x34b0bcb5e19b48a8L,
    0x391c0cb3c5c95a63L, 0x4ed8aa4ae3418acbL, 0x5b9cca4f7763e373L, 0x682e6ff3d6b2b8a3L,
    0x748f82ee5defb2fcL, 0x78a5636f43172f60L, 0x84c87814a1f0ab72L, 0x8cc702081a6439ecL,
    0x90befffa23631e28L, 0xa4506cebde82bde9L, 0xbef9a3f7b2c67915L, 0xc67178f2e372532bL,
    0xca273eceea26619cL, 0xd186b8c721c0c207L, 0xeada7dd6cde0eb1eL, 0xf57d4f7fee6ed178L,
    0x06f067aa72176fbaL, 0x0a637dc5a2c898a6L, 0x113f9804bef90daeL, 0x1b710b35131c471bL,
    0x28db77f523047d84L, 0x32caab7b40c72493L, 0x3c9ebe0a15c9bebcL, 0x431d67c49c100d4cL,
    0x4cc5d4becb3e42b6L, 0x597f299cfc657e2aL, 0x5fcb6fab3ad6faecL, 0x6c44198c4a475817L
  };
  private static final long[] IV = {
    0x6a09e667f3bcc908L, 0xbb67ae8584caa73bL, 0x3c6ef372fe94f82bL, 0xa54ff53a5f1d36f1L,
    0x510e527fade682d1L, 0x9b05688c2b3e6c1fL, 0x1f83d9abfb41bd6bL, 0x5be0cd19137e2179L
  };
  private static final long[] IOTA = new long[L];

  static {
    for (int i = 0; i < L; i++) {
      IOTA[i] = i;
    }
  }

  /** Block-1 schedule, lane-interleaved: word t of lane i at [t * L + i]. */
  private final long[] w1 = new long[80 * L];

  /** Block-2 schedule. */
  private final long[] w2 = new long[80 * L];

  private final long[] out = new long[L];
  private final LongVector iota = LongVector.fromArray(S, IOTA, 0);

  /**
   * @param initialHash the initial hash as 8 big-endian words
   */
  public VectorPowHash(long[] initialHash) {
    for (int lane = 0; lane < L; lane++) {
      for (int i = 0; i < 8; i++) {
        w1[(1 + i) * L + lane] = initialHash[i];
      }
      w1[9 * L + lane] = PAD;
      w1[15 * L + lane] = 576;
      w2[8 * L + lane] = PAD;
      w2[15 * L + lane] = 512;
    }
  }

  /** Nonces tried per call of {@link #search}. */
  public static int lanes() {
    return L;
  }

  /**
   * Tries nonces {@code base .. base + lanes() - 1}.
   *
   * @return the lane index of the first nonce whose trial value is ≤ target (unsigned), or -1
   */
  public int search(long base, long target) {
    iota.add(base).intoArray(w1, 0);
    compress(w1, w2, 8);
    compress(w2, out, 1);
    LongVector a = LongVector.fromArray(S, out, 0);
    // Unsigned a <= target, via the sign-flip trick (works on every Vector API version).
    VectorMask<Long> ok =
        a.lanewise(VectorOperators.XOR, Long.MIN_VALUE)
            .compare(VectorOperators.LE, target ^ Long.MIN_VALUE);
    return ok.anyTrue() ? ok.firstTrue() : -1;
  }

  /** Trial values of the lanes, for tests: fills {@code out[0..lanes())}. */
  public void trials(long base, long[] results) {
    iota.add(base).intoArray(w1, 0);
    compress(w1, w2, 8);
    compress(w2, out, 1);
    System.arraycopy(out, 0, results, 0, L);
  }

  /**
   * One SHA-512 compression of the lane-interleaved block {@code w} (words 0..15 set) from the
   * standard IV; writes the first {@code words} output words (state + IV) to {@code dst}.
   * Everything crosses method boundaries through arrays, never as vector objects, so the JIT keeps
   * vectors in registers instead of boxing them.
   */
  private static void compress(long[] w, long[] dst, int words) {
    for (int t = 16; t < 80; t++) {
      LongVector x2 = LongVector.fromArray(S, w, (t - 2) * L);
      LongVector x15 = LongVector.fromArray(S, w, (t - 15) * L);
      LongVector s1 =
          x2.lanewise(VectorOperators.ROR, 19)
              .lanewise(VectorOperators.XOR, x2.lanewise(VectorOperators.ROR, 61))
              .lanewise(VectorOperators.XOR, x2.lanewise(VectorOperators.LSHR, 6));
      LongVector s0 =
          x15.lanewise(VectorOperators.ROR, 1)
              .lanewise(VectorOperators.XOR, x15.lanewise(VectorOperators.ROR, 8))
              .lanewise(VectorOperators.XOR, x15.lanewise(VectorOperators.LSHR, 7));
      s1.add(s0)
          .add(LongVector.fromArray(S, w, (t - 7) * L))
          .add(LongVector.fromArray(S, w, (t - 16) * L))
          .intoArray(w, t * L);
    }
    LongVector a = LongVector.broadcast(S, IV[0]);
    LongVector b = LongVector.broadcast(S, IV[1]);
    LongVector c = LongVector.broadcast(S, IV[2]);
    LongVector d = LongVector.broadcast(S, IV[3]);
    LongVector e = LongVector.broadcast(S, IV[4]);
    LongVector f = LongVector.broadcast(S, IV[5]);
    LongVector g = LongVector.broadcast(S, IV[6]);
    LongVector h = LongVector.broadcast(S, IV[7]);
    LongVector bc = b.lanewise(VectorOperators.XOR, c);
    for (int t = 0; t < 80; t++) {
      LongVector bigS1 =
          e.lanewise(VectorOperators.ROR, 14)
              .lanewise(VectorOperators.XOR, e.lanewise(VectorOperators.ROR, 18))
              .lanewise(VectorOperators.XOR, e.lanewise(VectorOperators.ROR, 41));
      LongVector ch = g.lanewise(VectorOperators.XOR, e.and(f.lanewise(VectorOperators.XOR, g)));
      LongVector t1 = h.add(bigS1).add(ch).add(LongVector.fromArray(S, w, t * L)).add(K[t]);
      LongVector bigS0 =
          a.lanewise(VectorOperators.ROR, 28)
              .lanewise(VectorOperators.XOR, a.lanewise(VectorOperators.ROR, 34))
              .lanewise(VectorOperators.XOR, a.lanewise(VectorOperators.ROR, 39));
      // Maj(a,b,c) = b ^ ((a ^ b) & (b ^ c)); this round's a ^ b is the next round's b ^ c.
      LongVector ab = a.lanewise(VectorOperators.XOR, b);
      LongVector maj = b.lanewise(VectorOperators.XOR, ab.and(bc));
      bc = ab;
      h = g;
      g = f;
      f = e;
      e = d.add(t1);
      d = c;
      c = b;
      b = a;
      a = t1.add(bigS0.add(maj));
    }
    a.add(IV[0]).intoArray(dst, 0);
    if (words == 8) {
      b.add(IV[1]).intoArray(dst, L);
      c.add(IV[2]).intoArray(dst, 2 * L);
      d.add(IV[3]).intoArray(dst, 3 * L);
      e.add(IV[4]).intoArray(dst, 4 * L);
      f.add(IV[5]).intoArray(dst, 5 * L);
      g.add(IV[6]).intoArray(dst, 6 * L);
      h.add(IV[7]).intoArray(dst, 7 * L);
    }
  }
}
