package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real Thunderbird under its own Xvfb for one test: a profile in the sandbox with the given
 * prefs, the add-on installed by `sceau install`, Marionette on a free loopback port. Close stops
 * Thunderbird and Xvfb by their own process handles.
 */
final class Thunderbird implements AutoCloseable {
  final Path profile;
  private final Sandbox sandbox;
  private Process xvfb;
  private Process thunderbird;
  private Marionette marionette;

  static boolean available() {
    boolean present = ThunderbirdE2EIT.onPath("thunderbird") && ThunderbirdE2EIT.onPath("Xvfb");
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI must install thunderbird and xvfb (.ci/apt-packages.txt)");
    }
    return present;
  }

  Thunderbird(Sandbox sandbox) throws IOException {
    this.sandbox = sandbox;
    profile = Files.createDirectories(sandbox.home.resolve(".thunderbird/e2e.default"));
    Files.writeString(
        sandbox.home.resolve(".thunderbird/profiles.ini"),
        "[Profile0]\nName=e2e\nIsRelative=1\nPath=e2e.default\nDefault=1\n");
  }

  /** Installs the add-on and native-messaging host with the real installer (helper not started). */
  void install() throws Exception {
    Process install =
        sandbox.java(
            List.of(),
            "org.sceau.app.cli.SceauCli",
            "install",
            "--app-dir",
            Sandbox.APP_BUILD.toString(),
            "--extension-dir",
            InstallIT.EXTENSION.toString(),
            "--no-start");
    install.getOutputStream().close();
    install.getInputStream().transferTo(System.out);
    assertTrue(install.waitFor(90, TimeUnit.SECONDS));
    assertEquals(0, install.exitValue());
    assertTrue(Files.isRegularFile(profile.resolve("extensions/sceau@sceau.org.xpi")));
  }

  /** Starts Xvfb and Thunderbird with `prefs` as user.js, and connects Marionette. */
  Marionette start(String prefs) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.writeString(
        profile.resolve("user.js"), prefs + "user_pref(\"marionette.port\", " + port + ");\n");
    xvfb =
        new ProcessBuilder(
                "Xvfb", "-displayfd", "1", "-screen", "0", "1280x900x24", "-nolisten", "tcp")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String display = new BufferedReader(new InputStreamReader(xvfb.getInputStream())).readLine();
    assertTrue(display != null && display.matches("\\d+"), "Xvfb gave no display");
    sandbox.env.put("DISPLAY", ":" + display);
    sandbox.env.put("MOZ_CRASHREPORTER_DISABLE", "1");
    sandbox.env.put("MOZ_DISABLE_AUTO_SAFE_MODE", "1");
    ProcessBuilder tb =
        new ProcessBuilder(
            "thunderbird",
            "-profile",
            profile.toString(),
            "-no-remote",
            "--marionette",
            "-remote-allow-system-access");
    tb.environment().putAll(sandbox.env);
    tb.redirectErrorStream(true).redirectOutput(log().toFile());
    thunderbird = tb.start();
    marionette = Marionette.connect(port, 60_000);
    return marionette;
  }

  Path log() {
    return sandbox.root.resolve("tb.log");
  }

  /** Runs `script` until `done` accepts its value; fails with the last value after `millis`. */
  JsonNode waitFor(String what, String script, Predicate<JsonNode> done, long millis)
      throws Exception {
    long deadline = System.currentTimeMillis() + millis;
    JsonNode v = null;
    while (System.currentTimeMillis() < deadline) {
      v = marionette.script(script);
      if (v != null && !v.isNull() && done.test(v)) {
        return v;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("waited " + millis + " ms for " + what + "; last: " + v);
  }

  /** Prints Thunderbird's and the helper's logs (for a failed run). */
  void dumpLogs() throws IOException {
    for (Path log : List.of(log(), sandbox.home.resolve(".local/state/sceau/helper.log"))) {
      if (Files.isRegularFile(log)) {
        System.out.println("---- " + log);
        Files.readAllLines(log).stream()
            .filter(l -> !l.contains("dbus") && !l.contains("a11y"))
            .forEach(System.out::println);
      }
    }
  }

  @Override
  public void close() throws Exception {
    if (marionette != null) {
      marionette.close();
    }
    if (thunderbird != null) {
      thunderbird.destroy();
      if (!thunderbird.waitFor(15, TimeUnit.SECONDS)) {
        thunderbird.descendants().forEach(ProcessHandle::destroyForcibly);
        thunderbird.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (xvfb != null) {
      xvfb.destroy();
      if (!xvfb.waitFor(10, TimeUnit.SECONDS)) {
        xvfb.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
