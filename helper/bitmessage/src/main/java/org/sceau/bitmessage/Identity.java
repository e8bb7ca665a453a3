package org.sceau.bitmessage;

import java.util.List;
import org.sceau.bitmessage.internal.IdentityFactory;

/**
 * One of the user's own Bitmessage addresses with its two private keys (signing and encryption).
 * The private keys never leave the object except through {@link #exportWif()}, the PyBitmessage
 * {@code keys.dat} form, meant for the vault and for backups.
 *
 * <pre>{@code
 * Identity me = Identity.random(4);
 * Identity chan = Identity.chan("general");
 * List<Identity> ids = Identity.fromPassphrase("correct horse", 4, 3);
 * }</pre>
 */
public interface Identity {

  /** The address, e.g. {@code BM-2cXe…}. */
  BitmessageAddress address();

  /** The public half, as others learn it from this identity's pubkey object. */
  PublicIdentity publicIdentity();

  /** The difficulty this identity demands from senders (default 1000/1000). */
  default PowDifficulty difficulty() {
    return publicIdentity().difficulty();
  }

  /**
   * This identity demanding another difficulty from senders (published in its pubkey; values below
   * the network minimum are published as given but senders use at least 1000/1000).
   */
  Identity withDifficulty(PowDifficulty difficulty);

  /** True for chan identities (the passphrase is the chan name, shared with its members). */
  boolean isChan();

  /** The two private keys in WIF, as PyBitmessage's keys.dat stores them. Secret. */
  WifKeys exportWif();

  /** The private keys as keys.dat stores them. Treat both strings as secrets. */
  record WifKeys(String signingKey, String encryptionKey) {
    @Override
    public String toString() {
      return "WifKeys[redacted]";
    }
  }

  /** A new random identity (version 3 or 4, stream 1), one leading zero byte in the RIPE. */
  static Identity random(int version) {
    return IdentityFactory.random(version, 1, 1);
  }

  /**
   * A new random identity whose RIPE starts with {@code leadingZeroBytes} (1 or 2) zero bytes: 2
   * makes the address one character shorter at ~256× the key-search cost.
   */
  static Identity random(int version, int leadingZeroBytes) {
    return IdentityFactory.random(version, 1, leadingZeroBytes);
  }

  /**
   * The {@code count} deterministic identities of a passphrase, as PyBitmessage's {@code
   * createDeterministicAddresses} derives them (stream 1, one leading zero byte).
   */
  static List<Identity> fromPassphrase(String passphrase, int version, int count) {
    return IdentityFactory.deterministic(passphrase, version, 1, count, 1, false);
  }

  /** Like {@link #fromPassphrase(String, int, int)} with 1 or 2 leading zero bytes. */
  static List<Identity> fromPassphrase(
      String passphrase, int version, int count, int leadingZeroBytes) {
    return IdentityFactory.deterministic(passphrase, version, 1, count, leadingZeroBytes, false);
  }

  /** The chan of this name: the deterministic v4 identity of the name, shared by all members. */
  static Identity chan(String name) {
    return IdentityFactory.deterministic(name, 4, 1, 1, 1, true).get(0);
  }

  /** Restores an identity from keys.dat-style WIF private keys. */
  static Identity fromWif(int version, long stream, WifKeys keys) throws InvalidAddressException {
    return IdentityFactory.fromWif(version, stream, keys, false);
  }
}
