package org.sceau.bitmessage;

import org.sceau.bitmessage.internal.Bytes;
import org.sceau.bitmessage.internal.Hashes;
import org.sceau.bitmessage.internal.PowEngine;

/**
 * Bitmessage proof of work: finds a nonce whose trial value {@code u64(SHA512(SHA512(nonce ‖
 * SHA512(object without nonce)))[0:8])} is at most the target the difficulty and TTL give.
 *
 * <p>The search runs on its own daemon threads at minimum priority (honoured where the OS lets a
 * user lower it), one nonce per SIMD lane when the JVM has {@code jdk.incubator.vector}, reports
 * progress, and stops within milliseconds of {@link PowJob#cancel()}. Pass a thread count below the
 * number of cores to keep the desktop responsive. Verification of received objects is {@link
 * #check}.
 *
 * <pre>{@code
 * ProofOfWork pow = ProofOfWork.create();                 // all cores
 * PowJob job = pow.start(pending, p -> ui.show(p.expectedRemaining()));
 * BitmessageObject done = pending.complete(job.await());
 * }</pre>
 */
public interface ProofOfWork {

  /**
   * Starts a search for a nonce with trial value ≤ {@code target} (unsigned).
   *
   * @param initialHash SHA-512 of the object without its nonce (64 bytes)
   * @param listener called from a search thread about every half second; may be null
   */
  PowJob start(byte[] initialHash, long target, PowListener listener);

  /** Starts the proof of work of an object built by {@link ObjectBuilder}, TTL counted from now. */
  default PowJob start(PendingObject pending, PowListener listener) {
    return start(
        pending.initialHash(), pending.target(System.currentTimeMillis() / 1000), listener);
  }

  /** Blocking: does the proof of work of {@code pending} and returns the finished object. */
  default BitmessageObject solve(PendingObject pending)
      throws PowCancelledException, InterruptedException {
    return pending.complete(start(pending, null).await());
  }

  /** Number of search threads. */
  int threads();

  /** True if the search uses SIMD lanes (Vector API), false for the scalar search. */
  boolean usesSimd();

  /** A search on all available cores. */
  static ProofOfWork create() {
    return new PowEngine(Runtime.getRuntime().availableProcessors(), true);
  }

  /** A search on {@code threads} threads (a core cap keeps the desktop usable). */
  static ProofOfWork create(int threads) {
    return new PowEngine(threads, true);
  }

  /** The trial value of a complete object (its first 8 bytes are the nonce). */
  static long trialValue(byte[] object) {
    byte[] initial = Hashes.sha512(object, 8, object.length - 8);
    byte[] nonce = java.util.Arrays.copyOf(object, 8);
    return Bytes.u64(Hashes.doubleSha512(nonce, initial), 0);
  }

  /**
   * Verifies a received object's proof of work as PyBitmessage's isProofOfWorkSufficient does: the
   * difficulty is raised to the network minimum, TTL = expiresTime − now (at least 300 s).
   *
   * @param now the receive time, seconds since the epoch
   */
  static void check(BitmessageObject object, PowDifficulty difficulty, long now)
      throws InsufficientPowException {
    byte[] bytes = object.encode();
    long target = difficulty.target(bytes.length, object.expiresTime() - now);
    if (Long.compareUnsigned(trialValue(bytes), target) > 0) {
      throw new InsufficientPowException(
          "the object's proof of work is below the demanded difficulty");
    }
  }
}
