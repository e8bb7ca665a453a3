package org.sceau.openpgp.sop;

/** sop-java's conformance suite: ArmorDearmorTest, run against {@link SceauSop}. */
class ConformanceArmorDearmorTest extends sop.testsuite.operation.ArmorDearmorTest {}
