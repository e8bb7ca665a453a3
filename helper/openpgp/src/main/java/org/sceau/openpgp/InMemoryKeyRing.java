package org.sceau.openpgp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A {@link KeyRing} in memory; thread-safe. */
public final class InMemoryKeyRing implements KeyRing {
  private final Map<String, Certificate> certs = new LinkedHashMap<>();
  private final Map<String, SecretKey> keys = new LinkedHashMap<>();

  @Override
  public synchronized Certificate addCertificate(Certificate cert) throws OpenPgpException {
    Certificate known = certs.get(cert.fingerprint());
    Certificate merged = known == null ? cert : Keys.merge(known, cert);
    certs.put(cert.fingerprint(), merged);
    return merged;
  }

  @Override
  public synchronized void addSecretKey(SecretKey key) {
    keys.put(key.fingerprint(), key);
    certs.putIfAbsent(key.fingerprint(), key.certificate());
  }

  @Override
  public synchronized Optional<Certificate> certificate(String fingerprint) {
    return Optional.ofNullable(certs.get(fingerprint.toUpperCase(Locale.ROOT)));
  }

  @Override
  public synchronized List<Certificate> certificatesFor(String email) {
    String want = "<" + email.toLowerCase(Locale.ROOT) + ">";
    List<Certificate> out = new ArrayList<>();
    for (Certificate c : certs.values()) {
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
  public synchronized List<Certificate> certificates() {
    return List.copyOf(certs.values());
  }

  @Override
  public synchronized List<SecretKey> secretKeys() {
    return List.copyOf(keys.values());
  }
}
