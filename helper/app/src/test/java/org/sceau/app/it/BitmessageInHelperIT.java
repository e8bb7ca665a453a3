package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sceau.app.client.HelperClient;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcException;

/**
 * Two real helper processes, each with its own home, vault and Bitmessage node, peers of each other
 * on loopback only (never the public bootstrap list), a tiny network difficulty: one sends a
 * message over RPC, the other's inbox shows it, the ack comes back.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BitmessageInHelperIT {

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Sandbox bmSandbox(int port, String peers) throws Exception {
    Sandbox s = new Sandbox();
    s.env.put("SCEAU_BM", "on");
    s.env.put("SCEAU_BM_PORT", Integer.toString(port));
    s.env.put("SCEAU_BM_PEERS", peers);
    s.env.put("SCEAU_BM_BOOTSTRAP", "off");
    s.env.put("SCEAU_BM_MIN_DIFFICULTY", "1/1");
    s.env.put("SCEAU_BM_POW_THREADS", "1");
    return s;
  }

  static JsonNode call(HelperClient c, String method, JsonNode params) throws Exception {
    return c.call(method, params);
  }

  static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  interface Check {
    boolean test() throws Exception;
  }

  static BooleanSupplier quietly(Check c) {
    return () -> {
      try {
        return c.test();
      } catch (Exception e) {
        return false;
      }
    };
  }

  @Test
  void twoHelpersExchangeAMessageOverTheirNodes() throws Exception {
    int portA = freePort();
    int portB = freePort();
    try (Sandbox a = bmSandbox(portA, "127.0.0.1:" + portB);
        Sandbox b = bmSandbox(portB, "127.0.0.1:" + portA)) {
      b.startHelper();
      a.startHelper();
      try (HelperClient ca = HelperClient.connect(a.socket());
          HelperClient cb = HelperClient.connect(b.socket())) {
        List<String> notified = new CopyOnWriteArrayList<>();
        ca.onNotification(n -> notified.add(n.path("method").asText()));

        // Locked (no vault yet): the status answers, the mailbox methods do not.
        JsonNode st = call(ca, "bm.status", null);
        assertEquals("locked", st.get("state").asText());
        RpcException locked =
            org.junit.jupiter.api.Assertions.assertThrows(
                RpcException.class, () -> call(ca, "bm.identities", null));
        assertEquals("VAULT_LOCKED", locked.error().type());

        call(ca, "vault.create", Json.object().put("passphrase", "alice's long passphrase"));
        call(cb, "vault.create", Json.object().put("passphrase", "bob's long passphrase"));

        JsonNode alice = call(ca, "bm.newIdentity", Json.object().put("label", "alice"));
        JsonNode bob = call(cb, "bm.newIdentity", Json.object().put("label", "bob"));
        assertTrue(alice.get("explanation").asText().contains("proof of work"));
        String from = alice.get("address").asText();
        String to = bob.get("address").asText();
        await(
            "bob's pubkey published",
            quietly(
                () ->
                    call(cb, "bm.identities", null)
                        .get("identities")
                        .get(0)
                        .get("pubkeyPublished")
                        .asBoolean()));
        await(
            "the nodes are peers",
            quietly(() -> call(ca, "bm.status", null).get("node").get("connections").asInt() > 0));

        JsonNode sent =
            call(
                ca,
                "bm.send",
                Json.object()
                    .put("from", from)
                    .put("to", to)
                    .put("subject", "over Bitmessage")
                    .put("body", "hello from the other helper"));
        String id = sent.get("id").asText();

        await(
            "bob's inbox shows it",
            quietly(() -> call(cb, "bm.inbox", null).get("messages").size() == 1));
        JsonNode summary = call(cb, "bm.inbox", null).get("messages").get(0);
        assertEquals(from, summary.get("from").asText());
        assertEquals("over Bitmessage", summary.get("subject").asText());
        JsonNode full = call(cb, "bm.message", Json.object().put("id", summary.get("id").asText()));
        assertEquals("hello from the other helper", full.get("body").asText());

        await(
            "the ack reached alice",
            quietly(
                () ->
                    call(ca, "bm.message", Json.object().put("id", id))
                        .get("state")
                        .asText()
                        .equals("acked")));
        await("alice was notified", () -> notified.contains("bm.acked"));

        JsonNode status = call(ca, "bm.status", null);
        assertEquals("open", status.get("state").asText());
        assertEquals(portA, status.get("node").get("listeningPort").asInt());
        assertEquals(1, status.get("outbox").get("acked").asInt());
        assertTrue(status.get("pow").has("queued"));

        // The CLI reads the same inbox.
        Process p = b.java(List.of(), "org.sceau.app.cli.SceauCli", "bm", "inbox");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("over Bitmessage"));
      }
    }
  }
}
