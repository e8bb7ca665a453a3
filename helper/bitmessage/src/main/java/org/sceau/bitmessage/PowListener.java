package org.sceau.bitmessage;

/** Receives proof-of-work progress; called from a search thread, so keep it short. */
@FunctionalInterface
public interface PowListener {
  void onProgress(PowProgress progress);
}
