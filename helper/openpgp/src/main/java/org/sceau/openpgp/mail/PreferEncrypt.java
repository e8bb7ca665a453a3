package org.sceau.openpgp.mail;

/**
 * Autocrypt's {@code prefer-encrypt}: {@code mutual}, or no preference (absent or any other value).
 */
public enum PreferEncrypt {
  MUTUAL,
  NOPREFERENCE
}
