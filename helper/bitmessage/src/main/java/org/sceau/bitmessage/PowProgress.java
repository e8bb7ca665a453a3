package org.sceau.bitmessage;

import java.time.Duration;

/**
 * Progress of a search. The search is memoryless: {@code expectedRemaining} is the expected time
 * for a fresh search at the current rate, not a countdown (which is why it does not shrink).
 *
 * @param trials nonces tried so far
 * @param trialsPerSecond current rate over all threads
 * @param expectedTrials 2^64 / target: the mean number of trials to find a nonce
 * @param expectedRemaining expected time to success at the current rate
 */
public record PowProgress(
    long trials, double trialsPerSecond, double expectedTrials, Duration expectedRemaining) {}
