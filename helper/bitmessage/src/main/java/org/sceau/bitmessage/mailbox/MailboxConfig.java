package org.sceau.bitmessage.mailbox;

import java.time.Clock;
import java.time.Duration;
import org.sceau.bitmessage.PowDifficulty;

/**
 * How the mailbox works its proofs of work and resends.
 *
 * @param minimumDifficulty the network's minimum difficulty: what own objects meet at least and
 *     what new identities demand from senders (the real network: 1000/1000; tests use a tiny one,
 *     the same as the node's)
 * @param powThreads the core cap: threads the proof of work may use (at least 1)
 * @param defaultTtl a message's lifetime on the network when the sender gives none (4 days)
 * @param tick how often queued work and resend deadlines are looked at
 * @param clock the time (tests move it forward to see resends)
 */
public record MailboxConfig(
    PowDifficulty minimumDifficulty,
    int powThreads,
    Duration defaultTtl,
    Duration tick,
    Clock clock) {

  public MailboxConfig {
    if (powThreads < 1) {
      throw new IllegalArgumentException("powThreads must be at least 1");
    }
    if (defaultTtl.compareTo(Duration.ofMinutes(5)) < 0
        || defaultTtl.compareTo(Duration.ofDays(28)) > 0) {
      throw new IllegalArgumentException("defaultTtl must be between 5 minutes and 28 days");
    }
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("tick must be positive");
    }
  }

  /** The real network's minimum, all cores but one (the desktop stays usable), 4-day messages. */
  public static MailboxConfig defaults() {
    return new MailboxConfig(
        PowDifficulty.DEFAULT,
        Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
        Duration.ofDays(4),
        Duration.ofSeconds(30),
        Clock.systemUTC());
  }

  public MailboxConfig withMinimumDifficulty(PowDifficulty d) {
    return new MailboxConfig(d, powThreads, defaultTtl, tick, clock);
  }

  public MailboxConfig withPowThreads(int threads) {
    return new MailboxConfig(minimumDifficulty, threads, defaultTtl, tick, clock);
  }

  public MailboxConfig withTick(Duration t) {
    return new MailboxConfig(minimumDifficulty, powThreads, defaultTtl, t, clock);
  }

  public MailboxConfig withClock(Clock c) {
    return new MailboxConfig(minimumDifficulty, powThreads, defaultTtl, tick, c);
  }
}
