package org.sceau.vault;

import java.time.Duration;

/**
 * What can be said about a vault without its passphrase. Holds no secret.
 *
 * @param state absent, locked or unlocked
 * @param formatVersion header format version, 0 when absent
 * @param keyFileRequired whether unlocking needs the key file
 * @param kdf the Argon2id parameters in the header, null when absent
 * @param idleTimeout the configured auto-lock delay
 * @param pendingDeposits sealed items waiting to be stored at the next unlock
 */
public record VaultStatus(
    State state,
    int formatVersion,
    boolean keyFileRequired,
    KdfParams kdf,
    Duration idleTimeout,
    int pendingDeposits) {

  /** Lifecycle of a vault directory. */
  public enum State {
    ABSENT,
    LOCKED,
    UNLOCKED
  }
}
