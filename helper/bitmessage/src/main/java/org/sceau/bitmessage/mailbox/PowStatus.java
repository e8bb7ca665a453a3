package org.sceau.bitmessage.mailbox;

import java.time.Duration;

/**
 * The proof-of-work queue: what runs now and how many jobs wait.
 *
 * @param running whether a search runs
 * @param job what it is for: {@code "pubkey"}, {@code "getpubkey"}, {@code "ack"}, {@code "msg"},
 *     {@code "broadcast"} (empty when idle)
 * @param messageId the outbox id it serves, or the identity's address for a pubkey (empty if none)
 * @param trials nonces tried so far
 * @param trialsPerSecond current rate
 * @param expectedTrials mean number of trials this search needs
 * @param expectedRemaining expected time to success at the current rate (memoryless: see {@link
 *     org.sceau.bitmessage.PowProgress})
 * @param queued jobs waiting behind it
 * @param threads the core cap
 */
public record PowStatus(
    boolean running,
    String job,
    String messageId,
    long trials,
    double trialsPerSecond,
    double expectedTrials,
    Duration expectedRemaining,
    int queued,
    int threads) {}
