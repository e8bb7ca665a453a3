package org.sceau.app.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.sceau.app.paths.SceauPaths;

/** Finds the user's Thunderbird profiles from every {@code profiles.ini} Thunderbird may use. */
final class ThunderbirdProfiles {
  private ThunderbirdProfiles() {}

  /** The directories that may hold a Thunderbird {@code profiles.ini} on this platform. */
  static List<Path> roots(SceauPaths paths) {
    Path home = paths.home();
    return switch (paths.platform()) {
      case LINUX -> {
        String xdgConfig = paths.env().get("XDG_CONFIG_HOME");
        Path config =
            xdgConfig != null && Path.of(xdgConfig).isAbsolute()
                ? Path.of(xdgConfig)
                : home.resolve(".config");
        yield List.of(home.resolve(".thunderbird"), config.resolve("thunderbird"));
      }
      case MACOS -> List.of(home.resolve("Library/Thunderbird"));
      case WINDOWS -> {
        String appData = paths.env().get("APPDATA");
        yield List.of(
            (appData != null ? Path.of(appData) : home.resolve("AppData/Roaming"))
                .resolve("Thunderbird"));
      }
    };
  }

  /** Every existing profile directory named by a {@code Path=} line, de-duplicated. */
  static List<Path> find(SceauPaths paths) throws IOException {
    Set<Path> found = new LinkedHashSet<>();
    for (Path root : roots(paths)) {
      Path ini = root.resolve("profiles.ini");
      if (Files.isRegularFile(ini)) {
        found.addAll(parse(root, Files.readAllLines(ini, StandardCharsets.UTF_8)));
      }
    }
    return new ArrayList<>(found);
  }

  static List<Path> parse(Path root, List<String> lines) {
    List<Path> profiles = new ArrayList<>();
    boolean inProfile = false;
    String path = null;
    boolean relative = true;
    for (String raw : lines) {
      String line = raw.strip();
      if (line.startsWith("[")) {
        add(profiles, root, inProfile, path, relative);
        inProfile = line.startsWith("[Profile");
        path = null;
        relative = true;
      } else if (line.startsWith("Path=")) {
        path = line.substring(5);
      } else if (line.startsWith("IsRelative=")) {
        relative = !line.substring(11).equals("0");
      }
    }
    add(profiles, root, inProfile, path, relative);
    return profiles;
  }

  private static void add(
      List<Path> out, Path root, boolean inProfile, String path, boolean relative) {
    if (!inProfile || path == null || path.isBlank()) {
      return;
    }
    Path p = relative ? root.resolve(path) : Path.of(path);
    p = p.normalize();
    if (Files.isDirectory(p)) {
      out.add(p);
    }
  }
}
