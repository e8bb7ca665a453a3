package org.sceau.bitmessage;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Helpers for the parser properties: mutations of valid inputs and an allocation bound. */
public final class Fuzz {
  private Fuzz() {}

  /** A decoder under test: may succeed or throw a BitmessageException, nothing else. */
  @FunctionalInterface
  public interface Decoder {
    void decode() throws Exception;
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * Runs the decoder and checks (1) any failure is a typed BitmessageException with a code, (2) the
   * bytes allocated stay within 64 × input + 1 MiB, far below what a hostile length field (up to
   * 2^64) would cost if it were trusted.
   */
  public static void onlyTypedErrors(int inputLength, Decoder d) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      d.decode();
    } catch (BitmessageException e) {
      assertNotNull(e.code());
      assertNotNull(e.getMessage());
    } catch (Exception e) {
      throw new AssertionError("untyped failure: " + e, e);
    }
    long used = THREADS.getCurrentThreadAllocatedBytes() - before;
    long bound = 64L * inputLength + (1 << 20);
    assertTrue(used <= bound, "allocated " + used + " bytes for " + inputLength + " input bytes");
  }

  /** Mutations of a seed: flipped bytes, truncation, insertion, 0xff runs (huge var_ints). */
  public static Arbitrary<byte[]> mutationsOf(Arbitrary<byte[]> seeds) {
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 4);
    Arbitrary<Integer> pos = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMaxSize(16);
    return Combinators.combine(seeds, kind, pos, pos, junk)
        .as(
            (seed, k, p1, p2, j) -> {
              if (seed.length == 0) {
                return j;
              }
              byte[] s = seed.clone();
              int i = p1 % s.length;
              switch (k) {
                case 0 -> {
                  s[i] ^= (byte) (1 << (p2 % 8));
                  s[p2 % s.length] ^= (byte) (p1 | 1);
                  return s;
                }
                case 1 -> {
                  return Arrays.copyOf(s, i);
                }
                case 2 -> {
                  byte[] out = new byte[s.length + j.length];
                  System.arraycopy(s, 0, out, 0, i);
                  System.arraycopy(j, 0, out, i, j.length);
                  System.arraycopy(s, i, out, i + j.length, s.length - i);
                  return out;
                }
                case 3 -> {
                  for (int x = i; x < Math.min(s.length, i + 1 + p2 % 9); x++) {
                    s[x] = (byte) 0xff;
                  }
                  return s;
                }
                default -> {
                  for (int x = 0; x < j.length && i + x < s.length; x++) {
                    s[i + x] = j[x];
                  }
                  return s;
                }
              }
            });
  }
}
