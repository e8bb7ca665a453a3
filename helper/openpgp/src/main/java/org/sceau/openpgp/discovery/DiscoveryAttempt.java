package org.sceau.openpgp.discovery;

/** One lookup and its outcome; {@code detail} is short, for logs and display (no key data). */
public record DiscoveryAttempt(
    DiscoverySource source, String url, DiscoveryOutcome outcome, String detail) {}
