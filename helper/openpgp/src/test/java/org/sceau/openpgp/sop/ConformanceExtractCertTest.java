package org.sceau.openpgp.sop;

/** sop-java's conformance suite: ExtractCertTest, run against {@link SceauSop}. */
class ConformanceExtractCertTest extends sop.testsuite.operation.ExtractCertTest {}
