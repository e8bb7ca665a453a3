package org.sceau.app.client;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sceau.app.paths.SceauPaths;

/**
 * Starts the helper as a detached background process from the same installation as the caller (the
 * CLI or the bridge), and waits until its socket answers.
 */
public final class HelperProcess {
  /**
   * JVM options for the long-running helper: small idle footprint, room for large messages, and the
   * Vector API so that the Bitmessage proof of work runs its SIMD search.
   */
  public static final List<String> JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-Xss512k",
          "-Xms16m",
          "-Xmx768m",
          "--add-modules",
          "jdk.incubator.vector");

  private HelperProcess() {}

  /** The command line that runs the helper with this JVM and this classpath. */
  public static List<String> command() {
    List<String> cmd = new ArrayList<>();
    // A new session: the helper must outlive the bridge or terminal that started it, and must not
    // get their SIGHUP or SIGINT.
    if (new File("/usr/bin/setsid").canExecute()) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JVM_OPTIONS);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.sceau.app.HelperMain");
    return cmd;
  }

  /**
   * Starts the helper in the background and waits for it to answer.
   *
   * @return true if a helper answers within the timeout (ours, or one started meanwhile by someone
   *     else)
   */
  public static boolean startAndWait(SceauPaths paths, long timeoutMillis) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command());
    pb.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      if (answers(paths.socket())) {
        return true;
      }
      if (!p.isAlive() && p.exitValue() != 4) {
        return answers(paths.socket());
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /**
   * Waits until the helper's answering matches {@code wanted}: true to wait for a start, false for
   * a stop.
   *
   * @return whether it did within the time
   */
  public static boolean awaitAnswering(Path socket, boolean wanted, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (answers(socket) != wanted) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Whether a helper answers {@code helper.ping} on the socket. */
  public static boolean answers(Path socket) {
    try (HelperClient c = HelperClient.connect(socket)) {
      c.call("helper.ping", null);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static File nullFile() {
    return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
  }
}
