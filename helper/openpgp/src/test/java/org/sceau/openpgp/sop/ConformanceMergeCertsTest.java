package org.sceau.openpgp.sop;

/** sop-java's conformance suite: MergeCertsTest, run against {@link SceauSop}. */
class ConformanceMergeCertsTest extends sop.testsuite.operation.MergeCertsTest {}
