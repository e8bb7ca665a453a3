package org.sceau.openpgp.mail;

/** How a message's real headers were protected. */
public enum HeaderProtection {
  /** RFC 9788, {@code hp="cipher"}: inside the encryption, confidential and signed. */
  RFC9788_CIPHER,
  /** RFC 9788, {@code hp="clear"}: inside a signature, integrity only. */
  RFC9788_CLEAR,
  /** The earlier draft (Enigmail, Thunderbird): {@code protected-headers="v1"}. */
  DRAFT_V1
}
