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
              new PowDifficulty(1, 1));
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
      } catch (RpcException e) {
        // not yet
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
    await(
        "bob's node holds it", () -> b.call("bm.status").get("node").get("inventory").asInt() >= 4);
    assertFalse(b.notified.contains("bm.received"));

    b.vault.unlock("bob passphrase".toCharArray(), null);
    await("bob reads it", () -> b.call("bm.inbox").get("messages").size() == 1);
    assertTrue(b.notified.contains("bm.received"));
    JsonNode m = b.call("bm.inbox").get("messages").get(0);
    assertEquals("while locked", m.get("subject").asText());
    await(
        "the ack",
        () ->
            a.call("bm.message", Json.object().put("id", id))
                .get("state")
                .asText()
                .equals("acked"));
    assertTrue(a.notified.contains("bm.acked"));
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
}
