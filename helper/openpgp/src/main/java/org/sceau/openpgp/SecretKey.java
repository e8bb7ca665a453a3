package org.sceau.openpgp;

/**
 * A secret key (transferable secret key), possibly protected by a passphrase. Never exposes raw key
 * bytes: {@link #encoded} writes the OpenPGP packets as they are, still protected.
 */
public interface SecretKey {
  String fingerprint();

  /** The public half, to give to correspondents. */
  Certificate certificate();

  /** True if any secret (sub)key is protected by a passphrase. */
  boolean isProtected();

  /** True if {@code passphrase} unlocks every protected (sub)key. */
  boolean unlocks(Passphrase passphrase);

  /**
   * The key as OpenPGP data. v4 keys carry the classic CFB/iterated-S2K protection that GnuPG 2.2
   * and sqop read (interop trap 7).
   */
  byte[] encoded(Encoding encoding) throws OpenPgpException;
}
