package org.sceau.openpgp.sop;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sop.SOP;

/** sop-java's conformance suite: DetachedSignDetachedVerifyTest, run against {@link SceauSop}. */
class ConformanceDetachedSignDetachedVerifyTest
    extends sop.testsuite.operation.DetachedSignDetachedVerifyTest {

  @Override
  @ParameterizedTest
  @MethodSource("provideInstances")
  @Disabled(ConformanceSkips.EXPIRED_VECTOR)
  public void signVerifyWithEncryptedKey(SOP sop) {}

  @Override
  @ParameterizedTest
  @MethodSource("provideInstances")
  @Disabled(ConformanceSkips.EXPIRED_VECTOR)
  public void signVerifyWithEncryptedKeyWithoutPassphraseFails(SOP sop) {}

  @Override
  @ParameterizedTest
  @MethodSource("provideInstances")
  @Disabled(ConformanceSkips.EXPIRED_VECTOR)
  public void signWithProtectedKeyAndMultiplePassphrasesTest(SOP sop) {}
}
