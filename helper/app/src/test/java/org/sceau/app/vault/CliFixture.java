package org.sceau.app.vault;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.sceau.app.paths.Platform;
import org.sceau.app.paths.SceauPaths;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.server.HelperServer;
import picocli.CommandLine;

/** A real helper socket served in this JVM, with the real vault behind it, and the CLI. */
abstract class CliFixture {
  Path root;
  Path socket;
  HelperServer server;
  VaultCapability cap;
  String out;
  String err;

  @BeforeEach
  void start() throws Exception {
    // Short path: a Unix socket path must stay under ~100 bytes.
    root = Files.createTempDirectory(Path.of("/tmp"), "svc");
    SceauPaths paths =
        new SceauPaths(
            Platform.current(), Map.of("SCEAU_RUNTIME_DIR", root.resolve("run").toString()), root);
    MethodRegistry registry = new MethodRegistry();
    server = new HelperServer(paths, registry);
    cap = new VaultCapability(root.resolve("vault"), VaultCapabilityTest.FAST);
    cap.register(registry, server);
    server.start();
    socket = paths.socket();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    cap.close();
    try (var w = Files.walk(root)) {
      w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  int run(String stdin, String... args) {
    PassphraseReader reader =
        new PassphraseReader(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null);
    CommandLine cl = new CommandLine(new VaultCommand(socket, reader));
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    cl.setOut(new PrintWriter(o));
    cl.setErr(new PrintWriter(e));
    int code = cl.execute(args);
    out = o.toString();
    err = e.toString();
    return code;
  }

  Path file(String name, String content) throws Exception {
    return Files.writeString(root.resolve(name), content);
  }
}
