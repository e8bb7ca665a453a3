package org.sceau.vault;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Vault} behaves.
 *
 * @param idleTimeout the vault locks itself after this long without use; {@link Duration#ZERO}
 *     disables auto-lock
 * @param kdf Argon2id parameters for new wraps of the data key (create, change passphrase, restore,
 *     backup)
 */
public record VaultOptions(Duration idleTimeout, KdfParams kdf) {
  public VaultOptions {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(kdf, "kdf");
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must not be negative");
    }
  }

  /** Auto-lock after 15 minutes, default Argon2id parameters. */
  public static VaultOptions defaults() {
    return new VaultOptions(Duration.ofMinutes(15), KdfParams.defaults());
  }

  public VaultOptions withIdleTimeout(Duration timeout) {
    return new VaultOptions(timeout, kdf);
  }

  public VaultOptions withKdf(KdfParams params) {
    return new VaultOptions(idleTimeout, params);
  }
}
