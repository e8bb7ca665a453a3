package org.sceau.bitmessage;

import java.util.concurrent.CompletableFuture;

/** A running proof-of-work search. */
public interface PowJob {
  /** Completes with the nonce, or exceptionally with {@link PowCancelledException}. */
  CompletableFuture<Long> nonce();

  /** Waits for the nonce. An interrupt ends the wait, not the search: call {@link #cancel()}. */
  long await() throws PowCancelledException, InterruptedException;

  /** Stops the search; threads exit within a few milliseconds. Idempotent. */
  void cancel();

  /** Nonces tried so far. */
  long trials();
}
