package org.sceau.app.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.paths.Platform;
import org.sceau.app.paths.SceauPaths;
import org.sceau.app.rpc.Json;

/**
 * The files install writes on macOS and Windows, checked as files (no Mac or Windows here), and the
 * Linux systemd variant without a user manager. Outside programs are recorded, not run: that seam
 * is ours.
 */
class InstallerLayoutTest {
  @TempDir Path tmp;

  static final class Recorder implements Commands {
    final List<List<String>> ran = new ArrayList<>();

    @Override
    public int run(List<String> command) {
      ran.add(command);
      return 0;
    }

    @Override
    public void spawn(List<String> command) {
      ran.add(command);
    }

    @Override
    public boolean systemdUserAvailable() {
      return false;
    }
  }

  private Installer.Source fakeBuild() throws IOException {
    Path build = Files.createDirectories(tmp.resolve("build/lib"));
    Files.writeString(build.resolve("dep.jar"), "jar");
    Files.writeString(build.getParent().resolve("sceau-app.jar"), "jar");
    Path ext = Files.createDirectories(tmp.resolve("ext/_locales/en"));
    Files.writeString(ext.getParent().getParent().resolve("manifest.json"), "{}");
    Files.writeString(ext.resolve("messages.json"), "{}");
    Files.createDirectories(tmp.resolve("ext/test"));
    Files.writeString(tmp.resolve("ext/test/x.test.js"), "");
    return new Installer.Source(build.getParent(), tmp.resolve("ext"));
  }

  private static TreeSet<String> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString())
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void macOsGetsItsManifestLaunchAgentAndProfiles() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path profile =
        Files.createDirectories(home.resolve("Library/Thunderbird/Profiles/abc.default"));
    Files.writeString(
        home.resolve("Library/Thunderbird/profiles.ini"),
        "[Profile0]\nName=default\nIsRelative=1\nPath=Profiles/abc.default\n");
    TreeSet<String> before = tree(home);
    SceauPaths paths = new SceauPaths(Platform.MACOS, Map.of("TMPDIR", tmp.toString()), home);
    Recorder rec = new Recorder();
    Installer installer = new Installer(paths, rec);
    installer.install(fakeBuild(), Installer.Init.AUTO, false);

    Path manifest = home.resolve("Library/Mozilla/NativeMessagingHosts/org.sceau.bridge.json");
    JsonNode m = Json.parse(Files.readAllBytes(manifest));
    assertEquals("org.sceau.bridge", m.get("name").asText());
    Path bridge = Path.of(m.get("path").asText());
    assertTrue(Files.isExecutable(bridge));
    assertTrue(bridge.startsWith(home.resolve("Library/Application Support/Sceau/app/bin")));
    assertTrue(
        Files.readString(bridge)
            .contains("'" + home.resolve("Library/Application Support/Sceau/app/lib") + "/*'"),
        "paths with spaces must be quoted");
    String plist = Files.readString(home.resolve("Library/LaunchAgents/org.sceau.helper.plist"));
    assertTrue(
        plist.contains(
            "<string>"
                + home.resolve("Library/Application Support/Sceau/app/bin/sceau-helper")
                + "</string>"));
    assertTrue(Files.isRegularFile(profile.resolve("extensions/sceau@sceau.org.xpi")));

    installer.uninstall();
    assertEquals(before, tree(home));
  }

  @Test
  void windowsGetsARegistryScriptNamingTheManifest() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path local = Files.createDirectories(tmp.resolve("local"));
    SceauPaths paths =
        new SceauPaths(
            Platform.WINDOWS,
            Map.of("LOCALAPPDATA", local.toString(), "APPDATA", tmp.resolve("roaming").toString()),
            home);
    Recorder rec = new Recorder();
    Installer installer = new Installer(paths, rec);
    installer.install(fakeBuild(), Installer.Init.AUTO, false);

    Path manifest = local.resolve("Sceau/app/org.sceau.bridge.json");
    JsonNode m = Json.parse(Files.readAllBytes(manifest));
    assertTrue(m.get("path").asText().endsWith("sceau-bridge.cmd"));
    String reg = Files.readString(local.resolve("Sceau/app/sceau.reg"), StandardCharsets.UTF_8);
    assertTrue(reg.startsWith("Windows Registry Editor Version 5.00\r\n"));
    assertTrue(
        reg.contains(
            "[HKEY_CURRENT_USER\\Software\\Mozilla\\NativeMessagingHosts\\org.sceau.bridge]"));
    assertTrue(reg.contains("@=\"" + manifest.toString().replace("\\", "\\\\") + "\""));
    assertTrue(reg.contains("\"Sceau helper\"="));
    assertTrue(rec.ran.stream().anyMatch(c -> c.get(0).equals("reg") && c.get(1).equals("import")));
    String cmd = Files.readString(local.resolve("Sceau/app/bin/sceau-bridge.cmd"));
    assertTrue(cmd.contains("org.sceau.app.bridge.BridgeMain %*"));

    installer.uninstall();
    assertTrue(rec.ran.stream().anyMatch(c -> c.get(0).equals("reg") && c.get(1).equals("delete")));
    assertTrue(!Files.exists(local.resolve("Sceau")));
  }

  @Test
  void linuxSystemdUnitIsWrittenAndEnabledEvenWithoutAUserManager() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    SceauPaths paths = new SceauPaths(Platform.LINUX, Map.of(), home);
    Installer installer = new Installer(paths, new Recorder());
    installer.install(fakeBuild(), Installer.Init.SYSTEMD, false);
    Path unit = home.resolve(".config/systemd/user/sceau-helper.service");
    String text = Files.readString(unit);
    assertTrue(
        text.contains(
            "ExecStart=\"" + home.resolve(".local/share/sceau/app/bin/sceau-helper") + "\""));
    assertTrue(text.contains("WantedBy=default.target"));
    Path link = home.resolve(".config/systemd/user/default.target.wants/sceau-helper.service");
    assertEquals(unit, Files.readSymbolicLink(link));
    installer.uninstall();
    assertEquals(new TreeSet<>(List.of("")), tree(home));
  }

  @Test
  void profilesIniParsingFollowsRelativeAndAbsolutePaths() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("tb"));
    Path rel = Files.createDirectories(root.resolve("p1"));
    Path abs = Files.createDirectories(tmp.resolve("elsewhere"));
    List<Path> found =
        ThunderbirdProfiles.parse(
            root,
            List.of(
                "[General]",
                "StartWithLastProfile=1",
                "[Profile0]",
                "Path=p1",
                "IsRelative=1",
                "[Profile1]",
                "IsRelative=0",
                "Path=" + abs,
                "[Profile2]",
                "Path=missing",
                "[Install4F96D1932A9F858E]",
                "Default=p1"));
    assertEquals(List.of(rel, abs), found);
  }
}
