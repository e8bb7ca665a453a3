package org.sceau.openpgp;

/** How keys, certificates, signatures and messages are written. */
public enum Encoding {
  /** ASCII armor, always with the CRC24 line (GnuPG 2.2 needs it: interop trap 4). */
  ARMORED,
  BINARY
}
