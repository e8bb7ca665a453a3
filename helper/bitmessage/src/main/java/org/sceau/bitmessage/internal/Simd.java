package org.sceau.bitmessage.internal;

/**
 * Whether the Vector API is present, and the SIMD searcher when it is. The simd class is only
 * touched after the check, so a JVM without the incubator module never loads it.
 */
public final class Simd {
  private static final boolean AVAILABLE = probe();

  private Simd() {}

  private static boolean probe() {
    if (Boolean.getBoolean("sceau.pow.noSimd")) {
      return false;
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      // Must agree with the scalar code, or it is not used at all.
      // With 2 lanes (128-bit vectors) the JDK's intrinsic scalar SHA-512 is likely faster.
      return SimdSearcher.lanes() >= 4
          && SimdSearcher.agreesWithScalar(Hashes.sha512(new byte[] {1, 2, 3}));
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  public static boolean available() {
    return AVAILABLE;
  }

  static PowEngine.Searcher searcher(byte[] initialHash) {
    return SimdSearcher.create(initialHash);
  }
}
