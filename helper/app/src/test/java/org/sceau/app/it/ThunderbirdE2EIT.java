package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sceau.app.client.HelperClient;
import org.sceau.app.client.HelperProcess;

/**
 * The add-on in a real Thunderbird under Xvfb, installed the way `./sceau install` installs it,
 * reaching the helper through the bridge Thunderbird starts. The oracle is what the user sees: the
 * toolbar button's tooltip, which the add-on sets from the helper's answer to helper.status.
 *
 * <p>Needs Debian's thunderbird and xvfb (CI installs them); skipped elsewhere unless CI=true.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThunderbirdE2EIT {
  private static final String BUTTON =
      "const b = [...document.querySelectorAll('button[extension=\"sceau@sceau.org\"]')][0];";

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theAddonShowsTheHelperStatusInARealThunderbird() throws Exception {
    boolean available = onPath("thunderbird") && onPath("Xvfb");
    if (!available && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI must install thunderbird and xvfb (.ci/apt-packages.txt)");
    }
    assumeTrue(available, "thunderbird and Xvfb are not installed");

    try (Sandbox sandbox = new Sandbox()) {
      Path profile = Files.createDirectories(sandbox.home.resolve(".thunderbird/e2e.default"));
      Files.writeString(
          sandbox.home.resolve(".thunderbird/profiles.ini"),
          "[Profile0]\nName=e2e\nIsRelative=1\nPath=e2e.default\nDefault=1\n");
      int marionettePort;
      try (ServerSocket s = new ServerSocket(0)) {
        marionettePort = s.getLocalPort();
      }
      String prefs =
          new String(getClass().getResourceAsStream("/e2e/user.js").readAllBytes())
              + "user_pref(\"marionette.port\", "
              + marionettePort
              + ");\n";
      Files.writeString(profile.resolve("user.js"), prefs);

      Process install =
          sandbox.java(
              List.of(),
              "org.sceau.app.cli.SceauCli",
              "install",
              "--app-dir",
              Sandbox.APP_BUILD.toString(),
              "--extension-dir",
              InstallIT.EXTENSION.toString());
      install.getOutputStream().close();
      install.getInputStream().transferTo(System.out);
      assertTrue(install.waitFor(90, TimeUnit.SECONDS));
      assertEquals(0, install.exitValue());
      assertTrue(Files.isRegularFile(profile.resolve("extensions/sceau@sceau.org.xpi")));

      Process xvfb =
          new ProcessBuilder(
                  "Xvfb", "-displayfd", "1", "-screen", "0", "1280x900x24", "-nolisten", "tcp")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      try {
        String display =
            new BufferedReader(new InputStreamReader(xvfb.getInputStream())).readLine();
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
        tb.redirectErrorStream(true).redirectOutput(sandbox.root.resolve("tb.log").toFile());
        Process thunderbird = tb.start();
        try (Marionette m = Marionette.connect(marionettePort, 60_000)) {
          long helperPid;
          try (HelperClient c = HelperClient.connect(sandbox.socket())) {
            helperPid = c.call("helper.status", null).get("pid").asLong();
          }
          String title = waitForTitle(m, "is running", 60_000);
          assertTrue(title.contains("0.1.0"), title);

          // Stop the helper: the next check from the add-on starts it again through the bridge.
          try (HelperClient c = HelperClient.connect(sandbox.socket())) {
            c.call("helper.shutdown", null);
          }
          long deadline = System.currentTimeMillis() + 20_000;
          while (HelperProcess.answers(sandbox.socket()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
          }
          m.script(BUTTON + " b.click(); return true;");
          deadline = System.currentTimeMillis() + 60_000;
          long newPid = -1;
          while (System.currentTimeMillis() < deadline) {
            try (HelperClient c = HelperClient.connect(sandbox.socket())) {
              newPid = c.call("helper.status", null).get("pid").asLong();
              break;
            } catch (Exception notYet) {
              Thread.sleep(100);
            }
          }
          assertTrue(newPid > 0 && newPid != helperPid, "the bridge did not restart the helper");
          assertTrue(waitForTitle(m, "is running", 30_000).contains("0.1.0"));
        } catch (AssertionError | Exception e) {
          for (Path log :
              List.of(
                  sandbox.root.resolve("tb.log"),
                  sandbox.home.resolve(".local/state/sceau/helper.log"))) {
            if (Files.isRegularFile(log)) {
              System.out.println("---- " + log);
              Files.readAllLines(log).stream()
                  .filter(l -> !l.contains("dbus") && !l.contains("a11y"))
                  .forEach(System.out::println);
            }
          }
          throw e;
        } finally {
          thunderbird.destroy();
          if (!thunderbird.waitFor(15, TimeUnit.SECONDS)) {
            thunderbird.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        }
      } finally {
        xvfb.destroy();
        xvfb.waitFor(10, TimeUnit.SECONDS);
      }
      Process uninstall = sandbox.java(List.of(), "org.sceau.app.cli.SceauCli", "uninstall");
      uninstall.getInputStream().transferTo(System.out);
      assertTrue(uninstall.waitFor(60, TimeUnit.SECONDS));
    }
  }

  private static String waitForTitle(Marionette m, String fragment, long millis) throws Exception {
    long deadline = System.currentTimeMillis() + millis;
    String title = "";
    while (System.currentTimeMillis() < deadline) {
      JsonNode v = m.script(BUTTON + " return b ? b.getAttribute('title') : null;");
      title = v == null || v.isNull() ? "" : v.asText();
      if (title.contains(fragment)) {
        return title;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the Sceau button never showed \"" + fragment + "\"; last: " + title);
  }
}
