package org.sceau.openpgp.mail;

/** Autocrypt Level 1 {@code ui-recommendation} for a draft. */
public enum UiRecommendation {
  /** Encryption is not possible: hide or disable the choice. */
  DISABLE,
  /** Possible, but a recipient may not be able to read it: offer it with a warning, default off. */
  DISCOURAGE,
  /** Possible: offer it, default off. */
  AVAILABLE,
  /** Possible and expected: default on. */
  ENCRYPT
}
