package org.sceau.app.mail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real GnuPG in a temporary home, for interop tests; {@link #close} stops its agent. */
final class Gpg implements AutoCloseable {
  record Result(int exit, byte[] out, String err) {
    String text() {
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  final Path dir;
  final Path home;

  Gpg() throws IOException {
    dir = Files.createTempDirectory("sceau-gpg-it");
    home = dir.resolve("gnupg");
    Files.createDirectories(home);
    home.toFile().setReadable(false, false);
    home.toFile().setReadable(true, true);
    home.toFile().setExecutable(false, false);
    home.toFile().setExecutable(true, true);
    Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
  }

  /** gpg with {@code passphrase} for loopback pinentry; must exit 0. */
  byte[] ok(byte[] stdin, String passphrase, String... args) throws Exception {
    Result r = run(stdin, passphrase, args);
    if (r.exit != 0) {
      throw new AssertionError("gpg " + String.join(" ", args) + " failed: " + r.err);
    }
    return r.out;
  }

  Result run(byte[] stdin, String passphrase, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "gpg",
                "--homedir",
                home.toString(),
                "--batch",
                "--yes",
                "--no-tty",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                passphrase,
                "--trust-model",
                "always",
                "--no-auto-key-retrieve",
                "--status-fd",
                "2"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("GNUPGHOME", home.toString());
    Path err = Files.createTempFile(dir, "gpg", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    Thread w =
        new Thread(
            () -> {
              try (var o = p.getOutputStream()) {
                if (stdin != null) {
                  o.write(stdin);
                }
              } catch (IOException ignored) {
                // gpg may stop reading early on bad input
              }
            });
    w.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("gpg timed out");
    }
    w.join(10_000);
    String e = Files.readString(err);
    Files.deleteIfExists(err);
    return new Result(p.exitValue(), out, e);
  }

  @Override
  public void close() throws Exception {
    new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all")
        .redirectErrorStream(true)
        .start()
        .waitFor(30, TimeUnit.SECONDS);
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
