package org.sceau.app.paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceauPathsTest {
  final Path home = Path.of("/home/ana");

  @Test
  void linuxFollowsXdgVariables() {
    SceauPaths p =
        new SceauPaths(
            Platform.LINUX,
            Map.of(
                "XDG_DATA_HOME",
                "/d",
                "XDG_STATE_HOME",
                "/s",
                "XDG_CONFIG_HOME",
                "/c",
                "XDG_RUNTIME_DIR",
                "/run/user/1000"),
            home);
    assertEquals(Path.of("/d/sceau"), p.dataDir());
    assertEquals(Path.of("/s/sceau"), p.stateDir());
    assertEquals(Path.of("/c/sceau"), p.configDir());
    assertEquals(Path.of("/run/user/1000/sceau/helper.sock"), p.socket());
  }

  @Test
  void linuxDefaultsAndIgnoresRelativeXdgValues() {
    SceauPaths p = new SceauPaths(Platform.LINUX, Map.of("XDG_DATA_HOME", "relative/dir"), home);
    assertEquals(home.resolve(".local/share/sceau"), p.dataDir());
    assertEquals(home.resolve(".local/state/sceau"), p.stateDir());
    assertEquals(
        Path.of("/tmp/sceau-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_")),
        p.runtimeDir());
  }

  @Test
  void macOsAndWindowsLocations() {
    SceauPaths mac = new SceauPaths(Platform.MACOS, Map.of("TMPDIR", "/var/folders/xy/T"), home);
    assertEquals(home.resolve("Library/Application Support/Sceau"), mac.dataDir());
    assertEquals(Path.of("/var/folders/xy/T/sceau/helper.sock"), mac.socket());
    SceauPaths win = new SceauPaths(Platform.WINDOWS, Map.of("LOCALAPPDATA", "/lad"), home);
    assertEquals(Path.of("/lad/Sceau"), win.dataDir());
    assertEquals(Path.of("/lad/Sceau/run/helper.sock"), win.socket());
  }

  @Test
  void runtimeDirectoryCanBeOverridden() {
    SceauPaths p =
        new SceauPaths(
            Platform.LINUX, Map.of("SCEAU_RUNTIME_DIR", "/r", "XDG_RUNTIME_DIR", "/x"), home);
    assertEquals(Path.of("/r/helper.sock"), p.socket());
  }

  @Test
  void privateDirectoriesAreMadeUserOnly(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("a/b");
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    SceauPaths.ensurePrivateDir(dir);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
  }

  @Test
  void aRegularFileInTheWayIsAnError(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("f"), "x");
    assertThrows(java.io.IOException.class, () -> SceauPaths.ensurePrivateDir(file.resolve("d")));
  }
}
