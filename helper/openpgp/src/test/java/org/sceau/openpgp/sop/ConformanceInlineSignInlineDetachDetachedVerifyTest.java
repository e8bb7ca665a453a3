package org.sceau.openpgp.sop;

/**
 * sop-java's conformance suite: InlineSignInlineDetachDetachedVerifyTest, run against {@link
 * SceauSop}.
 */
class ConformanceInlineSignInlineDetachDetachedVerifyTest
    extends sop.testsuite.operation.InlineSignInlineDetachDetachedVerifyTest {}
