package org.sceau.app.mail;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.GeneratedKey;
import org.sceau.openpgp.KeyRing;
import org.sceau.openpgp.KeySpec;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SecretKey;
import org.sceau.vault.Record;
import org.sceau.vault.RecordStore;
import org.sceau.vault.Vault;
import org.sceau.vault.VaultException;

/**
 * The OpenPGP key ring kept in the vault. Certificates live in {@value #CERTS} (binary, by
 * fingerprint), secret keys in {@value #SECRETS}, still protected by an OpenPGP passphrase: each
 * secret key gets its own random passphrase, kept in {@value #PASSPHRASES}. So a secret key record
 * alone (a stray copy, a log) is useless, and the key never leaves the helper except inside the
 * vault's own encrypted backup. Fingerprints the user confirmed are in {@value #VERIFIED}.
 *
 * <p>{@link KeyRing} methods cannot throw vault errors; a locked or failing vault surfaces as
 * {@link StorageFailure}, which the capability turns into {@code VAULT_LOCKED} and friends.
 */
final class VaultKeyRing implements KeyRing {
  static final String CERTS = "keys.certs";
  static final String SECRETS = "keys.secret";
  static final String PASSPHRASES = "keys.passphrase";
  static final String VERIFIED = "keys.verified";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A vault failure inside a {@link KeyRing} call. */
  static final class StorageFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StorageFailure(VaultException cause) {
      super(cause.getMessage(), cause, false, false);
    }

    VaultException vaultException() {
      return (VaultException) getCause();
    }
  }

  @FunctionalInterface
  private interface VaultCall<T> {
    T run() throws VaultException;
  }

  private final Vault vault;

  VaultKeyRing(Vault vault) {
    this.vault = vault;
  }

  private static <T> T io(VaultCall<T> call) {
    try {
      return call.run();
    } catch (VaultException e) {
      throw new StorageFailure(e);
    }
  }

  /**
   * Generates a key whose secret part is protected with a fresh random passphrase and stores both.
   */
  synchronized SecretKey generate(KeySpec spec) throws OpenPgpException {
    Passphrase pass = randomPassphrase();
    GeneratedKey g;
    byte[] passBytes;
    try {
      g = Keys.generate(spec.withPassphrase(pass));
      passBytes = new String(pass.chars()).getBytes(StandardCharsets.UTF_8);
    } finally {
      pass.destroy();
    }
    SecretKey key = g.key();
    byte[] encoded = key.encoded(Encoding.BINARY);
    byte[] cert = key.certificate().encoded(Encoding.BINARY);
    io(
        () ->
            vault.inTransaction(
                tx -> {
                  tx.store(SECRETS).put(key.fingerprint(), encoded);
                  tx.store(PASSPHRASES).put(key.fingerprint(), passBytes);
                  tx.store(CERTS).put(key.fingerprint(), cert);
                  return null;
                }));
    java.util.Arrays.fill(passBytes, (byte) 0);
    return key;
  }

  /**
   * The secret key {@code fingerprint} re-protected under {@code backupPass}, armored: a backup the
   * user can restore anywhere with that passphrase. The stored copy is not changed.
   */
  byte[] exportSecret(String fingerprint, Passphrase backupPass) throws OpenPgpException {
    SecretKey key = secretKey(fingerprint).orElseThrow();
    Passphrase current = passphraseFor(fingerprint);
    try {
      return Keys.changePassphrase(key, current, backupPass).encoded(Encoding.ARMORED);
    } finally {
      current.destroy();
    }
  }

  /**
   * Stores {@code key} (protected by {@code pass}, or unprotected) under a fresh random passphrase
   * of its own, as {@link #generate} does; an existing certificate with the same fingerprint gets
   * the key's certificate merged in.
   */
  synchronized SecretKey importSecret(SecretKey key, Passphrase pass) throws OpenPgpException {
    if (key.isProtected() && (pass.isEmpty() || !key.unlocks(pass))) {
      throw new org.sceau.openpgp.OpenPgpException(
          org.sceau.openpgp.OpenPgpError.WRONG_PASSPHRASE,
          "The passphrase does not unlock this key.");
    }
    Passphrase fresh = randomPassphrase();
    SecretKey stored;
    byte[] passBytes;
    try {
      stored = Keys.changePassphrase(key, pass, fresh);
      passBytes = new String(fresh.chars()).getBytes(StandardCharsets.UTF_8);
    } finally {
      fresh.destroy();
    }
    store(stored, passBytes);
    java.util.Arrays.fill(passBytes, (byte) 0);
    return stored;
  }

  /** Replaces the stored secret key by {@code updated} (same key, e.g. now revoked). */
  synchronized void replaceSecret(SecretKey updated) throws OpenPgpException {
    store(updated, null);
  }

  private void store(SecretKey key, byte[] passBytes) throws OpenPgpException {
    Optional<Certificate> known = certificate(key.fingerprint());
    Certificate merged =
        known.isPresent() ? Keys.merge(known.get(), key.certificate()) : key.certificate();
    byte[] encoded = key.encoded(Encoding.BINARY);
    byte[] cert = merged.encoded(Encoding.BINARY);
    io(
        () ->
            vault.inTransaction(
                tx -> {
                  tx.store(SECRETS).put(key.fingerprint(), encoded);
                  if (passBytes != null) {
                    tx.store(PASSPHRASES).put(key.fingerprint(), passBytes);
                  }
                  tx.store(CERTS).put(key.fingerprint(), cert);
                  return null;
                }));
  }

  Optional<SecretKey> secretKey(String fingerprint) {
    return io(() -> vault.store(SECRETS).get(fingerprint))
        .map(
            r -> {
              try {
                return Keys.readSecretKey(r.value());
              } catch (OpenPgpException e) {
                throw new IllegalStateException("stored secret key unreadable: " + e.code(), e);
              }
            });
  }

  private static Passphrase randomPassphrase() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Passphrase.of(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  /** The passphrase that unlocks the stored secret key {@code fingerprint} (none if unknown). */
  Passphrase passphraseFor(String fingerprint) {
    Optional<Record> r = io(() -> vault.store(PASSPHRASES).get(fingerprint));
    return r.map(x -> Passphrase.of(new String(x.value(), StandardCharsets.UTF_8)))
        .orElse(Passphrase.none());
  }

  @Override
  public synchronized Certificate addCertificate(Certificate cert) throws OpenPgpException {
    Optional<Certificate> known = certificate(cert.fingerprint());
    Certificate merged = known.isPresent() ? Keys.merge(known.get(), cert) : cert;
    byte[] enc = merged.encoded(Encoding.BINARY);
    io(
        () -> {
          vault.store(CERTS).put(merged.fingerprint(), enc);
          return null;
        });
    return merged;
  }

  /**
   * Stores {@code key} as it is. Keys added this way keep the protection they came with; the helper
   * itself only adds keys through {@link #generate}.
   */
  @Override
  public synchronized void addSecretKey(SecretKey key) {
    byte[] enc;
    byte[] cert;
    try {
      enc = key.encoded(Encoding.BINARY);
      cert = key.certificate().encoded(Encoding.BINARY);
    } catch (OpenPgpException e) {
      throw new IllegalArgumentException("secret key cannot be encoded: " + e.code(), e);
    }
    io(
        () ->
            vault.inTransaction(
                tx -> {
                  tx.store(SECRETS).put(key.fingerprint(), enc);
                  if (tx.store(CERTS).get(key.fingerprint()).isEmpty()) {
                    tx.store(CERTS).put(key.fingerprint(), cert);
                  }
                  return null;
                }));
  }

  @Override
  public Optional<Certificate> certificate(String fingerprint) {
    String fp = fingerprint.toUpperCase(Locale.ROOT);
    if (!fp.matches("[0-9A-F]{40}|[0-9A-F]{64}")) {
      return Optional.empty();
    }
    return io(() -> vault.store(CERTS).get(fp)).map(r -> parseCert(r.value()));
  }

  private static Certificate parseCert(byte[] data) {
    try {
      return Keys.readCertificate(data);
    } catch (OpenPgpException e) {
      // Only certificates the engine accepted are stored; a failure here is a corrupt record.
      throw new IllegalStateException("stored certificate unreadable: " + e.code(), e);
    }
  }

  @Override
  public List<Certificate> certificatesFor(String email) {
    String want = "<" + email.toLowerCase(Locale.ROOT) + ">";
    List<Certificate> out = new ArrayList<>();
    for (Certificate c : certificates()) {
      for (String uid : c.userIds()) {
        String u = uid.toLowerCase(Locale.ROOT);
        if (u.contains(want) || u.equals(email.toLowerCase(Locale.ROOT))) {
          out.add(c);
          break;
        }
      }
    }
    return out;
  }

  @Override
  public List<Certificate> certificates() {
    List<Certificate> out = new ArrayList<>();
    for (Record r : io(() -> vault.store(CERTS).list("", Integer.MAX_VALUE))) {
      out.add(parseCert(r.value()));
    }
    return out;
  }

  @Override
  public List<SecretKey> secretKeys() {
    List<SecretKey> out = new ArrayList<>();
    for (Record r : io(() -> vault.store(SECRETS).list("", Integer.MAX_VALUE))) {
      try {
        out.add(Keys.readSecretKey(r.value()));
      } catch (OpenPgpException e) {
        throw new IllegalStateException("stored secret key unreadable: " + e.code(), e);
      }
    }
    return out;
  }

  boolean hasSecretKey(String fingerprint) {
    return io(() -> vault.store(SECRETS).get(fingerprint)).isPresent();
  }

  boolean isVerified(String fingerprint) {
    return hasSecretKey(fingerprint)
        || io(() -> vault.store(VERIFIED).get(fingerprint)).isPresent();
  }

  void markVerified(String fingerprint) {
    io(
        () -> {
          vault.store(VERIFIED).put(fingerprint, new byte[] {1});
          return null;
        });
  }

  /** Removes the user's confirmation; own keys stay verified (see {@link #isVerified}). */
  void unmarkVerified(String fingerprint) {
    io(() -> vault.store(VERIFIED).delete(fingerprint));
  }

  /** Deletes the certificate and, when {@code withSecret}, the secret key and its passphrase. */
  synchronized boolean delete(String fingerprint, boolean withSecret) {
    return io(
        () ->
            vault.inTransaction(
                tx -> {
                  boolean any = tx.store(CERTS).delete(fingerprint);
                  tx.store(VERIFIED).delete(fingerprint);
                  if (withSecret) {
                    any |= tx.store(SECRETS).delete(fingerprint);
                    tx.store(PASSPHRASES).delete(fingerprint);
                  }
                  return any;
                }));
  }

  /** Store access for the capability (Autocrypt peers, settings). */
  RecordStore store(String namespace) {
    return io(() -> vault.store(namespace));
  }
}
