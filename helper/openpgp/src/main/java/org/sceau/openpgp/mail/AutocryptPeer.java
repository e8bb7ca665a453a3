package org.sceau.openpgp.mail;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.sceau.openpgp.Certificate;

/**
 * Autocrypt Level 1 state for one peer address ({@code peers[addr]} in the spec): what the vault
 * persists. Immutable; {@link Autocrypt} computes the next state.
 */
public record AutocryptPeer(
    String addr,
    Instant lastSeen,
    Optional<Instant> autocryptTimestamp,
    Optional<Certificate> publicKey,
    PreferEncrypt preferEncrypt,
    Optional<Instant> gossipTimestamp,
    Optional<Certificate> gossipKey) {

  public AutocryptPeer {
    Objects.requireNonNull(addr, "addr");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(autocryptTimestamp, "autocryptTimestamp");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(preferEncrypt, "preferEncrypt");
    Objects.requireNonNull(gossipTimestamp, "gossipTimestamp");
    Objects.requireNonNull(gossipKey, "gossipKey");
  }

  /** A peer seen for the first time, with nothing known yet. */
  public static AutocryptPeer empty(String addr, Instant seen) {
    return new AutocryptPeer(
        addr,
        seen,
        Optional.empty(),
        Optional.empty(),
        PreferEncrypt.NOPREFERENCE,
        Optional.empty(),
        Optional.empty());
  }
}
