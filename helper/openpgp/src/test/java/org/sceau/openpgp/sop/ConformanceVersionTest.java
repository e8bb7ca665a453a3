package org.sceau.openpgp.sop;

/** sop-java's conformance suite: VersionTest, run against {@link SceauSop}. */
class ConformanceVersionTest extends sop.testsuite.operation.VersionTest {}
