package org.sceau.openpgp;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sceau.openpgp.internal.BcCertificate;
import org.sceau.openpgp.internal.BcSecretKey;
import org.sceau.openpgp.internal.Messages;
import org.sceau.openpgp.internal.Verdicts;

/**
 * Decrypts and/or verifies a message (armored or binary), streaming in constant memory.
 *
 * <p>Guarantees: ciphertext without integrity protection is refused with {@link
 * OpenPgpError#INTEGRITY_PROTECTION_MISSING} before any plaintext is written; a changed ciphertext
 * fails with {@link OpenPgpError#MALFORMED_MESSAGE}. Restriction: the integrity check completes at
 * the end of the stream, so plaintext already written to {@code out} must be discarded when this
 * throws. Signature verdicts are explicit per signature (good, bad, unknown key, expired or revoked
 * key) and {@link DecryptionResult#signatureStatus()} is NOT_SIGNED for unsigned messages.
 */
public interface MessageDecryptor {

  DecryptionResult decrypt(InputStream in, OutputStream out) throws OpenPgpException;

  static Builder builder() {
    return new Builder();
  }

  final class Builder {
    private final List<SecretKey> keys = new ArrayList<>();
    private final List<Passphrase> passphrases = new ArrayList<>();
    private final List<Certificate> verifiers = new ArrayList<>();
    private final List<Passphrase> passwords = new ArrayList<>();

    private Builder() {}

    public Builder withKey(SecretKey key, Passphrase passphrase) {
      keys.add(key);
      passphrases.add(passphrase);
      return this;
    }

    /** Every secret key and certificate in the ring; passphrase for its protected keys. */
    public Builder withKeyRing(KeyRing ring, Passphrase passphrase) {
      for (SecretKey k : ring.secretKeys()) {
        withKey(k, passphrase);
      }
      return verifyWith(ring.certificates());
    }

    public Builder verifyWith(Certificate... certs) {
      verifiers.addAll(List.of(certs));
      return this;
    }

    public Builder verifyWith(List<Certificate> certs) {
      verifiers.addAll(certs);
      return this;
    }

    public Builder withPassword(Passphrase password) {
      passwords.add(password);
      return this;
    }

    public MessageDecryptor build() {
      List<OpenPGPKey> k = new ArrayList<>();
      for (SecretKey s : keys) {
        k.add(BcSecretKey.unwrap(s));
      }
      List<char[]> pp = new ArrayList<>();
      for (Passphrase p : passphrases) {
        if (!p.isEmpty()) {
          pp.add(p.chars());
        }
      }
      List<OpenPGPCertificate> v = new ArrayList<>();
      for (Certificate c : verifiers) {
        v.add(BcCertificate.unwrap(c));
      }
      List<char[]> pw = new ArrayList<>();
      for (Passphrase p : passwords) {
        pw.add(p.chars());
      }
      Messages.DecryptSpec spec =
          new Messages.DecryptSpec(List.copyOf(k), pp, List.copyOf(v), pw, null, null, null);
      return (in, out) -> {
        Messages.Decrypted d = Messages.decrypt(in, out, spec);
        return new DecryptionResult(
            d.encrypted(),
            d.mechanism(),
            Verdicts.of(d.signatures(), d.unknownIssuer(), d.missingIssuers()));
      };
    }
  }
}
