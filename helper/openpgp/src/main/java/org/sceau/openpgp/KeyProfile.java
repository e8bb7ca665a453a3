package org.sceau.openpgp;

/** Kinds of key the generator makes. */
public enum KeyProfile {
  /**
   * Default: v4 Ed25519 (EdDSA legacy) primary + signing subkey, Cv25519 ECDH encryption subkey:
   * what GnuPG 2.2, Sequoia 1.x and Thunderbird read.
   */
  CURVE25519,
  /** v4 RSA-3072 primary, signing and encryption subkeys. */
  RSA_3072,
  /** v4 RSA-4096. */
  RSA_4096,
  /**
   * v6 (RFC 9580) Ed25519 + X25519, AEAD/Argon2 protection; not readable by GnuPG 2.2 or sqop 0.27.
   */
  CURVE25519_V6
}
