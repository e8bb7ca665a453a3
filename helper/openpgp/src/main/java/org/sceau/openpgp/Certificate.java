package org.sceau.openpgp;

import java.util.List;

/**
 * A public certificate (transferable public key): what correspondents give us and what we give
 * them. Immutable; obtain one from {@link Keys}.
 */
public interface Certificate {
  /** Primary key fingerprint, upper-case hex (40 chars for v4, 64 for v6). */
  String fingerprint();

  /** User IDs with a valid self-signature now. */
  List<String> userIds();

  /** Packet version of the primary key (4 or 6). */
  int version();

  /** Validity now: can it encrypt / sign, and if not, why. */
  CertificateStatus status();

  /** The certificate as OpenPGP data (armored with CRC, or binary). */
  byte[] encoded(Encoding encoding) throws OpenPgpException;
}
