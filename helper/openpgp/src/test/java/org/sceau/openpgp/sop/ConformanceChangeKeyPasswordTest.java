package org.sceau.openpgp.sop;

/** sop-java's conformance suite: ChangeKeyPasswordTest, run against {@link SceauSop}. */
class ConformanceChangeKeyPasswordTest extends sop.testsuite.operation.ChangeKeyPasswordTest {}
