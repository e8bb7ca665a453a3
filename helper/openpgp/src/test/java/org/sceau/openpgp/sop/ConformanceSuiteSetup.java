package org.sceau.openpgp.sop;

import java.lang.reflect.Field;
import java.util.Map;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * sop-java's conformance suite finds the implementation under test only through the environment
 * variable {@code test.implementation}. Surefire forks through /bin/sh, and dash drops variable
 * names containing a dot, so the variable is put into this JVM's environment view before any test
 * class loads (needs {@code --add-opens java.base/java.util}, set in the pom).
 */
public class ConformanceSuiteSetup implements LauncherSessionListener {
  static final String KEY = "test.implementation";

  @Override
  @SuppressWarnings("unchecked")
  public void launcherSessionOpened(LauncherSession session) {
    if (System.getenv(KEY) != null) {
      return;
    }
    try {
      Map<String, String> env = System.getenv();
      Field m = env.getClass().getDeclaredField("m");
      m.setAccessible(true);
      ((Map<String, String>) m.get(env)).put(KEY, SceauSopInstanceFactory.class.getName());
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Without --add-opens (e.g. in Failsafe) the conformance tests fail visibly: "at least one
      // set
      // of arguments" from their parameterized tests. Other tests are unaffected.
      System.err.println("SOP conformance suite not configured: " + e);
    }
  }
}
