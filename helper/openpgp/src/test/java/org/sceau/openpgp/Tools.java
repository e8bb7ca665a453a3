package org.sceau.openpgp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real gpg / sqop / launcher processes for the interop tests, bounded in time. */
final class Tools {
  record Result(int exit, byte[] out, String err) {
    String outText() {
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  private Tools() {}

  static Result run(List<String> cmd, byte[] stdin, Path env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (env != null) {
      pb.environment().put("GNUPGHOME", env.toString());
    }
    Path errFile = Files.createTempFile("tool", ".err");
    pb.redirectError(errFile.toFile());
    Process p = pb.start();
    Thread writer =
        new Thread(
            () -> {
              try (var o = p.getOutputStream()) {
                if (stdin != null) {
                  o.write(stdin);
                }
              } catch (IOException ignored) {
                // the tool may exit before reading everything (e.g. on bad data)
              }
            });
    writer.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timeout: " + cmd);
    }
    writer.join(10_000);
    String err = Files.readString(errFile);
    Files.deleteIfExists(errFile);
    return new Result(p.exitValue(), out, err);
  }

  /** gpg in a private home, non-interactive, with an optional passphrase. */
  static final class Gpg {
    final Path home;

    Gpg(Path home) throws IOException {
      this.home = home;
      Files.createDirectories(home);
      home.toFile().setReadable(false, false);
      home.toFile().setReadable(true, true);
      home.toFile().setExecutable(false, false);
      home.toFile().setExecutable(true, true);
      Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
    }

    Result run(String passphrase, byte[] stdin, String... args)
        throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>();
      cmd.addAll(
          List.of(
              "gpg",
              "--homedir",
              home.toString(),
              "--batch",
              "--yes",
              "--no-tty",
              "--pinentry-mode",
              "loopback",
              "--trust-model",
              "always",
              "--no-auto-key-retrieve",
              "--passphrase",
              passphrase == null ? "" : passphrase));
      cmd.addAll(List.of(args));
      return Tools.run(cmd, stdin, home);
    }

    Result ok(String passphrase, byte[] stdin, String... args)
        throws IOException, InterruptedException {
      Result r = run(passphrase, stdin, args);
      if (r.exit() != 0) {
        throw new AssertionError("gpg " + String.join(" ", args) + " failed: " + r.err());
      }
      return r;
    }

    /** Primary fingerprint of the (only) secret key with this user ID. */
    String fingerprint(String email) throws IOException, InterruptedException {
      String s = ok(null, null, "--with-colons", "--list-keys", email).outText();
      for (String line : s.split("\n")) {
        if (line.startsWith("fpr:")) {
          return line.split(":")[9];
        }
      }
      throw new AssertionError("no fingerprint for " + email);
    }

    void kill() throws IOException, InterruptedException {
      Tools.run(List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"), null, home);
    }
  }

  static Result sqop(byte[] stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("sqop");
    cmd.addAll(List.of(args));
    return run(cmd, stdin, null);
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
