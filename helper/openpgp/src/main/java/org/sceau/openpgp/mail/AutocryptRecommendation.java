package org.sceau.openpgp.mail;

import java.util.Map;
import org.sceau.openpgp.Certificate;

/** The recommendation for a draft and the key to use for each recipient that has one. */
public record AutocryptRecommendation(UiRecommendation ui, Map<String, Certificate> targetKeys) {
  public AutocryptRecommendation {
    targetKeys = Map.copyOf(targetKeys);
  }
}
