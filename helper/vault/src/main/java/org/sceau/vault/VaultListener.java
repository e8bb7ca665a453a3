package org.sceau.vault;

/** Told when the vault opens or closes, e.g. to push a "vault locked" notification. */
public interface VaultListener {
  /** Why a vault was locked. */
  enum LockReason {
    REQUESTED,
    IDLE,
    CLOSED,
    RESTORED
  }

  default void unlocked() {}

  default void locked(LockReason reason) {}
}
