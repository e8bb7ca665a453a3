package org.sceau.openpgp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.security.MessageDigest;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The threaded digest sink gives exactly the plain digest, whatever the write pattern. */
class AsyncDigestOutTest {

  @Property(tries = 40)
  void equalsPlainDigestForAnyWritePatternAndThreshold(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    byte[] data = new byte[r.nextInt(3 * AsyncDigestOut.CHUNK * AsyncDigestOut.IN_FLIGHT / 2)];
    r.nextBytes(data);
    long threshold = r.nextBoolean() ? r.nextInt(1000) : r.nextInt(data.length + 1);
    AsyncDigestOut out = new AsyncDigestOut(MessageDigest.getInstance("SHA-512"), threshold);
    // Twice: digest() resets, so the sink can be used again like MessageDigest.
    for (int round = 0; round < 2; round++) {
      int off = 0;
      while (off < data.length) {
        if (r.nextInt(8) == 0) {
          out.write(data[off++]);
        } else {
          int n = Math.min(data.length - off, r.nextInt(r.nextBoolean() ? 100 : 600_000));
          out.write(data, off, n);
          off += n;
        }
      }
      assertArrayEquals(MessageDigest.getInstance("SHA-512").digest(data), out.digest());
    }
  }

  @Example
  void abandonedSinkLeavesNothingWaiting() throws Exception {
    AsyncDigestOut out = new AsyncDigestOut(MessageDigest.getInstance("SHA-512"), 0);
    out.write(new byte[5 * AsyncDigestOut.CHUNK]);
    // No digest(): the queued chunks run to completion on the pool; a fresh sink still works.
    AsyncDigestOut again = new AsyncDigestOut(MessageDigest.getInstance("SHA-512"), 0);
    again.write(new byte[AsyncDigestOut.CHUNK + 1]);
    assertArrayEquals(
        MessageDigest.getInstance("SHA-512").digest(new byte[AsyncDigestOut.CHUNK + 1]),
        again.digest());
  }
}
