package org.sceau.e2e;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real relay as a process (its packaged jar + lib/), on a fixed loopback port so it can be
 * restarted at the same address, with its SQLite store in {@code dataDir} and everything it prints
 * appended to {@code log}.
 */
final class RelayProcess implements AutoCloseable {
  final Path dataDir;
  final Path log;
  final int port;
  private Process process;

  RelayProcess(Path dir) throws IOException {
    this.dataDir = Files.createDirectories(dir.resolve("relay-data"));
    this.log = dir.resolve("relay.log");
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.port = s.getLocalPort();
    }
  }

  URI uri() {
    return URI.create("ws://127.0.0.1:" + port + "/v1/ws");
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("sceau.relay.jar", "missing"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("relay jar missing (run with mvn verify): " + jar);
    }
    return jar;
  }

  /** Starts the relay and waits (bounded) until it prints its listening line. */
  void start() throws Exception {
    Path jar = jar();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m"));
    cmd.add("-cp");
    cmd.add(jar + File.pathSeparator + jar.resolveSibling("lib") + File.separator + "*");
    cmd.add("org.sceau.relay.RelayMain");
    cmd.add("--host=127.0.0.1");
    cmd.add("--port=" + port);
    cmd.add("--data.dir=" + dataDir);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    process = Processes.track(pb.start());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      if (Files.exists(log)) {
        byte[] all = Files.readAllBytes(log);
        String since =
            new String(all, (int) logStart, all.length - (int) logStart, StandardCharsets.UTF_8);
        if (since.contains("sceau-relay listening")) {
          return;
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "relay exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("relay did not start in 30 s; see " + log);
      }
      Thread.sleep(50);
    }
  }

  /** SIGTERM (the relay closes its store), then SIGKILL if it does not exit in 10 s. */
  void stop() throws InterruptedException {
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
