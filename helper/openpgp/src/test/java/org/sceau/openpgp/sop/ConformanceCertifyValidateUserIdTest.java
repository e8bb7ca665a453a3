package org.sceau.openpgp.sop;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sop.SOP;

/**
 * sop-java's conformance suite: CertifyValidateUserIdTest. certify-user-id and validate-user-id are
 * not implemented, so the suite aborts these tests (reported as skipped).
 */
class ConformanceCertifyValidateUserIdTest
    extends sop.testsuite.operation.CertifyValidateUserIdTest {

  @Override
  @ParameterizedTest
  @MethodSource("provideInstances")
  @Disabled(ConformanceSkips.NO_CERTIFY)
  public void addPetName(SOP sop) {}
}
