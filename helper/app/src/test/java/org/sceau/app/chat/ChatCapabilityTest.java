package org.sceau.app.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.rpc.Caller;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.chat.ChatException;
import org.sceau.chat.ChatTransport;
import org.sceau.vault.KdfParams;
import org.sceau.vault.Vault;
import org.sceau.vault.VaultOptions;

/**
 * The chat capability against a real vault. The relay address points at a closed loopback port: the
 * client stays offline, which is all these tests need (the real relay is exercised by tests/e2e).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatCapabilityTest {
  static final VaultOptions FAST = new VaultOptions(Duration.ZERO, new KdfParams(1024, 1, 1));
  static final String NOWHERE = "ws://127.0.0.1:9/v1/ws";

  @TempDir Path dir;
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  /** One helper's worth: a vault, the capability, its methods and what it notifies. */
  final class Node {
    final Vault vault;
    final ChatCapability chat;
    final MethodRegistry registry = new MethodRegistry();
    final List<String> notified = new CopyOnWriteArrayList<>();

    Node(String name) throws Exception {
      vault = Vault.at(dir.resolve(name), FAST);
      chat = new ChatCapability(vault, ChatTransport::relay, Duration.ofSeconds(1));
      chat.register(registry, (method, params) -> notified.add(method));
      open.add(vault);
      open.add(chat);
    }

    JsonNode call(String method, JsonNode params) throws RpcException {
      return registry.find(method).orElseThrow().method().call(Caller.CLI, params);
    }

    JsonNode call(String method) throws RpcException {
      return call(method, Json.object());
    }

    Node created() throws Exception {
      vault.create("a passphrase".toCharArray(), null);
      return this;
    }

    Node configured() throws Exception {
      created();
      call("chat.configure", Json.object().put("relay", NOWHERE));
      return this;
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private static RpcError error(Executable e) {
    return assertThrows(RpcException.class, e::run).error();
  }

  @FunctionalInterface
  interface Executable {
    void run() throws Exception;
  }

  @Test
  void everyMethodAnswersVaultLockedWhileTheVaultIsLocked() throws Exception {
    Node n = new Node("a").configured();
    n.vault.lock();
    for (String m : n.registry.names()) {
      ObjectNode p =
          Json.object()
              .put("relay", NOWHERE)
              .put("conversation", "00ff")
              .put("device", "00".repeat(32))
              .put("text", "x");
      assertEquals(RpcError.VAULT_LOCKED, error(() -> n.call(m, p)), m);
    }
    assertEquals("locked", n.chat.status().get("state").asText());
  }

  @Test
  void chatNeedsARelayFirst() throws Exception {
    Node n = new Node("a").created();
    assertEquals(ChatErrors.NOT_CONFIGURED, error(() -> n.call("chat.contacts")));
    assertEquals("unconfigured", n.call("chat.status").get("state").asText());
  }

  @Test
  void relayAddressIsCheckedAndKeptInTheVaultWithTheDeviceKey() throws Exception {
    Node n = new Node("a").created();
    for (String bad : List.of("ws://example.org/v1/ws", "http://127.0.0.1/", "not a url", "")) {
      assertEquals(
          RpcError.INVALID_PARAMS,
          error(() -> n.call("chat.configure", Json.object().put("relay", bad))),
          bad);
    }
    JsonNode s = n.call("chat.configure", Json.object().put("relay", NOWHERE));
    assertEquals(NOWHERE, s.get("relay").asText());
    String device = s.get("device").asText();
    assertEquals(64, device.length());

    // Lock and unlock: the address and the device identity come back from the vault.
    n.vault.lock();
    n.vault.unlock("a passphrase".toCharArray(), null);
    JsonNode again = n.call("chat.status");
    assertEquals(NOWHERE, again.get("relay").asText());
    assertEquals(device, again.get("device").asText());
    assertTrue(Set.of("offline", "online").contains(again.get("state").asText()));
  }

  @Test
  void safetyNumbersMatchOnBothSidesAndVerifyTheContact() throws Exception {
    Node a = new Node("a").configured();
    Node b = new Node("b").configured();
    String da = a.call("chat.status").get("device").asText();
    String db = b.call("chat.status").get("device").asText();
    JsonNode sa = a.call("chat.verify", Json.object().put("device", db));
    JsonNode sb = b.call("chat.verify", Json.object().put("device", da));
    assertEquals(sa.get("digits").asText(), sb.get("digits").asText());
    assertFalse(sa.get("verified").asBoolean());

    a.call("chat.saveContact", Json.object().put("device", db).put("name", "Bob"));
    String wrong = sb.get("digits").asText().replace('1', '2').replace('3', '1');
    assertFalse(
        a.call("chat.verify", Json.object().put("device", db).put("code", wrong))
            .get("verified")
            .asBoolean());
    assertTrue(
        a.call("chat.verify", Json.object().put("device", db).put("code", sb.get("qr").asText()))
            .get("verified")
            .asBoolean());
    JsonNode contact = a.call("chat.contacts").get("contacts").get(0);
    assertEquals("Bob", contact.get("name").asText());
    assertTrue(contact.get("verified").asBoolean());
  }

  @Test
  void badParamsAndUnknownConversationsAreTyped() throws Exception {
    Node n = new Node("a").configured();
    assertEquals(
        RpcError.INVALID_PARAMS,
        error(() -> n.call("chat.invite", Json.object().put("device", "xyz"))));
    assertEquals(RpcError.INVALID_PARAMS, error(() -> n.call("chat.invite", Json.object())));
    assertEquals(
        RpcError.INVALID_PARAMS,
        error(() -> n.call("chat.send", Json.object().put("conversation", "zz"))));
    assertEquals(
        ChatErrors.of(ChatException.Code.UNKNOWN_CONVERSATION),
        error(
            () ->
                n.call("chat.send", Json.object().put("conversation", "0a0b").put("text", "hi"))));
    String big = "x".repeat(ChatCapability.MAX_TEXT_CHARS + 1);
    assertEquals(
        RpcError.INVALID_PARAMS,
        error(() -> n.call("chat.send", Json.object().put("conversation", "0a").put("text", big))));
    // Inviting needs the relay (it holds the KeyPackages): offline is said so, not hidden.
    assertEquals(
        ChatErrors.of(ChatException.Code.OFFLINE),
        error(() -> n.call("chat.invite", Json.object().put("device", "11".repeat(32)))));
  }

  @Test
  void everyChatCodeHasItsOwnRpcError() {
    Set<Integer> numbers = new HashSet<>();
    for (ChatException.Code c : ChatException.Code.values()) {
      RpcError e = ChatErrors.of(c);
      assertTrue(numbers.add(e.code()), c.name());
      assertNotEquals(RpcError.VAULT_LOCKED, e);
    }
    assertEquals(
        RpcError.VAULT_LOCKED,
        ChatErrors.toRpc(new ChatException(ChatException.Code.STORE_FAILED), false).error());
    assertEquals(
        "STORE_FAILED",
        ChatErrors.toRpc(new ChatException(ChatException.Code.STORE_FAILED), true).error().type());
  }
}
