package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sceau.app.client.HelperProcess;
import org.sceau.app.rpc.Json;

/** `sceau install` and `sceau uninstall` for real, in a temporary home. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InstallIT {
  static final Path EXTENSION = Path.of("../../extension").toAbsolutePath().normalize();

  private static TreeSet<String> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static int run(Sandbox sandbox, String... args) throws Exception {
    Process p = sandbox.java(List.of(), "org.sceau.app.cli.SceauCli", args);
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(90, TimeUnit.SECONDS));
    System.out.println(out);
    return p.exitValue();
  }

  @Test
  void installsEverythingThenUninstallLeavesNothingBehind() throws Exception {
    try (Sandbox sandbox = new Sandbox()) {
      Path home = sandbox.home;
      Path profile = Files.createDirectories(home.resolve(".thunderbird/abcd1234.default"));
      Files.writeString(
          home.resolve(".thunderbird/profiles.ini"),
          "[Profile0]\nName=default\nIsRelative=1\nPath=abcd1234.default\nDefault=1\n");
      TreeSet<String> before = tree(home);

      String[] install = {
        "install",
        "--app-dir",
        Sandbox.APP_BUILD.toString(),
        "--extension-dir",
        EXTENSION.toString()
      };
      assertEquals(0, run(sandbox, install));
      // Twice is harmless: same files, the helper restarted on the new jars.
      assertEquals(0, run(sandbox, install));

      // The manifest Thunderbird reads names an existing executable bridge and only our add-on.
      Path manifest = home.resolve(".mozilla/native-messaging-hosts/org.sceau.bridge.json");
      JsonNode m = Json.parse(Files.readAllBytes(manifest));
      assertEquals("org.sceau.bridge", m.get("name").asText());
      assertEquals("stdio", m.get("type").asText());
      assertEquals(
          List.of("sceau@sceau.org"), List.of(m.get("allowed_extensions").get(0).asText()));
      assertEquals(1, m.get("allowed_extensions").size());
      Path bridge = Path.of(m.get("path").asText());
      assertTrue(bridge.isAbsolute() && Files.isExecutable(bridge));

      // Start at login: no systemd user manager in this sandbox, so the XDG autostart entry.
      String desktop = Files.readString(home.resolve(".config/autostart/sceau-helper.desktop"));
      assertTrue(
          desktop.contains(
              "Exec=\"" + home.resolve(".local/share/sceau/app/bin/sceau-helper") + "\""));

      // The add-on, packed and put into the profile from profiles.ini.
      Path xpi = profile.resolve("extensions/sceau@sceau.org.xpi");
      try (ZipFile zip = new ZipFile(xpi.toFile())) {
        JsonNode mf = Json.parse(zip.getInputStream(zip.getEntry("manifest.json")).readAllBytes());
        assertEquals(
            "sceau@sceau.org", mf.get("browser_specific_settings").get("gecko").get("id").asText());
        assertTrue(zip.getEntry("_locales/fr/messages.json") != null);
        assertTrue(zip.stream().noneMatch(e -> e.getName().startsWith("test/")));
      }

      // The helper runs, and the installed bridge reaches it as Thunderbird would run it.
      assertTrue(HelperProcess.answers(sandbox.socket()));
      // Thunderbird hands its environment to the bridge: the sandbox's, not this JVM's.
      ProcessBuilder asThunderbird =
          new ProcessBuilder(bridge.toString(), manifest.toString(), "sceau@sceau.org");
      asThunderbird.environment().putAll(sandbox.env);
      Process p = asThunderbird.start();
      try (Framed framed = new Framed(p)) {
        framed.send(Json.request(1, "helper.status", null));
        JsonNode result = framed.response(1).get("result");
        // It must reach the sandbox's helper, not start one of its own elsewhere.
        assertEquals(sandbox.socket().toString(), result.get("socket").asText());
      }
      assertEquals(0, p.waitFor());

      // The installed `sceau` command works from ~/.local/bin.
      ProcessBuilder installedCli =
          new ProcessBuilder(home.resolve(".local/bin/sceau").toString(), "status", "--json");
      installedCli.environment().putAll(sandbox.env);
      Process status = installedCli.start();
      assertTrue(status.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, status.exitValue());

      assertEquals(0, run(sandbox, "uninstall"));
      assertFalse(HelperProcess.answers(sandbox.socket()));
      assertEquals(before, tree(home));
    }
  }
}
