package org.sceau.bitmessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sceau.bitmessage.internal.Hashes;

/** The search: finds valid nonces on every thread count, reports progress, stops on cancel. */
class ProofOfWorkTest {
  private static final byte[] IH = Hashes.sha512(new byte[] {42});

  @Test
  @Timeout(20)
  void findsAValidNonceOnOneAndSeveralThreads() throws Exception {
    long target = Long.MAX_VALUE / 2000; // ~4000 expected trials
    for (int threads : new int[] {1, 2, 3}) {
      for (ProofOfWork pow :
          new ProofOfWork[] {
            ProofOfWork.create(threads), new org.sceau.bitmessage.internal.PowEngine(threads, false)
          }) {
        long nonce = pow.start(IH, target, null).await();
        byte[] n = new byte[8];
        for (int i = 0; i < 8; i++) {
          n[i] = (byte) (nonce >>> (56 - 8 * i));
        }
        long trial = org.sceau.bitmessage.internal.Bytes.u64(Hashes.doubleSha512(n, IH), 0);
        assertTrue(Long.compareUnsigned(trial, target) <= 0);
      }
    }
  }

  @Test
  @Timeout(20)
  void cancelStopsTheSearchWithTheTypedError() throws Exception {
    PowJob job = ProofOfWork.create(2).start(IH, 0, null); // target 0: practically never found
    Thread.sleep(50);
    job.cancel();
    PowCancelledException e = assertThrows(PowCancelledException.class, job::await);
    assertEquals(ErrorCode.POW_CANCELLED, e.code());
    long after = job.trials();
    Thread.sleep(100);
    // Threads have stopped: at most the chunks in flight were added.
    assertTrue(job.trials() - after <= 2L * 16384 + 64);
  }

  @Test
  @Timeout(20)
  void reportsProgressWithRateAndExpectedTime() throws Exception {
    CountDownLatch reported = new CountDownLatch(1);
    AtomicReference<PowProgress> seen = new AtomicReference<>();
    PowJob job =
        ProofOfWork.create(1)
            .start(
                IH,
                1L << 20,
                p -> {
                  seen.set(p);
                  reported.countDown();
                });
    assertTrue(reported.await(15, TimeUnit.SECONDS));
    job.cancel();
    PowProgress p = seen.get();
    assertTrue(p.trials() > 0);
    assertTrue(p.trialsPerSecond() > 0);
    assertEquals(Math.pow(2, 44), p.expectedTrials(), 1e6);
    assertTrue(p.expectedRemaining().toSeconds() > 0);
  }

  @Test
  void targetFollowsTheFormulaWithNetworkMinimums() {
    // 2^64 / (1000 * (1046 + 1000 + 345600 * 2046 / 65536)) — pow.json case 2.
    assertEquals(1437221976915L, PowDifficulty.DEFAULT.target(1046, 345600));
    // Demands below the minimum are raised to it.
    assertEquals(
        PowDifficulty.DEFAULT.target(1046, 345600), new PowDifficulty(1, 1).target(1046, 345600));
    // TTLs under 300 s count as 300 s.
    assertEquals(PowDifficulty.DEFAULT.target(54, 300), PowDifficulty.DEFAULT.target(54, -5000));
  }
}
