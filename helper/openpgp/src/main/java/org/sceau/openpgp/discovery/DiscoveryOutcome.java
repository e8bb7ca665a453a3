package org.sceau.openpgp.discovery;

/** What one lookup gave. */
public enum DiscoveryOutcome {
  /** At least one certificate with a user ID for the address was found. */
  FOUND,
  /** The server answered that it has no key for the address (404 and the like). */
  NOT_FOUND,
  /** The answer was not a readable OpenPGP certificate. */
  BAD_KEY,
  /** Certificates came back, but none has a user ID with the address asked for. */
  WRONG_USER_ID,
  /** The server could not be reached (network, proxy, timeout). */
  UNREACHABLE,
  /** The TLS connection failed: certificate not trusted or not for that host name. */
  TLS_FAILED,
  /** The server answered something other than a key (HTTP error, redirect loop, too large). */
  BAD_ANSWER
}
