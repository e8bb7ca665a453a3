package org.sceau.openpgp;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;
import org.sceau.openpgp.internal.BcSecretKey;
import org.sceau.openpgp.internal.Messages;

/**
 * Makes detached signatures (SHA-512), e.g. for PGP/MIME multipart/signed. The data is streamed;
 * the signature is small.
 */
public interface DetachedSigner {

  byte[] sign(InputStream data) throws OpenPgpException;

  static DetachedSigner create(SecretKey key, Passphrase passphrase, Encoding encoding) {
    return create(key, passphrase, encoding, false);
  }

  /** {@code text}: a canonical-text signature (line endings hashed as CRLF). */
  static DetachedSigner create(
      SecretKey key, Passphrase passphrase, Encoding encoding, boolean text) {
    return data -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Messages.signDetached(
          data,
          out,
          List.of(BcSecretKey.unwrap(key)),
          passphrase.isEmpty() ? List.of() : List.of(passphrase.chars()),
          encoding == Encoding.ARMORED,
          text);
      return out.toByteArray();
    };
  }
}
