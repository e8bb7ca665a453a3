package org.sceau.openpgp.discovery;

import java.util.List;

/** The certificates found for an address (possibly none) and every lookup that was tried. */
public record DiscoveryResult(
    String email, List<DiscoveredKey> keys, List<DiscoveryAttempt> attempts) {
  public DiscoveryResult {
    keys = List.copyOf(keys);
    attempts = List.copyOf(attempts);
  }

  /** True when every lookup failed to reach its server (so "nothing found" means little). */
  public boolean nothingReached() {
    return !attempts.isEmpty()
        && attempts.stream()
            .allMatch(
                a ->
                    a.outcome() == DiscoveryOutcome.UNREACHABLE
                        || a.outcome() == DiscoveryOutcome.TLS_FAILED);
  }
}
