package org.sceau.openpgp.keys;

import java.io.IOException;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.KeyPassphraseProvider;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.SignatureParameters;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SecretKey;
import org.sceau.openpgp.internal.Bc;
import org.sceau.openpgp.internal.BcSecretKey;

/**
 * Revokes one's own key with a stated reason. The result is the same key with a key revocation
 * signature on its primary key; its certificate, once published or merged, tells every
 * correspondent to stop encrypting to it.
 *
 * <pre>{@code
 * SecretKey revoked = KeyRevocation.revoke(key, pass, RevocationReason.RETIRED, "new key");
 * }</pre>
 */
public final class KeyRevocation {
  private KeyRevocation() {}

  /**
   * @param description a short human-readable note stored in the signature (may be empty); it is
   *     public, so it must not contain anything private
   */
  public static SecretKey revoke(
      SecretKey key, Passphrase passphrase, RevocationReason reason, String description)
      throws OpenPgpException {
    if (key.isProtected() && (passphrase.isEmpty() || !key.unlocks(passphrase))) {
      throw new OpenPgpException(
          OpenPgpError.WRONG_PASSPHRASE, "the passphrase does not unlock the key");
    }
    try {
      KeyPassphraseProvider.DefaultKeyPassphraseProvider p =
          new KeyPassphraseProvider.DefaultKeyPassphraseProvider();
      if (!passphrase.isEmpty()) {
        p.addPassphrase(passphrase.chars());
      }
      OpenPGPKey copy =
          Bc.api().readKeyOrCertificate().parseKey(BcSecretKey.unwrap(key).getEncoded());
      String note = description == null ? "" : description;
      OpenPGPKey revoked =
          Bc.api()
              .editKey(copy, p)
              .revokeKey(
                  new SignatureParameters.Callback() {
                    @Override
                    public SignatureParameters apply(SignatureParameters params) {
                      return params.setHashedSubpacketsFunction(
                          sp -> {
                            sp.removePacketsOfType(SignatureSubpacketTags.REVOCATION_REASON);
                            sp.setRevocationReason(true, (byte) reason.code(), note);
                            return sp;
                          });
                    }
                  })
              .done();
      return new BcSecretKey(revoked);
    } catch (IOException | PGPException | RuntimeException e) {
      throw Bc.classify(e, OpenPgpError.KEY_IS_PROTECTED, "cannot revoke the key");
    }
  }
}
