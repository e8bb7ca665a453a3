package org.sceau.app;

import java.io.IOException;
import org.sceau.app.paths.SceauPaths;

/**
 * Entry point of the helper process. Points logback at the helper's file log before any logger
 * exists, then hands over to {@link Helper}.
 *
 * <p>Exit codes: 0 stopped cleanly, 1 failed to start, 4 another helper already runs.
 */
public final class HelperMain {
  private HelperMain() {}

  public static void main(String[] args) {
    SceauPaths paths = SceauPaths.fromEnvironment();
    try {
      SceauPaths.ensurePrivateDir(paths.stateDir());
    } catch (IOException e) {
      System.err.println("sceau-helper: cannot create " + paths.stateDir() + ": " + e.getMessage());
      System.exit(1);
    }
    System.setProperty("sceau.log.dir", paths.stateDir().toString());
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-helper.xml");
    }
    System.exit(Helper.run(paths));
  }
}
