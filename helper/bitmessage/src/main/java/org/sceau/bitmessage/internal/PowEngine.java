package org.sceau.bitmessage.internal;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.sceau.bitmessage.PowCancelledException;
import org.sceau.bitmessage.PowJob;
import org.sceau.bitmessage.PowListener;
import org.sceau.bitmessage.PowProgress;
import org.sceau.bitmessage.ProofOfWork;

/**
 * Multi-threaded nonce search. Threads take chunks of nonces from a shared counter, so no two try
 * the same nonce and a cancel is seen within one chunk (a few milliseconds). Threads are daemon and
 * low priority: PoW must not make the desktop unusable (PAIN-POINTS #1).
 */
public final class PowEngine implements ProofOfWork {
  /** Nonces per chunk: ~3 ms at 6 M trials/s, short enough for a prompt cancel. */
  static final int CHUNK = 1 << 14;

  private static final long PROGRESS_NANOS = 500_000_000L;

  private final int threads;
  private final boolean simd;

  public PowEngine(int threads, boolean allowSimd) {
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("threads must be 1..1024");
    }
    this.threads = threads;
    this.simd = allowSimd && Simd.available();
  }

  @Override
  public int threads() {
    return threads;
  }

  @Override
  public boolean usesSimd() {
    return simd;
  }

  @Override
  public PowJob start(byte[] initialHash, long target, PowListener listener) {
    if (initialHash.length != 64) {
      throw new IllegalArgumentException("initial hash must be 64 bytes");
    }
    Job job = new Job(initialHash.clone(), target, listener);
    for (int i = 0; i < threads; i++) {
      int id = i;
      Thread t = new Thread(() -> job.work(id), "bm-pow-" + i);
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      t.start();
    }
    return job;
  }

  /** A per-thread searcher over a range of nonces. */
  interface Searcher {
    /** Offset in [0, count) of the first nonce from {@code from} meeting the target, or -1. */
    int search(long from, int count, long target);
  }

  /**
   * The scalar search: the JDK's SHA-512 (an intrinsic on x86-64 and AArch64) with its buffers
   * reused, so no allocation per trial. Measured faster than a pure-Java specialised SHA-512, so
   * this is the fallback when the Vector API is not available.
   */
  static Searcher scalar(byte[] initialHash) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-512", e);
    }
    byte[] buf = new byte[72];
    System.arraycopy(initialHash, 0, buf, 8, 64);
    byte[] out = new byte[64];
    return (from, count, target) -> {
      try {
        for (int i = 0; i < count; i++) {
          Bytes.putU64(buf, 0, from + i);
          md.update(buf, 0, 72);
          md.digest(out, 0, 64);
          md.update(out, 0, 64);
          md.digest(out, 0, 64);
          if (Long.compareUnsigned(Bytes.u64(out, 0), target) <= 0) {
            return i;
          }
        }
        return -1;
      } catch (DigestException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** Reference trial value (Bouncy Castle): checks what the searchers find. */
  static long trial(byte[] initialHash, long nonce) {
    byte[] n = new byte[8];
    Bytes.putU64(n, 0, nonce);
    return Bytes.u64(Hashes.doubleSha512(n, initialHash), 0);
  }

  private final class Job implements PowJob {
    private final byte[] initialHash;
    private final long target;
    private final PowListener listener;
    private final AtomicLong next = new AtomicLong();
    private final LongAdder tried = new LongAdder();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private final double expectedTrials;

    Job(byte[] initialHash, long target, PowListener listener) {
      this.initialHash = initialHash;
      this.target = target;
      this.listener = listener;
      double t = target < 0 ? target + 0x1p64 : target;
      this.expectedTrials = 0x1p64 / Math.max(t, 1);
    }

    void work(int id) {
      try {
        Searcher s = simd ? Simd.searcher(initialHash) : scalar(initialHash);
        long lastReport = System.nanoTime();
        while (!stop.get()) {
          long from = next.getAndAdd(CHUNK);
          int hit = s.search(from, CHUNK, target);
          if (hit >= 0) {
            tried.add(hit + 1);
            long nonce = from + hit;
            // Checked with the independent (Bouncy Castle) implementation before it is used.
            boolean valid = Long.compareUnsigned(trial(initialHash, nonce), target) <= 0;
            if (stop.compareAndSet(false, true)) {
              if (valid) {
                result.complete(nonce);
              } else {
                result.completeExceptionally(
                    new IllegalStateException("the search returned a nonce that does not verify"));
              }
            }
            return;
          }
          tried.add(CHUNK);
          if (id == 0 && listener != null) {
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_NANOS) {
              lastReport = now;
              report(now);
            }
          }
        }
      } catch (RuntimeException | Error e) {
        stop.set(true);
        result.completeExceptionally(e);
      }
    }

    private void report(long now) {
      long done = tried.sum();
      double secs = Math.max((now - startNanos) / 1e9, 1e-9);
      double rate = done / secs;
      Duration eta =
          Duration.ofMillis((long) Math.min(expectedTrials / Math.max(rate, 1) * 1000, 1e15));
      try {
        listener.onProgress(new PowProgress(done, rate, expectedTrials, eta));
      } catch (RuntimeException e) {
        // A failing listener must not kill the search.
      }
    }

    @Override
    public CompletableFuture<Long> nonce() {
      return result;
    }

    @Override
    public long await() throws PowCancelledException, InterruptedException {
      try {
        return result.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof PowCancelledException c) {
          throw new PowCancelledException(c.getMessage(), c);
        }
        throw new IllegalStateException("proof-of-work search failed", e.getCause());
      } catch (java.util.concurrent.CancellationException e) {
        throw new PowCancelledException("proof of work cancelled");
      }
    }

    @Override
    public void cancel() {
      if (stop.compareAndSet(false, true)) {
        result.completeExceptionally(new PowCancelledException("proof of work cancelled"));
      }
    }

    @Override
    public long trials() {
      return tried.sum();
    }
  }
}
