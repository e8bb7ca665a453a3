package org.sceau.relay;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real redis-server (Debian package) on a free loopback port, for tests. */
final class RedisServer implements AutoCloseable {
  final int port;
  private final Process process;

  private RedisServer(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  static String binary() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      File f = new File(d, "redis-server");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  /** Starts one; skips the calling test if redis-server is not installed. */
  static RedisServer start(Path dir) throws Exception {
    String bin = binary();
    assumeTrue(bin != null, "redis-server is not installed (Debian package redis-server)");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                bin,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new RedisServer(port, p);
      } catch (java.io.IOException e) {
        if (System.nanoTime() > deadline || !p.isAlive()) {
          p.destroyForcibly();
          throw new IllegalStateException("redis-server did not start", e);
        }
        Thread.sleep(50);
      }
    }
  }

  /** A relay node using this Redis. */
  Relay node(String id, Path dataDir) throws Exception {
    return Relay.start(
        RelayConfig.defaultsWith(
            Map.of(
                "port", "0",
                "store", "redis",
                "store.redis.url", "redis://127.0.0.1:" + port,
                "node.id", id,
                "data.dir", dataDir.toString(),
                "rate.device.messages.per.second", "1000",
                "rate.device.burst", "1000")));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
