package org.sceau.openpgp.sop;

/** Why some conformance tests are skipped; the report lists them. */
final class ConformanceSkips {
  static final String EXPIRED_VECTOR =
      "sop-java 14.0.3's TestData.PASSWORD_PROTECTED_KEY (FC63688A...) was made 2023-01-20 with a"
          + " key expiration of 1092 days: it expired on 2026-01-16, so a correct implementation"
          + " must refuse to sign with it today";
  static final String NO_CERTIFY =
      "certify-user-id is not implemented; this test wraps the suite's own abort in assertThrows,"
          + " which turns 'unsupported' into a failure instead of a skip";

  private ConformanceSkips() {}
}
