package org.sceau.vault;

/**
 * Argon2id cost parameters used to turn a passphrase (and key file) into the key that wraps the
 * vault's data key. Stored in the vault header, so they can be raised later: {@link
 * Vault#changePassphrase} rewraps with the parameters of the vault's current {@link VaultOptions}.
 *
 * @param memoryKiB memory per derivation in KiB (64 MiB by default)
 * @param iterations passes over the memory (3 by default)
 * @param parallelism lanes (1 by default: Bouncy Castle computes lanes one after another, so more
 *     lanes only add time)
 */
public record KdfParams(int memoryKiB, int iterations, int parallelism) {
  /**
   * Upper bounds also applied to headers read from disk, so a forged header cannot exhaust memory.
   */
  public static final int MAX_MEMORY_KIB = 1 << 20;

  public static final int MAX_ITERATIONS = 64;
  public static final int MAX_PARALLELISM = 16;

  public KdfParams {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("parallelism must be 1.." + MAX_PARALLELISM);
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS);
    }
    if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException(
          "memory must be 8*parallelism.." + MAX_MEMORY_KIB + " KiB");
    }
  }

  /** Argon2id, 64 MiB, t=3, p=1: about 0.2 s on a current desktop core. */
  public static KdfParams defaults() {
    return new KdfParams(64 * 1024, 3, 1);
  }
}
