package org.sceau.openpgp.sop;

/** sop-java's conformance suite: RevokeKeyTest, run against {@link SceauSop}. */
class ConformanceRevokeKeyTest extends sop.testsuite.operation.RevokeKeyTest {}
