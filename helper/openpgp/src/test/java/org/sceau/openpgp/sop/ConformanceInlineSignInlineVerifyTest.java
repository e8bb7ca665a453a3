package org.sceau.openpgp.sop;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sop.SOP;

/** sop-java's conformance suite: InlineSignInlineVerifyTest, run against {@link SceauSop}. */
class ConformanceInlineSignInlineVerifyTest
    extends sop.testsuite.operation.InlineSignInlineVerifyTest {

  @Override
  @ParameterizedTest
  @MethodSource("provideInstances")
  @Disabled(ConformanceSkips.EXPIRED_VECTOR)
  public void inlineSignVerifyProtectedKey(SOP sop) {}
}
