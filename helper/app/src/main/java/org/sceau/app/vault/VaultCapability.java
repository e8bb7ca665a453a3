package org.sceau.app.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.sceau.app.rpc.Capability;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.Notifier;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.vault.Vault;
import org.sceau.vault.VaultException;
import org.sceau.vault.VaultListener;
import org.sceau.vault.VaultOptions;
import org.sceau.vault.VaultStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vault as the helper serves it: {@code vault.create/unlock/lock/status/changePassphrase/
 * backup/restore}, and {@code vault.locked} / {@code vault.unlocked} notifications.
 *
 * <p>Passphrases arrive as JSON strings (the RPC parser has already made Strings of them, which
 * cannot be wiped); they are turned into char arrays at once, handed to the vault, which zero-fills
 * them, and never logged. Other capabilities reach their data through {@link #vault()}.
 *
 * <p>Params: {@code passphrase} (string), {@code keyFile} (path, optional), {@code newPassphrase}
 * and {@code newKeyFile} (changePassphrase), {@code path} (backup, restore). Results are the
 * vault's status object.
 */
public final class VaultCapability implements Capability {
  private static final Logger LOG = LoggerFactory.getLogger(VaultCapability.class);

  /** Longer passphrases are refused before any work is done. */
  static final int MAX_PASSPHRASE_CHARS = 1024;

  private final Vault vault;
  private final AutoLockSetting autoLock;

  /**
   * @param vaultDirectory where the vault lives (the data directory's {@code vault} folder)
   * @param idleTimeout auto-lock after this long without use; zero disables it
   */
  public VaultCapability(Path vaultDirectory, Duration idleTimeout) {
    this(vaultDirectory, VaultOptions.defaults().withIdleTimeout(idleTimeout), null);
  }

  /**
   * With an auto-lock delay the user can change ({@code vault.setIdleMinutes}).
   *
   * @param autoLock the delay in force at start and where the user's choice is kept
   */
  public VaultCapability(Path vaultDirectory, AutoLockSetting autoLock) {
    this(
        vaultDirectory,
        VaultOptions.defaults().withIdleTimeout(autoLock.effective().duration()),
        autoLock);
  }

  VaultCapability(Path vaultDirectory, VaultOptions options) {
    this(vaultDirectory, options, null);
  }

  VaultCapability(Path vaultDirectory, VaultOptions options, AutoLockSetting autoLock) {
    this.vault = Vault.at(vaultDirectory, options);
    this.autoLock = autoLock;
  }

  /** The vault, for capabilities that store their data in it. */
  public Vault vault() {
    return vault;
  }

  @Override
  public String name() {
    return "vault";
  }

  @Override
  public void register(MethodRegistry registry, Notifier notifier) {
    vault.addListener(
        new VaultListener() {
          @Override
          public void unlocked() {
            LOG.info("vault unlocked");
            notifier.notifyAll("vault.unlocked", Json.object());
          }

          @Override
          public void locked(LockReason reason) {
            LOG.info("vault locked ({})", reason.name().toLowerCase(Locale.ROOT));
            notifier.notifyAll(
                "vault.locked",
                Json.object().put("reason", reason.name().toLowerCase(Locale.ROOT)));
          }
        });
    registry.register(
        "vault.create",
        (caller, p) -> {
          char[] pass = passphrase(p, "passphrase");
          Path keyFile = optionalPath(p, "keyFile");
          run("create", () -> vault.create(pass, keyFile));
          LOG.info("vault created (key file: {})", keyFile != null);
          return status();
        });
    registry.register(
        "vault.unlock",
        (caller, p) -> {
          char[] pass = passphrase(p, "passphrase");
          Path keyFile = optionalPath(p, "keyFile");
          run("unlock", () -> vault.unlock(pass, keyFile));
          return status();
        });
    registry.register(
        "vault.lock",
        (caller, p) -> {
          vault.lock();
          return status();
        });
    registry.register("vault.status", (caller, p) -> status());
    registry.register(
        "vault.changePassphrase",
        (caller, p) -> {
          Path keyFile = optionalPath(p, "keyFile");
          Path newKeyFile = optionalPath(p, "newKeyFile");
          char[] current = passphrase(p, "passphrase");
          char[] next;
          try {
            next = passphrase(p, "newPassphrase");
          } catch (RpcException e) {
            java.util.Arrays.fill(current, '\0');
            throw e;
          }
          run("changePassphrase", () -> vault.changePassphrase(current, keyFile, next, newKeyFile));
          LOG.info("vault passphrase changed (key file: {})", newKeyFile != null);
          return status();
        });
    registry.register(
        "vault.backup",
        (caller, p) -> {
          Path target = requiredPath(p, "path");
          char[] pass = passphrase(p, "passphrase");
          run("backup", () -> vault.backup(target, pass));
          LOG.info("vault backup written");
          ObjectNode r = Json.object().put("path", target.toString());
          try {
            r.put("bytes", Files.size(target));
          } catch (java.io.IOException e) {
            LOG.debug("backup size unavailable", e);
          }
          return r;
        });
    registry.register(
        "vault.restore",
        (caller, p) -> {
          Path source = requiredPath(p, "path");
          Path keyFile = optionalPath(p, "keyFile");
          char[] pass = passphrase(p, "passphrase");
          run("restore", () -> vault.restore(source, pass, keyFile));
          LOG.info("vault restored from a backup");
          return status();
        });
    if (autoLock != null) {
      registry.register("vault.setIdleMinutes", (caller, p) -> setIdleMinutes(p));
    }
  }

  /**
   * Keeps the user's auto-lock delay and applies it at once, unless SCEAU_VAULT_IDLE_MINUTES is
   * set: then it is kept for later but the environment's value stays in force (the status says
   * which).
   */
  private JsonNode setIdleMinutes(JsonNode p) throws RpcException {
    JsonNode m = p.get("minutes");
    if (m == null || !m.isInt() || !AutoLockSetting.valid(m.intValue())) {
      throw new RpcException(
          RpcError.INVALID_PARAMS,
          "Give the minutes as a whole number from 1 to " + AutoLockSetting.MAX_MINUTES + ".");
    }
    try {
      autoLock.save(m.intValue());
    } catch (java.io.IOException e) {
      LOG.warn("auto-lock setting not saved: {}", e.getClass().getSimpleName());
      throw new RpcException(
          RpcError.INTERNAL_ERROR,
          "The setting could not be saved in the helper's config folder; check that it is"
              + " writable.");
    }
    AutoLockSetting.Effective e = autoLock.effective();
    vault.setIdleTimeout(e.duration());
    LOG.info("auto-lock set ({} min, {})", e.minutes(), e.source());
    return status();
  }

  /**
   * {@code {"state": "absent" | "locked" | "unlocked", …}}; "error" when the header is unreadable.
   */
  @Override
  public JsonNode status() {
    try {
      ObjectNode n = statusJson(vault.status());
      if (autoLock != null) {
        n.put("idleTimeoutSource", autoLock.effective().source().name().toLowerCase(Locale.ROOT));
      }
      return n;
    } catch (VaultException e) {
      return Json.object()
          .put("state", "error")
          .put("error", VaultErrors.of(e.code()).type())
          .put("message", e.getMessage());
    }
  }

  private static ObjectNode statusJson(VaultStatus s) {
    ObjectNode n = Json.object().put("state", s.state().name().toLowerCase(Locale.ROOT));
    n.put("idleTimeoutSeconds", s.idleTimeout().toSeconds());
    if (s.state() != VaultStatus.State.ABSENT) {
      n.put("formatVersion", s.formatVersion());
      n.put("keyFileRequired", s.keyFileRequired());
      n.put("pendingDeposits", s.pendingDeposits());
      n.putObject("kdf")
          .put("algorithm", "argon2id")
          .put("memoryKiB", s.kdf().memoryKiB())
          .put("iterations", s.kdf().iterations())
          .put("parallelism", s.kdf().parallelism());
    }
    return n;
  }

  /** Locks the vault: the helper is shutting down. */
  @Override
  public void close() {
    vault.close();
  }

  // ---- params

  @FunctionalInterface
  private interface VaultCall {
    void run() throws VaultException;
  }

  /** Runs a vault call; a refusal is logged by its code only (never params or messages). */
  private static void run(String what, VaultCall call) throws RpcException {
    try {
      call.run();
    } catch (VaultException e) {
      LOG.info("vault.{} refused: {}", what, e.code());
      throw VaultErrors.toRpc(e);
    }
  }

  /** The passphrase as a char array the vault will wipe. Never part of any message or log. */
  static char[] passphrase(JsonNode params, String field) throws RpcException {
    JsonNode n = params.get(field);
    if (n == null || !n.isTextual()) {
      throw new RpcException(RpcError.INVALID_PARAMS, "Give the " + field + " as a string.");
    }
    String s = n.textValue();
    if (s.isEmpty() || s.length() > MAX_PASSPHRASE_CHARS) {
      throw new RpcException(
          RpcError.INVALID_PARAMS,
          "The " + field + " must be 1 to " + MAX_PASSPHRASE_CHARS + " characters.");
    }
    return s.toCharArray();
  }

  static Path optionalPath(JsonNode params, String field) throws RpcException {
    JsonNode n = params.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    return path(n, field);
  }

  static Path requiredPath(JsonNode params, String field) throws RpcException {
    JsonNode n = params.get(field);
    if (n == null || n.isNull()) {
      throw new RpcException(RpcError.INVALID_PARAMS, "Give the " + field + " (a file path).");
    }
    return path(n, field);
  }

  private static Path path(JsonNode n, String field) throws RpcException {
    if (!n.isTextual() || n.textValue().isEmpty() || n.textValue().length() > 4096) {
      throw new RpcException(RpcError.INVALID_PARAMS, "The " + field + " must be a file path.");
    }
    try {
      Path p = Path.of(n.textValue());
      if (!p.isAbsolute()) {
        throw new RpcException(
            RpcError.INVALID_PARAMS,
            "The " + field + " must be an absolute path (the helper has its own directory).");
      }
      return p;
    } catch (InvalidPathException e) {
      throw new RpcException(RpcError.INVALID_PARAMS, "The " + field + " is not a valid path.");
    }
  }
}
