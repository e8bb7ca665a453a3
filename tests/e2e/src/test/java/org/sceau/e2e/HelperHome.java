package org.sceau.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.sceau.app.client.HelperClient;
import org.sceau.app.client.HelperProcess;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcException;

/**
 * One user: a HOME of their own and the real helper process started from the packaged jar
 * (helper/app/target/sceau-app.jar + lib/), as `sceau start` runs it. Adapted from helper/app's
 * it.Sandbox (not shared: this module must not depend on another module's test classes).
 */
final class HelperHome implements AutoCloseable {
  final String name;
  final Path root;
  final Path home;
  final Map<String, String> env = new HashMap<>();

  /** Every notification received on the listening connection, in order. */
  final List<JsonNode> notifications = new CopyOnWriteArrayList<>();

  private Process process;
  private HelperClient listener;
  private Thread listenerThread;

  HelperHome(Path parent, String name) throws IOException {
    this.name = name;
    // Under /tmp and short: a Unix socket path must stay under ~100 bytes.
    this.root = Files.createTempDirectory(parent, name);
    this.home = Files.createDirectories(root.resolve("h"));
    Path runtime = Files.createDirectories(root.resolve("r"));
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
    return Path.of(env.get("XDG_RUNTIME_DIR")).resolve("sceau").resolve("helper.sock");
  }

  static String classpath() {
    Path jar = Path.of(System.getProperty("sceau.app.jar", "missing"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("helper jar missing (run with mvn verify): " + jar);
    }
    return jar + File.pathSeparator + jar.resolveSibling("lib") + File.separator + "*";
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
    pb.redirectErrorStream(true);
    return Processes.track(pb.start());
  }

  /** Starts the helper process (output to root/helper.out) without waiting for it. */
  void launch() throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(HelperProcess.JVM_OPTIONS);
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add("org.sceau.app.HelperMain");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("helper.out").toFile()));
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    process = Processes.track(pb.start());
  }

  /** Waits (bounded) until the launched helper answers, then opens the notification connection. */
  void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
    while (!HelperProcess.answers(socket())) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + "'s helper exited with "
                + process.exitValue()
                + ": "
                + Files.readString(root.resolve("helper.out")));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + "'s helper did not answer in 45 s");
      }
      Thread.sleep(50);
    }
    listener = HelperClient.connect(socket());
    HelperClient l = listener;
    listenerThread =
        new Thread(
            () -> {
              try {
                JsonNode m;
                while ((m = l.receive()) != null) {
                  if (!m.has("id")) {
                    notifications.add(m);
                  }
                }
              } catch (IOException e) {
                // Connection closed: the helper stopped or the test is over.
              }
            },
            name + "-notifications");
    listenerThread.setDaemon(true);
    listenerThread.start();
  }

  /** SIGTERM, as the service manager stops it (the helper locks its vault); bounded. */
  void stopHelper() throws Exception {
    closeListener();
    Process p = process;
    process = null;
    if (p != null) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private void closeListener() throws IOException, InterruptedException {
    if (listener != null) {
      listener.close();
      listener = null;
      listenerThread.join(5000);
    }
  }

  /** One call on a fresh connection (the CLI's way); the helper's errors come back typed. */
  JsonNode call(String method, JsonNode params) throws RpcException, IOException {
    try (HelperClient c = HelperClient.connect(socket())) {
      return c.call(method, params);
    }
  }

  JsonNode call(String method) throws RpcException, IOException {
    return call(method, Json.object());
  }

  /** Runs {@code sceau ARGS} in this user's environment; returns exit code and output. */
  CliResult cli(String... args) throws Exception {
    Process p =
        java(
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            "org.sceau.app.cli.SceauCli",
            args);
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("sceau " + String.join(" ", args) + " hung");
    }
    return new CliResult(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  record CliResult(int exit, String output) {}

  @Override
  public void close() throws Exception {
    try {
      stopHelper();
    } finally {
      TestFiles.deleteTree(root);
    }
  }
}
