package org.sceau.openpgp;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sceau.openpgp.internal.Bc;
import org.sceau.openpgp.internal.BcCertificate;
import org.sceau.openpgp.internal.BcSecretKey;
import org.sceau.openpgp.internal.KeyFactory;

/**
 * Keys and certificates: generate, import (armored or binary), merge updates, change passphrase.
 *
 * <pre>{@code
 * GeneratedKey g = Keys.generate(KeySpec.of("Alice <alice@example.org>")
 *     .withPassphrase(Passphrase.of(chars)));
 * byte[] publicKey = g.key().certificate().encoded(Encoding.ARMORED);
 * }</pre>
 *
 * <p>Inputs are bounded (16 MiB) before they are buffered; malformed data fails with {@link
 * OpenPgpError#MALFORMED_KEY}.
 */
public final class Keys {
  private Keys() {}

  /** Generates a key as {@code spec} says, with a revocation certificate made at the same time. */
  public static GeneratedKey generate(KeySpec spec) throws OpenPgpException {
    return KeyFactory.generate(spec);
  }

  /** Reads every certificate (or the public half of every key) in the data. */
  public static List<Certificate> readCertificates(InputStream in) throws OpenPgpException {
    List<Certificate> out = new ArrayList<>();
    for (OpenPGPCertificate c : Bc.parseCertificates(Bc.readBounded(in))) {
      out.add(new BcCertificate(c instanceof OpenPGPKey k ? k.toCertificate() : c));
    }
    return out;
  }

  public static Certificate readCertificate(byte[] data) throws OpenPgpException {
    return readCertificates(new java.io.ByteArrayInputStream(data)).get(0);
  }

  /** Reads every secret key in the data; a public certificate in it is an error. */
  public static List<SecretKey> readSecretKeys(InputStream in) throws OpenPgpException {
    List<SecretKey> out = new ArrayList<>();
    for (OpenPGPKey k : Bc.parseKeys(Bc.readBounded(in))) {
      out.add(new BcSecretKey(k));
    }
    return out;
  }

  public static SecretKey readSecretKey(byte[] data) throws OpenPgpException {
    return readSecretKeys(new java.io.ByteArrayInputStream(data)).get(0);
  }

  /**
   * Merges an update of a known certificate (new user IDs, subkeys, extended expiry, revocations)
   * into it. Both must have the same primary key.
   */
  public static Certificate merge(Certificate known, Certificate update) throws OpenPgpException {
    if (!known.fingerprint().equals(update.fingerprint())) {
      throw new OpenPgpException(
          OpenPgpError.MALFORMED_KEY, "the update is for a different certificate");
    }
    try {
      // PGPPublicKeyRing.join keeps each signature once (OpenPGPCertificate.join duplicates them).
      return new BcCertificate(
          new OpenPGPCertificate(
              org.bouncycastle.openpgp.PGPPublicKeyRing.join(
                  BcCertificate.unwrap(known).getPGPPublicKeyRing(),
                  BcCertificate.unwrap(update).getPGPPublicKeyRing()),
              Bc.impl()));
    } catch (PGPException | RuntimeException e) {
      throw new OpenPgpException(OpenPgpError.MALFORMED_KEY, "cannot merge the update", e);
    }
  }

  /** The key protected by {@code newPass} instead of {@code oldPass} (none = unprotected). */
  public static SecretKey changePassphrase(SecretKey key, Passphrase oldPass, Passphrase newPass)
      throws OpenPgpException {
    List<char[]> olds = oldPass.isEmpty() ? List.of() : List.of(oldPass.chars());
    return new BcSecretKey(
        KeyFactory.changePassphrase(
            BcSecretKey.unwrap(key), olds, newPass.isEmpty() ? null : newPass.chars()));
  }

  /** The key with a revocation signature on its primary key. */
  public static SecretKey revoke(SecretKey key, Passphrase pass) throws OpenPgpException {
    List<char[]> p = pass.isEmpty() ? List.of() : List.of(pass.chars());
    return new BcSecretKey(KeyFactory.revoke(BcSecretKey.unwrap(key), p));
  }
}
