package org.sceau.openpgp;

import java.util.List;
import java.util.Optional;

/**
 * Where the engine finds keys. In memory for now ({@link InMemoryKeyRing}); the vault will back it
 * later with the same interface.
 */
public interface KeyRing {
  /** Adds a certificate, or merges it into the known one with the same fingerprint. */
  Certificate addCertificate(Certificate cert) throws OpenPgpException;

  void addSecretKey(SecretKey key);

  Optional<Certificate> certificate(String fingerprint);

  /** Certificates with a valid user ID whose e-mail address is {@code email} (case-insensitive). */
  List<Certificate> certificatesFor(String email);

  List<Certificate> certificates();

  List<SecretKey> secretKeys();
}
