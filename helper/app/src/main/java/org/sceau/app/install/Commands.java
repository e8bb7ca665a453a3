package org.sceau.app.install;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The few outside programs the installer runs (systemctl, reg, the helper launcher). An interface
 * so that tests of other platforms' layouts can record instead of run.
 */
public interface Commands {
  /** Runs a command to completion (30 s at most); returns its exit code, -1 if it could not run. */
  int run(List<String> command);

  /** Starts a command and leaves it running. */
  void spawn(List<String> command) throws IOException;

  /** Whether a systemd user manager answers for this user. */
  boolean systemdUserAvailable();

  /** The real thing. */
  static Commands system() {
    return new Commands() {
      private Boolean systemd;

      @Override
      public int run(List<String> command) {
        try {
          Process p =
              new ProcessBuilder(command)
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .start();
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
          }
          return p.exitValue();
        } catch (IOException e) {
          return -1;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
      }

      @Override
      public void spawn(List<String> command) throws IOException {
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
      }

      @Override
      public boolean systemdUserAvailable() {
        if (systemd == null) {
          systemd =
              !"0".equals(System.getenv("SCEAU_USE_SYSTEMD"))
                  && run(List.of("systemctl", "--user", "show-environment")) == 0;
        }
        return systemd;
      }
    };
  }
}
