package org.sceau.bench.vault;

import java.util.Arrays;

/** Median-of-runs helpers; prints key=value lines that run.sh reads. */
final class Stats {
  private Stats() {}

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static void print(String side, String metric, double value) {
    System.out.printf(java.util.Locale.ROOT, "%s.%s=%.3f%n", side, metric, value);
  }
}
