package org.sceau.app.paths;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Where Sceau keeps its files, per platform. Everything is derived from the environment (HOME and
 * the XDG variables on Linux) so that tests and installs can run in a temporary home.
 *
 * <ul>
 *   <li>Linux: data {@code $XDG_DATA_HOME/sceau} (default {@code ~/.local/share/sceau}), state
 *       (logs) {@code $XDG_STATE_HOME/sceau}, config {@code $XDG_CONFIG_HOME/sceau}, runtime
 *       (socket) {@code $XDG_RUNTIME_DIR/sceau}; without XDG_RUNTIME_DIR, {@code /tmp/sceau-<user>}
 *       (checked to be ours and private, as ssh-agent does).
 *   <li>macOS: data and config {@code ~/Library/Application Support/Sceau}, logs {@code
 *       ~/Library/Logs/Sceau}, socket in {@code $TMPDIR/sceau} (TMPDIR is per user and private on
 *       macOS).
 *   <li>Windows: data {@code %LOCALAPPDATA%\Sceau}, socket in {@code %LOCALAPPDATA%\Sceau\run}
 *       (AF_UNIX exists since Windows 10 1803; the directory's ACL is the user's).
 * </ul>
 *
 * <p>{@code SCEAU_RUNTIME_DIR} overrides the runtime directory (Unix socket paths are limited to
 * about 100 bytes, which deep temporary homes can exceed).
 */
public final class SceauPaths {
  private static final Set<PosixFilePermission> PRIVATE_DIR =
      PosixFilePermissions.fromString("rwx------");

  private final Platform platform;
  private final Map<String, String> env;
  private final Path home;

  public SceauPaths(Platform platform, Map<String, String> env, Path home) {
    this.platform = platform;
    this.env = Map.copyOf(env);
    this.home = home;
  }

  /** Paths for this process's platform, environment and {@code user.home}. */
  public static SceauPaths fromEnvironment() {
    String home = System.getenv("HOME");
    if (home == null || home.isBlank()) {
      home = System.getProperty("user.home");
    }
    return new SceauPaths(Platform.current(), System.getenv(), Path.of(home));
  }

  public Platform platform() {
    return platform;
  }

  public Path home() {
    return home;
  }

  public Map<String, String> env() {
    return env;
  }

  /** Data directory: the installed program, the vault. */
  public Path dataDir() {
    return switch (platform) {
      case LINUX -> xdg("XDG_DATA_HOME", ".local/share").resolve("sceau");
      case MACOS -> home.resolve("Library/Application Support/Sceau");
      case WINDOWS -> localAppData().resolve("Sceau");
    };
  }

  public Path configDir() {
    return switch (platform) {
      case LINUX -> xdg("XDG_CONFIG_HOME", ".config").resolve("sceau");
      case MACOS -> home.resolve("Library/Application Support/Sceau/config");
      case WINDOWS -> localAppData().resolve("Sceau").resolve("config");
    };
  }

  /** Logs. Never holds a secret, but is private all the same. */
  public Path stateDir() {
    return switch (platform) {
      case LINUX -> xdg("XDG_STATE_HOME", ".local/state").resolve("sceau");
      case MACOS -> home.resolve("Library/Logs/Sceau");
      case WINDOWS -> localAppData().resolve("Sceau").resolve("logs");
    };
  }

  /** The directory of the socket and the instance lock. */
  public Path runtimeDir() {
    String override = env.get("SCEAU_RUNTIME_DIR");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    return switch (platform) {
      case LINUX -> {
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
          yield Path.of(xdg).resolve("sceau");
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        yield Path.of("/tmp").resolve("sceau-" + user);
      }
      case MACOS -> {
        String tmp = env.getOrDefault("TMPDIR", "/tmp");
        yield Path.of(tmp).resolve("sceau");
      }
      case WINDOWS -> localAppData().resolve("Sceau").resolve("run");
    };
  }

  public Path socket() {
    return runtimeDir().resolve("helper.sock");
  }

  public Path lockFile() {
    return runtimeDir().resolve("helper.lock");
  }

  public Path logFile() {
    return stateDir().resolve("helper.log");
  }

  /**
   * Creates {@code dir} (and parents) and makes it private to the user. Refuses a directory that
   * exists but belongs to someone else: in a shared /tmp that would hand our socket to them.
   */
  public static Path ensurePrivateDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      String me = System.getProperty("user.name");
      String owner = Files.getOwner(dir).getName();
      if (me != null && !me.equals(owner)) {
        throw new IOException(
            "The directory "
                + dir
                + " belongs to "
                + owner
                + ", not to you; remove it or set "
                + "XDG_RUNTIME_DIR.");
      }
      Files.setPosixFilePermissions(dir, PRIVATE_DIR);
    }
    return dir;
  }

  private Path xdg(String variable, String fallbackUnderHome) {
    String value = env.get(variable);
    // The XDG spec says relative values are invalid and must be ignored.
    if (value != null && !value.isBlank() && Path.of(value).isAbsolute()) {
      return Path.of(value);
    }
    return home.resolve(fallbackUnderHome);
  }

  private Path localAppData() {
    String value = env.get("LOCALAPPDATA");
    return value != null && !value.isBlank() ? Path.of(value) : home.resolve("AppData/Local");
  }
}
