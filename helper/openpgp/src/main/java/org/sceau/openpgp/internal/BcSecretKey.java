package org.sceau.openpgp.internal;

import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SecretKey;

/** {@link SecretKey} over BC's {@link OpenPGPKey}. */
public final class BcSecretKey implements SecretKey {
  private final OpenPGPKey key;

  public BcSecretKey(OpenPGPKey key) {
    this.key = key;
  }

  public OpenPGPKey bc() {
    return key;
  }

  public static OpenPGPKey unwrap(SecretKey k) {
    if (k instanceof BcSecretKey b) {
      return b.key;
    }
    throw new IllegalArgumentException("foreign SecretKey implementation");
  }

  @Override
  public String fingerprint() {
    return Bc.hex(key.getFingerprint());
  }

  @Override
  public Certificate certificate() {
    return new BcCertificate(key.toCertificate());
  }

  @Override
  public boolean isProtected() {
    for (OpenPGPKey.OpenPGPSecretKey s : key.getSecretKeys().values()) {
      if (s.isLocked()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean unlocks(Passphrase passphrase) {
    for (OpenPGPKey.OpenPGPSecretKey s : key.getSecretKeys().values()) {
      if (s.isLocked() && !s.isPassphraseCorrect(passphrase.chars())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public byte[] encoded(Encoding encoding) throws OpenPgpException {
    return Bc.encode(key, encoding);
  }

  @Override
  public String toString() {
    return "SecretKey[" + fingerprint() + "]";
  }
}
