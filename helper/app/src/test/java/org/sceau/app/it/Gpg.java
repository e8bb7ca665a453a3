package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real GnuPG in a throw-away home: the other side of the conversation in the E2E tests. */
final class Gpg implements AutoCloseable {
  private final Path home;

  Gpg(Path home) throws IOException {
    this.home = Files.createDirectories(home);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
  }

  /** Runs gpg in batch mode with {@code stdin}; fails the test on a non-zero exit. */
  byte[] run(byte[] stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--quiet"));
    cmd.add("--homedir");
    cmd.add(home.toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return p.getErrorStream().readAllBytes();
              } catch (IOException e) {
                return new byte[0];
              }
            });
    // Written from another thread: gpg answers while it reads, and both pipes are finite.
    CompletableFuture<Void> feed =
        CompletableFuture.runAsync(
            () -> {
              try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
              } catch (IOException e) {
                // gpg stopped reading: its exit status says why.
              }
            });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    feed.get(60, TimeUnit.SECONDS);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gpg did not finish");
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "gpg " + args[0] + " failed: " + new String(err.get(), StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** A new Ed25519 + Curve25519 key without passphrase; returns its fingerprint. */
  String generate(String userId) throws Exception {
    run(new byte[0], "--passphrase", "", "--quick-gen-key", userId, "ed25519", "sign", "never");
    String fp = fingerprint(userId);
    run(new byte[0], "--passphrase", "", "--quick-add-key", fp, "cv25519", "encr", "never");
    return fp;
  }

  String fingerprint(String who) throws Exception {
    String listing =
        new String(
            run(new byte[0], "--with-colons", "--list-keys", who), StandardCharsets.US_ASCII);
    for (String line : listing.split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    throw new AssertionError("no fingerprint for " + who);
  }

  @Override
  public void close() throws Exception {
    // The agent gpg started for this home exits when its socket directory goes away; ask it now.
    new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(10, TimeUnit.SECONDS);
  }
}
