package org.sceau.bitmessage;

/**
 * Stable error codes of the Bitmessage capability. The names are part of the RPC contract: clients
 * switch on them and translate them, so they never change once released.
 */
public enum ErrorCode {
  /** A packet, object or decrypted payload does not follow the protocol layout. */
  MALFORMED_OBJECT,
  /** A packet header's checksum does not match its payload. */
  BAD_CHECKSUM,
  /** A length field or count exceeds the protocol's limit. */
  TOO_LARGE,
  /** A signature does not verify against the sender's signing key. */
  BAD_SIGNATURE,
  /** An encrypted payload's MAC does not verify: not for this key, or tampered with. */
  BAD_MAC,
  /** The object's proof of work does not meet the demanded difficulty. */
  INSUFFICIENT_POW,
  /** A BM- address is not valid (characters, checksum, version or encoding). */
  BAD_ADDRESS,
  /** A proof-of-work search was cancelled before it found a nonce. */
  POW_CANCELLED,
  /** The object is valid but not one this library can handle (unknown type or version). */
  UNSUPPORTED
}
