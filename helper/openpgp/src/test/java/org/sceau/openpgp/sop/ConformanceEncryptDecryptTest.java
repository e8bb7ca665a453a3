package org.sceau.openpgp.sop;

/** sop-java's conformance suite: EncryptDecryptTest, run against {@link SceauSop}. */
class ConformanceEncryptDecryptTest extends sop.testsuite.operation.EncryptDecryptTest {}
