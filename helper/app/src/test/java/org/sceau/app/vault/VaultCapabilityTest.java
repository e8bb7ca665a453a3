package org.sceau.app.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.rpc.Caller;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.vault.KdfParams;
import org.sceau.vault.VaultOptions;

class VaultCapabilityTest {
  static final VaultOptions FAST = new VaultOptions(Duration.ZERO, new KdfParams(1024, 1, 1));

  @TempDir Path root;
  final MethodRegistry registry = new MethodRegistry();
  final List<String> notifications = new CopyOnWriteArrayList<>();
  VaultCapability cap;

  @BeforeEach
  void setUp() {
    cap = new VaultCapability(root.resolve("vault"), FAST);
    cap.register(registry, (method, params) -> notifications.add(method + " " + params));
  }

  @AfterEach
  void tearDown() {
    cap.close();
  }

  JsonNode call(String method, JsonNode params) throws RpcException {
    return registry.find(method).orElseThrow().method().call(Caller.ADDON, params);
  }

  static ObjectNode params(String... kv) {
    ObjectNode n = Json.object();
    for (int i = 0; i < kv.length; i += 2) {
      n.put(kv[i], kv[i + 1]);
    }
    return n;
  }

  RpcError error(String method, JsonNode params) {
    return assertThrows(RpcException.class, () -> call(method, params)).error();
  }

  @Test
  void registersTheSevenVaultMethods() {
    assertEquals(
        Set.of(
            "vault.create",
            "vault.unlock",
            "vault.lock",
            "vault.status",
            "vault.changePassphrase",
            "vault.backup",
            "vault.restore"),
        registry.names());
    assertEquals("vault", cap.name());
  }

  @Test
  void autoLockIsChangedAtOnceKeptOutsideTheVaultAndTheEnvironmentWins() throws Exception {
    Path config = root.resolve("config");
    AutoLockSetting setting = new AutoLockSetting(config, java.util.Map.of());
    MethodRegistry reg = new MethodRegistry();
    VaultCapability c = new VaultCapability(root.resolve("v2"), FAST, setting);
    c.register(reg, (m, p) -> {});
    try {
      JsonNode st = reg.find("vault.status").orElseThrow().method().call(Caller.ADDON, params());
      assertEquals("default", st.get("idleTimeoutSource").asText());
      ObjectNode set = Json.object().put("minutes", 30);
      JsonNode r = reg.find("vault.setIdleMinutes").orElseThrow().method().call(Caller.ADDON, set);
      assertEquals(1800, r.get("idleTimeoutSeconds").asInt(), "applied at once");
      assertEquals("settings", r.get("idleTimeoutSource").asText());
      String file = Files.readString(config.resolve(AutoLockSetting.FILE_NAME));
      assertEquals("{\"idleMinutes\":30}", file);
      try (var files = Files.list(config)) {
        assertEquals(1, files.count(), "no temporary file left");
      }
      // A helper started later reads it back.
      assertEquals(
          new AutoLockSetting.Effective(30, AutoLockSetting.Source.SETTINGS),
          new AutoLockSetting(config, java.util.Map.of()).effective());
      for (JsonNode bad :
          List.<JsonNode>of(
              Json.object().put("minutes", 0),
              Json.object().put("minutes", 1441),
              Json.object().put("minutes", "10"),
              Json.object().put("minutes", 2.5),
              Json.object())) {
        RpcException e =
            assertThrows(
                RpcException.class,
                () ->
                    reg.find("vault.setIdleMinutes")
                        .orElseThrow()
                        .method()
                        .call(Caller.ADDON, bad));
        assertEquals(RpcError.INVALID_PARAMS, e.error(), bad.toString());
      }
    } finally {
      c.close();
    }
    // SCEAU_VAULT_IDLE_MINUTES wins over the saved choice.
    AutoLockSetting pinned =
        new AutoLockSetting(config, java.util.Map.of("SCEAU_VAULT_IDLE_MINUTES", "5"));
    assertEquals(
        new AutoLockSetting.Effective(5, AutoLockSetting.Source.ENVIRONMENT), pinned.effective());
    MethodRegistry reg3 = new MethodRegistry();
    VaultCapability c3 = new VaultCapability(root.resolve("v3"), FAST, pinned);
    c3.register(reg3, (m, p) -> {});
    try {
      JsonNode r =
          reg3.find("vault.setIdleMinutes")
              .orElseThrow()
              .method()
              .call(Caller.ADDON, Json.object().put("minutes", 60));
      assertEquals("environment", r.get("idleTimeoutSource").asText());
      assertEquals(300, r.get("idleTimeoutSeconds").asInt());
    } finally {
      c3.close();
    }
    // An unreadable file is the default, not a failure.
    Files.writeString(config.resolve(AutoLockSetting.FILE_NAME), "{\"idleMinutes\":\"x\"");
    assertEquals(
        new AutoLockSetting.Effective(15, AutoLockSetting.Source.DEFAULT),
        new AutoLockSetting(config, java.util.Map.of()).effective());
  }

  @Test
  void createLockUnlockAndStatus() throws Exception {
    assertEquals("absent", call("vault.status", Json.object()).path("state").asText());
    assertEquals("absent", cap.status().path("state").asText());
    JsonNode s = call("vault.create", params("passphrase", "correct horse"));
    assertEquals("unlocked", s.path("state").asText());
    assertEquals("argon2id", s.path("kdf").path("algorithm").asText());
    assertFalse(s.path("keyFileRequired").asBoolean());
    cap.vault().store("openpgp.keys").put("k", "v".getBytes(StandardCharsets.UTF_8));

    assertEquals("locked", call("vault.lock", Json.object()).path("state").asText());
    assertTrue(notifications.stream().anyMatch(n -> n.startsWith("vault.locked")));
    assertEquals("locked", cap.status().path("state").asText());

    assertEquals(VaultErrors.WRONG_PASSPHRASE, error("vault.unlock", params("passphrase", "nope")));
    assertEquals(
        "unlocked",
        call("vault.unlock", params("passphrase", "correct horse")).path("state").asText());
    assertTrue(cap.vault().store("openpgp.keys").get("k").isPresent());
  }

  @Test
  void errorsAreTyped() throws Exception {
    assertEquals(VaultErrors.NO_VAULT, error("vault.unlock", params("passphrase", "x")));
    assertEquals(RpcError.INVALID_PARAMS, error("vault.create", Json.object()));
    assertEquals(RpcError.INVALID_PARAMS, error("vault.create", params("passphrase", "")));
    assertEquals(
        RpcError.INVALID_PARAMS, error("vault.create", Json.object().put("passphrase", 1234)));
    assertEquals(
        RpcError.INVALID_PARAMS, error("vault.create", params("passphrase", "x".repeat(1025))));
    call("vault.create", params("passphrase", "pw"));
    assertEquals(VaultErrors.VAULT_EXISTS, error("vault.create", params("passphrase", "pw")));
    assertEquals(
        RpcError.INVALID_PARAMS,
        error("vault.backup", params("path", "relative/file", "passphrase", "b")));
    call("vault.lock", Json.object());
    assertEquals(
        RpcError.VAULT_LOCKED,
        error("vault.backup", params("path", root.resolve("b").toString(), "passphrase", "b")));
    Path key = Files.writeString(root.resolve("k.key"), "key");
    assertEquals(
        VaultErrors.KEY_FILE_WRONG,
        error("vault.unlock", params("passphrase", "pw", "keyFile", key.toString())));
  }

  @Test
  void errorMessagesNeverCarryThePassphrase() throws Exception {
    call("vault.create", params("passphrase", "s3cret-Passphrase"));
    call("vault.lock", Json.object());
    RpcException e =
        assertThrows(
            RpcException.class,
            () -> call("vault.unlock", params("passphrase", "s3cret-Passphrase-typo")));
    assertFalse(e.getMessage().contains("s3cret"));
  }

  @Test
  void changePassphraseWithKeyFile() throws Exception {
    call("vault.create", params("passphrase", "old"));
    Path key = Files.writeString(root.resolve("usb.key"), "random key file content");
    JsonNode s =
        call(
            "vault.changePassphrase",
            params("passphrase", "old", "newPassphrase", "new", "newKeyFile", key.toString()));
    assertTrue(s.path("keyFileRequired").asBoolean());
    call("vault.lock", Json.object());
    assertEquals(VaultErrors.KEY_FILE_MISSING, error("vault.unlock", params("passphrase", "new")));
    call("vault.unlock", params("passphrase", "new", "keyFile", key.toString()));
  }

  @Test
  void backupThenRestoreElsewhere() throws Exception {
    call("vault.create", params("passphrase", "pw"));
    cap.vault().store("settings").put("a", "1".getBytes(StandardCharsets.UTF_8));
    Path backup = root.resolve("vault.backup");
    JsonNode b = call("vault.backup", params("path", backup.toString(), "passphrase", "backup pw"));
    assertTrue(b.path("bytes").asLong() > 0);

    VaultCapability other = new VaultCapability(root.resolve("other"), FAST);
    MethodRegistry r2 = new MethodRegistry();
    other.register(r2, (m, p) -> {});
    try {
      assertEquals(
          VaultErrors.WRONG_PASSPHRASE,
          assertThrows(
                  RpcException.class,
                  () ->
                      r2.find("vault.restore")
                          .orElseThrow()
                          .method()
                          .call(Caller.CLI, params("path", backup.toString(), "passphrase", "x")))
              .error());
      JsonNode s =
          r2.find("vault.restore")
              .orElseThrow()
              .method()
              .call(Caller.CLI, params("path", backup.toString(), "passphrase", "backup pw"));
      assertEquals("unlocked", s.path("state").asText());
      assertTrue(other.vault().store("settings").get("a").isPresent());
    } finally {
      other.close();
    }
  }

  @Test
  void closeLocksTheVault() throws Exception {
    call("vault.create", params("passphrase", "pw"));
    cap.close();
    assertEquals("locked", cap.status().path("state").asText());
  }

  @Test
  void idleTimeoutLocksAndNotifies() throws Exception {
    VaultCapability idle =
        new VaultCapability(root.resolve("idle"), FAST.withIdleTimeout(Duration.ofMillis(100)));
    List<String> seen = new CopyOnWriteArrayList<>();
    idle.register(new MethodRegistry(), (m, p) -> seen.add(m + " " + p));
    try {
      idle.vault().create("pw".toCharArray(), null);
      for (int i = 0; i < 250 && idle.vault().isUnlocked(); i++) {
        Thread.sleep(20);
      }
      assertEquals("locked", idle.status().path("state").asText());
      assertTrue(seen.contains("vault.locked {\"reason\":\"idle\"}"), seen.toString());
    } finally {
      idle.close();
    }
  }

  @Test
  void everyVaultErrorCodeHasAnRpcError() {
    for (org.sceau.vault.VaultException.Code c : org.sceau.vault.VaultException.Code.values()) {
      assertEquals(
          c == org.sceau.vault.VaultException.Code.INVALID_ARGUMENT ? "INVALID_PARAMS" : c.name(),
          VaultErrors.of(c).type());
    }
  }
}
