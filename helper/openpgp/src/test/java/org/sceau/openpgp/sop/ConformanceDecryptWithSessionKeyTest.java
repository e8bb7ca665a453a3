package org.sceau.openpgp.sop;

/** sop-java's conformance suite: DecryptWithSessionKeyTest, run against {@link SceauSop}. */
class ConformanceDecryptWithSessionKeyTest
    extends sop.testsuite.operation.DecryptWithSessionKeyTest {}
