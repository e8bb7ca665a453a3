package org.sceau.app.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.sceau.app.client.HelperProcess;

/**
 * A throw-away home for the real helper, bridge and CLI processes of one test: its own HOME and XDG
 * directories, processes started from the packaged jar (target/sceau-app.jar + target/lib), all of
 * them killed and the folder deleted on close.
 */
final class Sandbox implements AutoCloseable {
  static final Path APP_BUILD = Path.of("target").toAbsolutePath();

  final Path root;
  final Path home;
  final Path runtime;
  final Map<String, String> env = new HashMap<>();
  private final List<Process> processes = new ArrayList<>();

  Sandbox() throws IOException {
    // Short: a Unix socket path must stay under ~100 bytes.
    root = Files.createTempDirectory(Path.of("/tmp"), "sceau-it");
    home = Files.createDirectories(root.resolve("home"));
    runtime = Files.createDirectories(root.resolve("run"));
    Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
    env.put("HOME", home.toString());
    env.put("XDG_RUNTIME_DIR", runtime.toString());
    env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
    env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    env.put("XDG_STATE_HOME", home.resolve(".local/state").toString());
    env.put("SCEAU_USE_SYSTEMD", "0");
    // No Bitmessage node: tests never reach the public network (a test that wants one sets peers).
    env.put("SCEAU_BM", "off");
  }

  Path socket() {
    return Path.of(env.getOrDefault("SCEAU_RUNTIME_DIR", runtime.resolve("sceau").toString()))
        .resolve("helper.sock");
  }

  static String classpath() {
    Path jar = APP_BUILD.resolve("sceau-app.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "run the integration tests with `mvn verify` (needs the jar)");
    }
    return jar + File.pathSeparator + APP_BUILD.resolve("lib") + File.separator + "*";
  }

  Process java(List<String> jvm, String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(main);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** Starts the real helper and waits until it answers. */
  Process startHelper() throws Exception {
    return startHelper(List.of());
  }

  /** Starts the real helper with extra JVM options (e.g. a test trust store) and waits for it. */
  Process startHelper(List<String> extraJvm) throws Exception {
    List<String> jvm = new ArrayList<>(HelperProcess.JVM_OPTIONS);
    jvm.addAll(extraJvm);
    Process p = java(jvm, "org.sceau.app.HelperMain");
    long deadline = System.currentTimeMillis() + 30_000;
    while (!HelperProcess.answers(socket())) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "helper exited with "
                + p.exitValue()
                + ": "
                + new String(p.getErrorStream().readAllBytes()));
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("helper did not answer in 30 s");
      }
      Thread.sleep(20);
    }
    return p;
  }

  /** Starts the real bridge as Thunderbird does: manifest path and add-on id as arguments. */
  Framed bridge(String addonId) throws IOException {
    Process p =
        java(
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            "org.sceau.app.bridge.BridgeMain",
            home.resolve(".mozilla/native-messaging-hosts/org.sceau.bridge.json").toString(),
            addonId);
    return new Framed(p);
  }

  /** Kills whatever a test started and could not stop (a helper started by a bridge included). */
  @Override
  public void close() throws IOException {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroy();
    }
    // A helper the bridge started runs in its own session: find it by its lock file's pid.
    killHelperByLock(runtime.resolve("sceau/helper.lock"));
    for (Process p : processes) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static void killHelperByLock(Path lock) {
    try {
      if (Files.isRegularFile(lock)) {
        String pid = Files.readString(lock).trim();
        if (pid.matches("\\d+")) {
          ProcessHandle.of(Long.parseLong(pid))
              .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
              .ifPresent(
                  h -> {
                    h.destroy();
                    try {
                      h.onExit().get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                      h.destroyForcibly();
                    }
                  });
        }
      }
    } catch (IOException ignored) {
      // Nothing to kill.
    }
  }
}
