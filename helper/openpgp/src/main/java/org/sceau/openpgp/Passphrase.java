package org.sceau.openpgp;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A passphrase held as characters so it can be wiped. Bouncy Castle zero-fills the arrays it is
 * given (interop trap 1), so every use hands out a fresh copy through {@link #chars()}; the
 * original stays intact until {@link #destroy()}.
 */
public final class Passphrase implements Destroyable {
  private static final Passphrase NONE = new Passphrase(null);
  private final char[] chars;
  private volatile boolean destroyed;

  private Passphrase(char[] chars) {
    this.chars = chars;
  }

  /** Copies {@code chars}; the caller may wipe its own array afterwards. */
  public static Passphrase of(char[] chars) {
    return chars == null ? NONE : new Passphrase(chars.clone());
  }

  public static Passphrase of(String s) {
    return s == null ? NONE : new Passphrase(s.toCharArray());
  }

  /** No passphrase: the key is stored unprotected. */
  public static Passphrase none() {
    return NONE;
  }

  public boolean isEmpty() {
    return chars == null || chars.length == 0;
  }

  /** A fresh copy, safe to hand to code that wipes it; null when there is no passphrase. */
  public char[] chars() {
    if (destroyed) {
      throw new IllegalStateException("passphrase was destroyed");
    }
    return chars == null ? null : chars.clone();
  }

  @Override
  public void destroy() {
    if (chars != null && this != NONE) {
      Arrays.fill(chars, '\0');
      destroyed = true;
    }
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "Passphrase[***]";
  }
}
