package org.sceau.app.bm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.rpc.Caller;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.RpcException;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.net.ProxySettings;
import org.sceau.vault.KdfParams;
import org.sceau.vault.Vault;
import org.sceau.vault.VaultOptions;

/**
 * The bm capability in-process against real vaults and real nodes on loopback (tiny difficulty).
 * Shows what only the helper's wiring does: the mailbox closes when the vault locks, and what the
 * node relayed meanwhile is read on unlock.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BmCapabilityTest {
  static final VaultOptions FAST = new VaultOptions(Duration.ZERO, new KdfParams(1024, 1, 1));

  @TempDir Path dir;
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  final class Helper {
    final Vault vault;
    final BmCapability bm;
    final MethodRegistry registry = new MethodRegistry();
    final List<String> notified = new CopyOnWriteArrayList<>();

    Helper(String name, int port, List<String> peers, boolean enabled) {
      this(name, port, peers, enabled, new PowDifficulty(1, 1));
    }

    Helper(String name, int port, List<String> peers, boolean enabled, PowDifficulty min) {
      vault = Vault.at(dir.resolve(name).resolve("vault"), FAST);
      BmSettings s =
          new BmSettings(
              enabled,
              enabled ? "" : "SCEAU_BM=off",
              dir.resolve(name).resolve("bitmessage"),
              Optional.of(port),
              peers,
              false,
              ProxySettings.NONE,
              1,
              min);
      bm = new BmCapability(vault, s);
      bm.register(registry, (method, params) -> notified.add(method));
      open.add(bm);
      open.add(vault);
    }

    JsonNode call(String method, JsonNode params) throws RpcException {
      return registry.find(method).orElseThrow().method().call(Caller.CLI, params);
    }

    JsonNode call(String method) throws RpcException {
      return call(method, Json.object());
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  interface Check {
    boolean test() throws Exception;
  }

  static void await(String what, Check c) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (true) {
      try {
        if (c.test()) {
          return;
        }
      } catch (RpcException | RuntimeException e) {
        // not yet (the node starts in the background: no "node" in the status before)
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(30);
    }
  }

  @Test
  void whatArrivesWhileTheVaultIsLockedIsReadOnUnlock() throws Exception {
    int pa = freePort();
    int pb = freePort();
    Helper a = new Helper("a", pa, List.of("127.0.0.1:" + pb), true);
    Helper b = new Helper("b", pb, List.of("127.0.0.1:" + pa), true);
    a.vault.create("alice passphrase".toCharArray(), null);
    b.vault.create("bob passphrase".toCharArray(), null);

    String alice =
        a.call("bm.newIdentity", Json.object().put("label", "a")).get("address").asText();
    JsonNode bobId = b.call("bm.newIdentity", Json.object().put("label", "b"));
    String bob = bobId.get("address").asText();
    assertTrue(bobId.get("powEstimateSeconds").asLong() >= 0);
    await(
        "bob's pubkey",
        () -> b.call("bm.identities").get("identities").get(0).get("pubkeyPublished").asBoolean());

    // Bob locks his vault: his mailbox closes, his node keeps relaying.
    b.vault.lock();
    RpcException locked = assertThrows(RpcException.class, () -> b.call("bm.inbox"));
    assertEquals("VAULT_LOCKED", locked.error().type());
    assertEquals("locked", b.call("bm.status").get("state").asText());

    String id =
        a.call(
                "bm.send",
                Json.object()
                    .put("from", alice)
                    .put("to", bob)
                    .put("subject", "while locked")
                    .put("body", "read me later"))
            .get("id")
            .asText();
    await(
        "sent",
        () ->
            a.call("bm.message", Json.object().put("id", id)).get("state").asText().equals("sent"));
    // Bob's node holds everything Alice's holds (two pubkeys, the msg, maybe a getpubkey).
    await(
        "bob's node holds it",
        () -> {
          int held = b.call("bm.status").get("node").get("inventory").asInt();
          return held >= 3 && held >= a.call("bm.status").get("node").get("inventory").asInt();
        });
    assertFalse(b.notified.contains("bm.received"));

    b.vault.unlock("bob passphrase".toCharArray(), null);
    await("bob reads it", () -> b.call("bm.inbox").get("messages").size() == 1);
    await("bob was notified", () -> b.notified.contains("bm.received"));
    JsonNode m = b.call("bm.inbox").get("messages").get(0);
    assertEquals("while locked", m.get("subject").asText());
    await(
        "the ack",
        () ->
            a.call("bm.message", Json.object().put("id", id))
                .get("state")
                .asText()
                .equals("acked"));
    await("alice was notified", () -> a.notified.contains("bm.acked"));
    assertTrue(a.notified.contains("bm.state"));

    // Read, delete: the ids work across folders.
    String mid = m.get("id").asText();
    b.call("bm.markRead", Json.object().put("id", mid));
    assertTrue(b.call("bm.message", Json.object().put("id", mid)).get("read").asBoolean());
    assertTrue(b.call("bm.delete", Json.object().put("id", mid)).get("deleted").asBoolean());
    assertEquals(0, b.call("bm.inbox").get("messages").size());
    assertEquals(1, a.call("bm.inbox", Json.object().put("folder", "sent")).get("messages").size());
  }

  @Test
  void proofOfWorkProgressIsNotifiedAndShownInTheStatus() throws Exception {
    // A difficulty far above the network's: the pubkey's search runs for minutes, never ends here.
    Helper h = new Helper("slow", freePort(), List.of(), true, new PowDifficulty(1_000_000, 1000));
    h.vault.create("a passphrase".toCharArray(), null);
    JsonNode id = h.call("bm.newIdentity", Json.object().put("label", "slow"));
    assertTrue(id.get("powEstimateSeconds").asLong() > 60, id.toString());
    assertTrue(id.get("explanation").asText().contains("proof of work"));
    await("a progress notification", () -> h.notified.contains("bm.pow.progress"));
    JsonNode pow = h.call("bm.status").get("pow");
    assertTrue(pow.get("running").asBoolean(), pow.toString());
    assertEquals("pubkey", pow.get("job").asText());
    assertEquals(1, pow.get("threads").asInt());
    assertFalse(
        h.call("bm.identities").get("identities").get(0).get("pubkeyPublished").asBoolean());
    // Locking the vault stops the search; the identity's pubkey stays queued for the next unlock.
    h.vault.lock();
    await("the search stopped", () -> !h.call("bm.status").has("pow"));
  }

  @Test
  void disabledNodeAndBadParamsAreTypedErrors() throws Exception {
    Helper h = new Helper("off", 0, List.of(), false);
    h.vault.create("a passphrase".toCharArray(), null);
    assertEquals("disabled", h.call("bm.status").get("state").asText());
    assertEquals(
        "BM_DISABLED",
        assertThrows(RpcException.class, () -> h.call("bm.identities")).error().type());

    Helper on = new Helper("on", freePort(), List.of(), true);
    on.vault.create("a passphrase".toCharArray(), null);
    String me = on.call("bm.newIdentity").get("address").asText();
    assertEquals(
        "INVALID_PARAMS",
        assertThrows(RpcException.class, () -> on.call("bm.send", Json.object().put("from", me)))
            .error()
            .type());
    assertEquals(
        "BM_BAD_ADDRESS",
        assertThrows(
                RpcException.class,
                () ->
                    on.call(
                        "bm.send",
                        Json.object().put("from", me).put("to", "BM-nothing").put("body", "x")))
            .error()
            .type());
    assertEquals(
        "BM_NOT_FOUND",
        assertThrows(
                RpcException.class,
                () -> on.call("bm.message", Json.object().put("id", "ab".repeat(32))))
            .error()
            .type());
    JsonNode chan = on.call("bm.newIdentity", Json.object().put("chan", "general"));
    assertTrue(chan.get("chan").asBoolean());
    assertEquals(2, on.call("bm.identities").get("identities").size());
  }

  @Test
  void settingsAreSavedAndAppliedByRestartingTheNode() throws Exception {
    Path config = dir.resolve("config");
    java.nio.file.Files.createDirectories(config);
    int first = freePort();
    java.nio.file.Files.writeString(
        config.resolve("bitmessage.json"), "{\"port\": " + first + ", \"bootstrap\": false}");
    Vault vault = Vault.at(dir.resolve("s").resolve("vault"), FAST);
    BmCapability bm =
        new BmCapability(
            vault,
            dir.resolve("s"),
            config,
            java.util.Map.of("SCEAU_BM_MIN_DIFFICULTY", "1/1", "SCEAU_BM_POW_THREADS", "1"));
    MethodRegistry registry = new MethodRegistry();
    bm.register(registry, (m, p) -> {});
    open.add(bm);
    open.add(vault);
    org.sceau.app.rpc.RpcMethod settings = registry.find("bm.settings").orElseThrow().method();
    org.sceau.app.rpc.RpcMethod status = registry.find("bm.status").orElseThrow().method();

    JsonNode shown = settings.call(Caller.CLI, Json.object());
    assertEquals(String.valueOf(first), shown.get("effective").get("port").asText());
    assertFalse(shown.get("effective").get("publicBootstrap").asBoolean());
    assertEquals(1, shown.get("effective").get("powThreads").asInt());
    assertEquals("SCEAU_BM_POW_THREADS", shown.get("overriddenByEnvironment").get(0).asText());
    await(
        "listening on the saved port",
        () ->
            status.call(Caller.CLI, Json.object()).get("node").get("listeningPort").asInt()
                == first);

    int second = freePort();
    assertEquals(
        "FORBIDDEN",
        assertThrows(
                RpcException.class,
                () -> settings.call(Caller.ADDON, Json.object().put("proxy", "none")))
            .error()
            .type(),
        "the add-on may read the settings but not change who learns the user's address");
    assertEquals(
        String.valueOf(first),
        settings.call(Caller.ADDON, Json.object()).get("effective").get("port").asText());
    JsonNode changed = settings.call(Caller.CLI, Json.object().put("port", second));
    assertTrue(changed.get("restarted").asBoolean());
    JsonNode after = status.call(Caller.CLI, Json.object());
    assertTrue(after.has("node"), after.toString());
    assertEquals(second, changed.get("saved").get("port").asInt());
    await(
        "listening on the new port",
        () ->
            status.call(Caller.CLI, Json.object()).get("node").get("listeningPort").asInt()
                == second);
    assertTrue(
        java.nio.file.Files.readString(config.resolve("bitmessage.json"))
            .contains(String.valueOf(second)));

    assertEquals(
        "INVALID_PARAMS",
        assertThrows(
                RpcException.class,
                () -> settings.call(Caller.CLI, Json.object().put("proxy", "http://x:1")))
            .error()
            .type());
    assertEquals(
        "INVALID_PARAMS",
        assertThrows(
                RpcException.class,
                () -> settings.call(Caller.CLI, Json.object().put("colour", "blue")))
            .error()
            .type());
  }
}
