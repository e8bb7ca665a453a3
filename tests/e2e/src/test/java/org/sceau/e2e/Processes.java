package org.sceau.e2e;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every process the tests start, killed when the test JVM exits however it exits (a timeout or a
 * killed build included), so no helper or relay outlives the run.
 */
final class Processes {
  private static final List<Process> STARTED = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> STARTED.stream().filter(Process::isAlive).forEach(Process::destroyForcibly),
                "e2e-kill-children"));
  }

  private Processes() {}

  static Process track(Process p) {
    STARTED.add(p);
    return p;
  }
}
