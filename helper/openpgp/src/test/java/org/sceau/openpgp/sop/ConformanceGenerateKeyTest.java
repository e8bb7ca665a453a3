package org.sceau.openpgp.sop;

/** sop-java's conformance suite: GenerateKeyTest, run against {@link SceauSop}. */
class ConformanceGenerateKeyTest extends sop.testsuite.operation.GenerateKeyTest {}
