package org.sceau.openpgp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to generate. {@code validity} null means "never expires"; the default is {@link
 * #DEFAULT_VALIDITY} (renewable later by extending the expiry).
 */
public record KeySpec(
    List<String> userIds,
    KeyProfile profile,
    Duration validity,
    Passphrase passphrase,
    boolean signingOnly) {

  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3 * 365);

  public KeySpec {
    userIds = List.copyOf(userIds);
    Objects.requireNonNull(profile, "profile");
    passphrase = passphrase == null ? Passphrase.none() : passphrase;
    if (validity != null && (validity.isNegative() || validity.isZero())) {
      throw new IllegalArgumentException("validity must be positive");
    }
  }

  /** The default: a Curve25519 v4 key for one user ID, valid three years, no passphrase. */
  public static KeySpec of(String userId) {
    return new KeySpec(List.of(userId), KeyProfile.CURVE25519, DEFAULT_VALIDITY, null, false);
  }

  public KeySpec withProfile(KeyProfile p) {
    return new KeySpec(userIds, p, validity, passphrase, signingOnly);
  }

  public KeySpec withPassphrase(Passphrase p) {
    return new KeySpec(userIds, profile, validity, p, signingOnly);
  }

  public KeySpec withValidity(Duration v) {
    return new KeySpec(userIds, profile, v, passphrase, signingOnly);
  }

  public KeySpec withUserIds(List<String> ids) {
    return new KeySpec(ids, profile, validity, passphrase, signingOnly);
  }

  public KeySpec signingOnly(boolean s) {
    return new KeySpec(userIds, profile, validity, passphrase, s);
  }
}
