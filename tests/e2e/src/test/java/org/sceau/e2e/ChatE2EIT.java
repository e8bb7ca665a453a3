package org.sceau.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;

/**
 * Issue 8's must-show, with real processes only: the relay's packaged jar on a loopback port with
 * its SQLite store, and three helpers (Alice, Bob, Carol) from the packaged helper jar, each with
 * its own HOME and vault, driven over their Unix sockets exactly as the CLI and the add-on do. The
 * tests run in order and build on each other (one conversation carries on across the relay restart
 * and Bob's helper restart). Every text sent carries {@link #MARKER}; the last test looks for it in
 * the relay's store and log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChatE2EIT {
  static final String PASSPHRASE = "e2e passphrase, not a secret";
  static final long WAIT_MS = 30_000;
  final String marker =
      "SCEAU-E2E-PLAINTEXT-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));

  Path dir;
  RelayProcess relay;
  HelperHome alice;
  HelperHome bob;
  HelperHome carol;
  String aliceId;
  String bobId;
  String carolId;

  /** Alice and Bob's 1:1 conversation. */
  String direct;

  /** The group (Alice, Bob; Carol added then removed). */
  String group;

  @BeforeAll
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void startRelayAndThreeHelpers() throws Exception {
    dir = Files.createTempDirectory(Path.of("/tmp"), "sceau-e2e");
    relay = new RelayProcess(dir);
    relay.start();
    alice = new HelperHome(dir, "a");
    bob = new HelperHome(dir, "b");
    carol = new HelperHome(dir, "c");
    List<HelperHome> all = List.of(alice, bob, carol);
    for (HelperHome h : all) {
      h.launch();
    }
    for (HelperHome h : all) {
      h.awaitReady();
      h.call("vault.create", Json.object().put("passphrase", PASSPHRASE));
      JsonNode s = h.call("chat.configure", Json.object().put("relay", relay.uri().toString()));
      assertEquals(64, s.path("device").asText().length());
    }
    for (HelperHome h : all) {
      await(
          h.name + " online", () -> "online".equals(h.call("chat.status").path("state").asText()));
    }
    aliceId = alice.call("chat.status").path("device").asText();
    bobId = bob.call("chat.status").path("device").asText();
    carolId = carol.call("chat.status").path("device").asText();
  }

  @AfterAll
  void stopEverything() throws Exception {
    Exception first = null;
    for (AutoCloseable c : new AutoCloseable[] {alice, bob, carol, relay}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    if (dir != null) {
      TestFiles.deleteTree(dir);
    }
    if (first != null) {
      throw first;
    }
  }

  // ------------------------------------------------------------------ tests

  @Test
  @Order(1)
  void oneToOneBothWaysWithReceiptsNotificationsAndTheCli() throws Exception {
    direct = invite(alice, bobId).path("conversation").asText();
    awaitNotification(bob, "chat.invited", n -> direct.equals(n.path("conversation").asText()));
    JsonNode accepted = bob.call("chat.accept", Json.object().put("conversation", direct));
    assertFalse(accepted.path("pending").asBoolean());
    assertEquals(Set.of(aliceId, bobId), members(accepted));

    String a1 = send(alice, direct, "alice to bob 1");
    awaitText(bob, direct, text("alice to bob 1"));
    send(bob, direct, "bob to alice 1");
    awaitText(alice, direct, text("bob to alice 1"));

    // Pushed to the add-on: the message to Bob, and Bob's end-to-end receipt to Alice.
    awaitNotification(
        bob, "chat.message", n -> text("alice to bob 1").equals(n.path("text").asText()));
    awaitNotification(alice, "chat.receipt", n -> a1.equals(n.path("messageId").asText()));

    // The CLI reads the same history through the same helper.
    HelperHome.CliResult read = bob.cli("chat", "read", direct);
    assertEquals(0, read.exit(), read.output());
    assertTrue(read.output().contains(text("alice to bob 1")), read.output());
    assertTrue(read.output().contains(text("bob to alice 1")), read.output());
    HelperHome.CliResult contacts = bob.cli("chat", "contacts");
    assertEquals(0, contacts.exit(), contacts.output());
    assertTrue(contacts.output().contains("unverified"), contacts.output());

    // Both sides compute the same safety number; Bob verifies Alice with Alice's digits.
    String digits =
        alice.call("chat.verify", Json.object().put("device", bobId)).path("digits").asText();
    assertEquals(
        digits,
        bob.call("chat.verify", Json.object().put("device", aliceId)).path("digits").asText());
    HelperHome.CliResult verify = bob.cli("chat", "verify", aliceId, "--code", digits);
    assertEquals(0, verify.exit(), verify.output());
    assertTrue(
        bob.call("chat.contacts").path("contacts").get(0).path("verified").asBoolean(),
        "verified contact");
  }

  @Test
  @Order(2)
  void groupAddAndRemoveTheRemovedMemberCannotReadWhatFollows() throws Exception {
    group = invite(alice, bobId).path("conversation").asText();
    awaitNotification(bob, "chat.invited", n -> group.equals(n.path("conversation").asText()));
    JsonNode added =
        retryNoKeyPackage(
            () ->
                alice.call(
                    "chat.groupAdd",
                    Json.object().put("conversation", group).put("device", carolId)));
    assertEquals(Set.of(aliceId, bobId, carolId), members(added));
    awaitNotification(carol, "chat.invited", n -> group.equals(n.path("conversation").asText()));
    await(
        "Bob sees Carol added",
        () -> members(conversation(bob, group)).equals(Set.of(aliceId, bobId, carolId)));

    send(alice, group, "group hello from alice");
    awaitText(bob, group, text("group hello from alice"));
    awaitText(carol, group, text("group hello from alice"));
    send(carol, group, "group hello from carol");
    awaitText(alice, group, text("group hello from carol"));
    awaitText(bob, group, text("group hello from carol"));

    JsonNode removed =
        alice.call(
            "chat.groupRemove", Json.object().put("conversation", group).put("device", carolId));
    assertEquals(Set.of(aliceId, bobId), members(removed));
    awaitNotification(carol, "chat.ended", n -> group.equals(n.path("conversation").asText()));
    await("Bob sees Carol removed", () -> members(conversation(bob, group)).size() == 2);

    send(alice, group, "after removal from alice");
    send(bob, group, "after removal from bob");
    awaitText(bob, group, text("after removal from alice"));
    awaitText(alice, group, text("after removal from bob"));
    // Carol was online all along: had anything reached her it would have arrived with Bob's.
    Thread.sleep(1500);
    // (That Carol could read the group before her removal was shown above.) Her state for the
    // group is gone; nothing sent after her removal is in any conversation she still has.
    List<String> carolSaw = allTexts(carol);
    assertFalse(carolSaw.contains(text("alice to bob 1")), "Carol never was in the 1:1");
    assertFalse(carolSaw.contains(text("after removal from alice")), "Carol read after removal");
    assertFalse(carolSaw.contains(text("after removal from bob")), "Carol read after removal");
    assertTrue(
        carol.notifications.stream()
            .filter(n -> "chat.message".equals(n.path("method").asText()))
            .noneMatch(n -> n.path("params").path("text").asText().contains("after removal")));
    RpcException refused =
        assertThrows(
            RpcException.class,
            () ->
                carol.call(
                    "chat.send", Json.object().put("conversation", group).put("text", "ignored")));
    assertTrue(
        Set.of("UNKNOWN_CONVERSATION", "NOT_A_MEMBER").contains(refused.error().type()),
        refused.error().type());

    // The relay routes only to members; so hand Carol the ciphertext itself, as a relay operator
    // could: with Bob away, the group message queued for him is copied into Carol's mailbox.
    bob.call("vault.lock");
    send(alice, group, "after removal copied to carol");
    await("relay accepted it", () -> queued(alice, group) == 0);
    relay.stop();
    RelayTampering.copyLast(relay.dataDir, bobId, carolId);
    relay.start();
    bob.call("vault.unlock", Json.object().put("passphrase", PASSPHRASE));
    awaitText(bob, group, text("after removal copied to carol"));
    // A later message in Carol's mailbox: once she reads it, she has processed the copy before it.
    String later = invite(alice, carolId).path("conversation").asText();
    send(alice, later, "later to carol");
    awaitText(carol, later, text("later to carol"));
    List<String> carolNow = allTexts(carol);
    assertFalse(carolNow.contains(text("after removal copied to carol")), "Carol read the copy");
    assertFalse(
        carol.notifications.stream()
            .anyMatch(n -> n.path("params").path("text").asText().contains("after removal")));
  }

  @Test
  @Order(3)
  void offlineDeliveryAcrossARelayRestartLosesNothingAndDuplicatesNothing() throws Exception {
    // Bob's vault locks: his client disconnects and chat answers VAULT_LOCKED.
    bob.call("vault.lock");
    RpcException locked =
        assertThrows(
            RpcException.class,
            () -> bob.call("chat.read", Json.object().put("conversation", direct)));
    assertEquals(RpcError.VAULT_LOCKED, locked.error());

    // Two messages wait in Bob's durable mailbox on the relay...
    send(alice, direct, "offline 1");
    send(alice, direct, "offline 2");
    await("relay accepted Alice's messages", () -> queued(alice, direct) == 0);
    // ...the relay goes down, and two more wait in Alice's outbox.
    relay.stop();
    send(alice, direct, "offline 3");
    send(alice, direct, "offline 4");
    assertTrue(queued(alice, direct) > 0, "queued while the relay is down");

    relay.start();
    bob.call("vault.unlock", Json.object().put("passphrase", PASSPHRASE));
    List<String> expected =
        List.of(text("offline 1"), text("offline 2"), text("offline 3"), text("offline 4"));
    await("Bob got all four", () -> incoming(bob, direct).containsAll(expected));
    await("Alice's outbox drained", () -> queued(alice, direct) == 0);
    Thread.sleep(1500); // a redelivery, if any, would show up now
    List<String> got = incoming(bob, direct).stream().filter(t -> t.contains(" offline ")).toList();
    assertEquals(expected, got, "each once, in order");
    for (String t : expected) {
      assertEquals(
          1,
          bob.notifications.stream()
              .filter(n -> "chat.message".equals(n.path("method").asText()))
              .filter(n -> t.equals(n.path("params").path("text").asText()))
              .count(),
          "one notification for " + t);
    }
  }

  @Test
  @Order(4)
  void helperRestartMidConversationRestoresStateFromTheVault() throws Exception {
    int before = history(bob, direct).size();
    bob.stopHelper();
    send(alice, direct, "while bob restarts");
    send(alice, group, "group while bob restarts");

    bob.launch();
    bob.awaitReady();
    // A fresh helper starts with its vault locked: chat waits for the passphrase.
    RpcException locked = assertThrows(RpcException.class, () -> bob.call("chat.status"));
    assertEquals(RpcError.VAULT_LOCKED, locked.error());
    bob.call("vault.unlock", Json.object().put("passphrase", PASSPHRASE));
    assertEquals(bobId, bob.call("chat.status").path("device").asText(), "same device key");

    awaitText(bob, direct, text("while bob restarts"));
    awaitText(bob, group, text("group while bob restarts"));
    assertTrue(history(bob, direct).size() >= before + 1, "history kept");
    assertTrue(incoming(bob, direct).contains(text("alice to bob 1")), "old history kept");

    // The MLS state came back from the vault: Bob can still write in both conversations.
    send(bob, direct, "bob after restart");
    send(bob, group, "group bob after restart");
    awaitText(alice, direct, text("bob after restart"));
    awaitText(alice, group, text("group bob after restart"));
  }

  @Test
  @Order(5)
  void aTamperedAndAReplayedEnvelopeFromTheRelayAreRejected() throws Exception {
    // A malicious relay operator: while Bob is away, copy Alice's queued envelope in the store,
    // once with one ciphertext byte flipped and once as is (a replay), both after the original.
    bob.call("vault.lock");
    send(alice, direct, "genuine before tampering");
    await("relay accepted it", () -> queued(alice, direct) == 0);
    relay.stop();
    int copies = RelayTampering.tamperAndReplayLast(relay.dataDir, bobId);
    assertEquals(2, copies);
    relay.start();
    int rejectedBefore = count(bob, "chat.rejected");
    bob.call("vault.unlock", Json.object().put("passphrase", PASSPHRASE));

    awaitText(bob, direct, text("genuine before tampering"));
    await("Bob refused both copies", () -> count(bob, "chat.rejected") >= rejectedBefore + 2);
    Thread.sleep(1000);
    assertEquals(
        1,
        incoming(bob, direct).stream().filter(text("genuine before tampering")::equals).count(),
        "the genuine message once, neither copy");
    List<String> codes =
        bob.notifications.stream()
            .filter(n -> "chat.rejected".equals(n.path("method").asText()))
            .skip(rejectedBefore)
            .map(n -> n.path("params").path("code").asText())
            .toList();
    assertTrue(codes.contains("REPLAYED"), codes.toString());
    assertTrue(codes.contains("TAMPERED") || codes.contains("MALFORMED"), codes.toString());
    // The conversation goes on.
    send(alice, direct, "after tampering");
    awaitText(bob, direct, text("after tampering"));
  }

  @Test
  @Order(6)
  void theRelaysStoreAndLogHoldNoPlaintext() throws Exception {
    relay.stop(); // flushes the store (WAL checkpoint) and the log
    assertTrue(Files.size(relay.log) > 0, "the relay logged");
    try (var files = Files.walk(relay.dataDir)) {
      assertTrue(files.filter(Files::isRegularFile).count() > 0, "the relay stored its queues");
    }
    // Control: the scanner finds the marker where it is.
    Path control = dir.resolve("control.txt");
    Files.write(control, ("x" + text("control") + "x").getBytes(StandardCharsets.UTF_16LE));
    assertEquals(List.of(control.toString()), TestFiles.filesContaining(marker, control));
    Files.delete(control);

    assertEquals(List.of(), TestFiles.filesContaining(marker, relay.dataDir, relay.log));
    // And nothing in clear on the users' side either: vaults, helper logs, their output.
    assertEquals(List.of(), TestFiles.filesContaining(marker, alice.root, bob.root, carol.root));
  }

  // ------------------------------------------------------------------ helpers

  static int count(HelperHome h, String method) {
    return (int)
        h.notifications.stream().filter(n -> method.equals(n.path("method").asText())).count();
  }

  String text(String label) {
    return marker + " " + label;
  }

  String send(HelperHome h, String conversation, String label) throws Exception {
    JsonNode r =
        h.call(
            "chat.send", Json.object().put("conversation", conversation).put("text", text(label)));
    return r.path("messageId").asText();
  }

  JsonNode invite(HelperHome from, String device) throws Exception {
    ObjectNode p = Json.object();
    p.putArray("devices").add(device);
    return retryNoKeyPackage(() -> from.call("chat.invite", p));
  }

  /** The invitee publishes its KeyPackages just after connecting: allow that moment. */
  JsonNode retryNoKeyPackage(Call call) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (true) {
      try {
        return call.run();
      } catch (RpcException e) {
        if (!Set.of("NO_KEY_PACKAGE", "OFFLINE").contains(e.error().type())
            || System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  static Set<String> members(JsonNode conversation) {
    Set<String> s = new java.util.TreeSet<>();
    conversation.path("members").forEach(m -> s.add(m.asText()));
    return s;
  }

  static JsonNode conversation(HelperHome h, String id) throws Exception {
    for (JsonNode c : h.call("chat.conversations").path("conversations")) {
      if (id.equals(c.path("conversation").asText())) {
        return c;
      }
    }
    return Json.object();
  }

  static int queued(HelperHome h, String id) throws Exception {
    return conversation(h, id).path("queued").asInt(-1);
  }

  static List<JsonNode> history(HelperHome h, String conversation) throws Exception {
    JsonNode r =
        h.call("chat.read", Json.object().put("conversation", conversation).put("limit", 1000));
    List<JsonNode> out = new ArrayList<>();
    r.path("messages").forEach(out::add);
    return out;
  }

  static List<String> incoming(HelperHome h, String conversation) throws Exception {
    return history(h, conversation).stream()
        .filter(m -> !m.path("outgoing").asBoolean())
        .map(m -> m.path("text").asText())
        .toList();
  }

  /** Every text in every conversation this helper still knows. */
  static List<String> allTexts(HelperHome h) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode c : h.call("chat.conversations").path("conversations")) {
      for (JsonNode m : history(h, c.path("conversation").asText())) {
        out.add(m.path("text").asText());
      }
    }
    return out;
  }

  void awaitText(HelperHome h, String conversation, String text) throws Exception {
    await(h.name + " reads a message", () -> incoming(h, conversation).contains(text));
  }

  static void awaitNotification(HelperHome h, String method, Predicate<JsonNode> params)
      throws Exception {
    await(
        h.name + " notified " + method,
        () ->
            h.notifications.stream()
                .anyMatch(
                    n ->
                        method.equals(n.path("method").asText()) && params.test(n.path("params"))));
  }

  @FunctionalInterface
  interface Call {
    JsonNode run() throws Exception;
  }

  @FunctionalInterface
  interface Check {
    boolean ok() throws Exception;
  }

  /** Polls {@code check} for at most {@link #WAIT_MS}; a failing call counts as "not yet". */
  static void await(String what, Check check) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    RpcException last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (RpcException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "timed out: " + what + (last == null ? "" : " (last error " + last.error().type() + ")"));
  }
}
