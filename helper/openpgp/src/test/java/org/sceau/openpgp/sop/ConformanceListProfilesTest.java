package org.sceau.openpgp.sop;

/** sop-java's conformance suite: ListProfilesTest, run against {@link SceauSop}. */
class ConformanceListProfilesTest extends sop.testsuite.operation.ListProfilesTest {}
