package org.sceau.vault;

/**
 * A vault operation failed for a reason the user can act on. {@link #code()} is stable (clients
 * switch on it and translate it); the message is English fallback text and never contains a
 * passphrase, key material or stored data.
 */
public final class VaultException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Stable error codes; the names are part of the RPC contract. */
  public enum Code {
    /** No vault exists in the directory yet. */
    NO_VAULT,
    /** {@code create} found a vault already there. */
    VAULT_EXISTS,
    /** The vault is locked: unlock it first. */
    VAULT_LOCKED,
    /** The passphrase does not open this vault (or this backup). */
    WRONG_PASSPHRASE,
    /** The vault needs its key file and none was given, or the given path does not exist. */
    KEY_FILE_MISSING,
    /** The given key file is not the one this vault was set up with (or the vault uses none). */
    KEY_FILE_WRONG,
    /** A file is damaged, truncated or was modified: nothing from it was used. */
    CORRUPTED,
    /** Written by a newer Sceau: update Sceau to open it. */
    NEWER_VERSION,
    /** A parameter is not acceptable (empty passphrase, bad namespace, value too large…). */
    INVALID_ARGUMENT,
    /** The disk or the file system failed (full, read-only, permissions…). */
    STORAGE_ERROR
  }

  private final Code code;

  public VaultException(Code code, String userMessage) {
    this(code, userMessage, null);
  }

  /**
   * @param cause kept for diagnosis in logs; its message must not be shown to users verbatim
   */
  public VaultException(Code code, String userMessage, Throwable cause) {
    super(userMessage, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
