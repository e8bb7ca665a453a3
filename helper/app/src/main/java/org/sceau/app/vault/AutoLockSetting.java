package org.sceau.app.vault;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.sceau.app.rpc.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vault's auto-lock delay in minutes: SCEAU_VAULT_IDLE_MINUTES when set (it wins, so a
 * deployment can pin it), else the user's choice kept in {@value #FILE_NAME} in the helper's config
 * directory (not secret: it lives outside the vault, so it applies before the first unlock), else
 * {@value #DEFAULT_MINUTES}.
 */
public final class AutoLockSetting {
  private static final Logger LOG = LoggerFactory.getLogger(AutoLockSetting.class);

  static final String FILE_NAME = "vault-settings.json";
  static final String ENV = "SCEAU_VAULT_IDLE_MINUTES";
  public static final int DEFAULT_MINUTES = 15;

  /** A day: "never" is not offered, since a vault that never locks defeats the auto-lock. */
  public static final int MAX_MINUTES = 1440;

  private static final int MAX_FILE_BYTES = 4096;

  /** Where the value in force comes from. */
  public enum Source {
    ENVIRONMENT,
    SETTINGS,
    DEFAULT
  }

  /** The delay in force and where it comes from. */
  public record Effective(int minutes, Source source) {
    public Duration duration() {
      return Duration.ofMinutes(minutes);
    }
  }

  private final Path file;
  private final Map<String, String> env;

  public AutoLockSetting(Path configDir, Map<String, String> env) {
    this.file = configDir.resolve(FILE_NAME);
    this.env = Map.copyOf(env);
  }

  public Effective effective() {
    Optional<Integer> fromEnv = parse(env.get(ENV));
    if (fromEnv.isPresent()) {
      return new Effective(fromEnv.get(), Source.ENVIRONMENT);
    }
    Optional<Integer> saved = saved();
    if (saved.isPresent()) {
      return new Effective(saved.get(), Source.SETTINGS);
    }
    return new Effective(DEFAULT_MINUTES, Source.DEFAULT);
  }

  /** Keeps {@code minutes} (1..{@value #MAX_MINUTES}), written atomically. */
  void save(int minutes) throws IOException {
    if (!valid(minutes)) {
      throw new IllegalArgumentException("minutes out of range");
    }
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), ".vault-settings", ".tmp");
    try {
      Files.write(tmp, Json.bytes(Json.object().put("idleMinutes", minutes)));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static boolean valid(int minutes) {
    return minutes >= 1 && minutes <= MAX_MINUTES;
  }

  /** The environment's value, read as before: 1 to 5 digits, positive. */
  private static Optional<Integer> parse(String text) {
    if (text == null || !text.matches("\\d{1,5}")) {
      return Optional.empty();
    }
    int m = Integer.parseInt(text);
    return m > 0 ? Optional.of(m) : Optional.empty();
  }

  /** The saved value; a missing, oversized or unreadable file is no value (logged, not fatal). */
  private Optional<Integer> saved() {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn("{} unreadable; using the default auto-lock", FILE_NAME);
      return Optional.empty();
    }
    if (bytes.length > MAX_FILE_BYTES) {
      LOG.warn("{} too large; using the default auto-lock", FILE_NAME);
      return Optional.empty();
    }
    try {
      JsonNode n = Json.parse(bytes).path("idleMinutes");
      if (n.isInt() && valid(n.intValue())) {
        return Optional.of(n.intValue());
      }
    } catch (IOException e) {
      // fall through
    }
    LOG.warn("{} is not valid; using the default auto-lock", FILE_NAME);
    return Optional.empty();
  }
}
