package org.sceau.openpgp.sop;

import java.util.Map;
import sop.SOP;
import sop.testsuite.SOPInstanceFactory;

/** Hands our SOP implementation to sop-java's conformance suite (env test.implementation). */
public class SceauSopInstanceFactory extends SOPInstanceFactory {
  @Override
  public Map<String, SOP> provideSOPInstances() {
    return Map.of("sceau", new SceauSop());
  }
}
