package org.sceau.app.paths;

import java.util.Locale;

/** The desktop platforms Sceau knows where to put its files on. */
public enum Platform {
  LINUX,
  MACOS,
  WINDOWS;

  public static Platform current() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      return MACOS;
    }
    if (os.startsWith("windows")) {
      return WINDOWS;
    }
    return LINUX;
  }
}
