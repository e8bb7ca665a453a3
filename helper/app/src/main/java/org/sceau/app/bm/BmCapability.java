package org.sceau.app.bm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.sceau.app.rpc.Caller;
import org.sceau.app.rpc.Capability;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.Notifier;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.bitmessage.mailbox.InboxMessage;
import org.sceau.bitmessage.mailbox.Mailbox;
import org.sceau.bitmessage.mailbox.MailboxConfig;
import org.sceau.bitmessage.mailbox.MailboxException;
import org.sceau.bitmessage.mailbox.MailboxListener;
import org.sceau.bitmessage.mailbox.OutboxMessage;
import org.sceau.bitmessage.mailbox.OutboxState;
import org.sceau.bitmessage.mailbox.OwnIdentity;
import org.sceau.bitmessage.mailbox.PowStatus;
import org.sceau.bitmessage.mailbox.internal.PowTarget;
import org.sceau.bitmessage.node.BitmessageNode;
import org.sceau.bitmessage.node.NodeConfig;
import org.sceau.bitmessage.node.NodeStatus;
import org.sceau.vault.Vault;
import org.sceau.vault.VaultListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bitmessage as the helper serves it. The node starts with the helper and relays whether or not the
 * vault is open; the mailbox (identities, inbox, outbox, proofs of work) runs while the vault is
 * unlocked, and on unlock reads what the node received meanwhile.
 *
 * <p>Methods: {@code bm.status} (also while locked), {@code bm.identities}, {@code bm.newIdentity
 * {label?, chan?}}, {@code bm.send {from, to?, subject, body, ttlSeconds?, broadcast?}}, {@code
 * bm.inbox {folder?, limit?}}, {@code bm.message {id}}, {@code bm.markRead {id, read?}}, {@code
 * bm.delete {id}}, {@code bm.subscribe {address, label?}}. Notifications: {@code bm.received},
 * {@code bm.acked}, {@code bm.state}, {@code bm.pow.progress}.
 */
public final class BmCapability implements Capability {
  private static final Logger LOG = LoggerFactory.getLogger(BmCapability.class);
  static final int MAX_LIST = 1000;
  static final int MAX_SUBJECT = 1000;

  private final Vault vault;
  private final Map<String, String> env;
  private final Path dataDir;
  private final BmSettingsFile file;
  private volatile BmSettings settings;
  private final ExecutorService lifecycle =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "sceau-bm-lifecycle");
            t.setDaemon(true);
            return t;
          });
  private volatile BitmessageNode node;
  private volatile String nodeProblem = "";
  private volatile Mailbox mailbox;
  private volatile Notifier notifier = (m, p) -> {};

  /**
   * The node's store goes under {@code dataDir}/bitmessage; settings from {@code
   * configDir}/bitmessage.json ({@code bm.settings}), overridden by {@code env}.
   */
  public BmCapability(Vault vault, Path dataDir, Path configDir, Map<String, String> env) {
    this.vault = vault;
    this.env = Map.copyOf(env);
    this.dataDir = dataDir.resolve("bitmessage");
    this.file = new BmSettingsFile(configDir);
    this.settings = effectiveSettings();
    nodeProblem = settings.enabled() ? "" : settings.problem();
  }

  /** For tests: fixed settings, no settings file. */
  BmCapability(Vault vault, BmSettings settings) {
    this.vault = vault;
    this.env = Map.of();
    this.dataDir = settings.dataDir();
    this.file = null;
    this.settings = settings;
    nodeProblem = settings.enabled() ? "" : settings.problem();
  }

  private BmSettings effectiveSettings() {
    Map<String, String> merged = new java.util.HashMap<>();
    if (file != null) {
      merged.putAll(BmSettingsFile.asEnvironment(file.read()));
    }
    merged.putAll(env);
    return BmSettings.fromEnvironment(merged, dataDir);
  }

  @Override
  public String name() {
    return "bm";
  }

  @Override
  public JsonNode status() {
    ObjectNode s = Json.object().put("state", state());
    BitmessageNode n = node;
    if (n != null) {
      s.put("connections", n.status().connections());
    }
    return s;
  }

  private String state() {
    if (!settings.enabled()) {
      return "disabled";
    }
    if (node == null) {
      return nodeProblem.isEmpty() ? "starting" : "failed";
    }
    if (!vault.isUnlocked()) {
      return "locked";
    }
    return mailbox == null ? "opening" : "open";
  }

  @Override
  public void register(MethodRegistry registry, Notifier notifier) {
    this.notifier = notifier;
    if (settings.enabled()) {
      lifecycle.execute(this::startNode);
    }
    // Vault listeners run under the vault's lock: open and close the mailbox elsewhere.
    vault.addListener(
        new VaultListener() {
          @Override
          public void unlocked() {
            runLater(BmCapability.this::openMailbox);
          }

          @Override
          public void locked(LockReason reason) {
            closeMailbox();
          }
        });
    if (vault.isUnlocked()) {
      runLater(this::openMailbox);
    }
    registry.register("bm.status", (caller, p) -> bmStatus());
    registry.register("bm.settings", (caller, p) -> settings(caller, p));
    registry.register("bm.identities", (caller, p) -> identities(mailbox()));
    registry.register("bm.newIdentity", (caller, p) -> newIdentity(p));
    registry.register("bm.send", (caller, p) -> send(p));
    registry.register("bm.inbox", (caller, p) -> inbox(p));
    registry.register("bm.message", (caller, p) -> message(p));
    registry.register(
        "bm.markRead",
        (caller, p) -> {
          Mailbox m = mailbox();
          String id = id(p);
          boolean read = !p.has("read") || p.get("read").asBoolean(true);
          mb(() -> m.markRead(id, read));
          return Json.object().put("id", id).put("read", read);
        });
    registry.register(
        "bm.delete",
        (caller, p) -> {
          Mailbox m = mailbox();
          String id = id(p);
          boolean deleted = mb(() -> m.delete(id));
          return Json.object().put("id", id).put("deleted", deleted);
        });
    registry.register(
        "bm.subscribe",
        (caller, p) -> {
          Mailbox m = mailbox();
          String address = text(p, "address", 100);
          String label = optText(p, "label", 200).orElse("");
          mb(() -> m.subscribe(address, label));
          ArrayNode a = Json.MAPPER.createArrayNode();
          mb(m::subscriptions).forEach(a::add);
          return Json.object().set("subscriptions", a);
        });
  }

  // ---------------------------------------------------------------- lifecycle

  private void runLater(Runnable r) {
    try {
      lifecycle.execute(r);
    } catch (RejectedExecutionException e) {
      // Shutting down.
    }
  }

  private void startNode() {
    NodeConfig cfg = settings.nodeConfig();
    try {
      node = BitmessageNode.start(cfg);
    } catch (IOException e) {
      if (!cfg.listens()) {
        nodeProblem = "the node did not start: " + e.getMessage();
        LOG.warn("Bitmessage node did not start: {}", e.getMessage());
        return;
      }
      // Port taken (another client, another helper): relay anyway, outbound only.
      LOG.warn(
          "Bitmessage port {} unavailable ({}); running without listening",
          cfg.listenPort(),
          e.getMessage());
      try {
        node = BitmessageNode.start(settings.withoutListening().nodeConfig());
      } catch (IOException e2) {
        nodeProblem = "the node did not start: " + e2.getMessage();
        LOG.warn("Bitmessage node did not start: {}", e2.getMessage());
        return;
      }
    }
    LOG.info(
        "Bitmessage node started (listening: {}, bootstrap: {}, proxy: {})",
        node.listeningPort(),
        settings.publicBootstrap() ? "public" : settings.peers().size() + " configured peer(s)",
        settings.proxy().enabled() ? "yes" : "no");
  }

  private void openMailbox() {
    BitmessageNode n = node;
    if (n == null || mailbox != null || !vault.isUnlocked()) {
      return;
    }
    MailboxConfig cfg =
        MailboxConfig.defaults()
            .withMinimumDifficulty(settings.minimumDifficulty())
            .withPowThreads(settings.powThreads());
    try {
      Mailbox m = Mailbox.open(cfg, new VaultMailboxStore(vault), n, new Events());
      mailbox = m;
      if (!vault.isUnlocked()) {
        closeMailbox(); // locked while opening
      }
    } catch (MailboxException e) {
      LOG.warn("Bitmessage mailbox not opened: {}", e.code());
    }
  }

  /** Closes the mailbox at once (methods answer VAULT_LOCKED); its PoW stops in the background. */
  private void closeMailbox() {
    Mailbox m = mailbox;
    mailbox = null;
    if (m != null) {
      LOG.info("Bitmessage mailbox closed: vault locked");
      try {
        lifecycle.execute(m::close);
      } catch (RejectedExecutionException e) {
        m.close();
      }
    }
  }

  @Override
  public void close() {
    closeMailbox();
    lifecycle.shutdown();
    try {
      lifecycle.awaitTermination(8, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    BitmessageNode n = node;
    node = null;
    if (n != null) {
      n.close();
    }
  }

  /** The open mailbox; BM_DISABLED or VAULT_LOCKED when there is none. */
  private Mailbox mailbox() throws RpcException {
    if (!settings.enabled() || (node == null && !nodeProblem.isEmpty())) {
      throw new RpcException(
          BmErrors.DISABLED,
          "Bitmessage is not running in this helper"
              + (nodeProblem.isEmpty() ? "." : " (" + nodeProblem + ")."));
    }
    if (!vault.isUnlocked()) {
      throw BmErrors.vaultLocked();
    }
    Mailbox m = mailbox;
    if (m == null) {
      // Unlocked a moment ago, or the node is still starting: wait for the lifecycle thread.
      try {
        Future<?> f = lifecycle.submit(this::openMailbox);
        f.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug("waiting for the mailbox: {}", e.toString());
      }
      m = mailbox;
      if (m == null) {
        if (!vault.isUnlocked()) {
          throw BmErrors.vaultLocked();
        }
        throw new RpcException(
            BmErrors.of(MailboxException.Code.CLOSED),
            "The Bitmessage mailbox could not be opened: see the helper's log.");
      }
    }
    return m;
  }

  // ---------------------------------------------------------------- methods

  private JsonNode bmStatus() {
    ObjectNode s = Json.object().put("state", state());
    s.put("enabled", settings.enabled());
    if (!nodeProblem.isEmpty()) {
      s.put("problem", nodeProblem);
    }
    BitmessageNode n = node;
    if (n != null) {
      NodeStatus ns = n.status();
      ObjectNode j = s.putObject("node");
      j.put("listeningPort", ns.listeningPort().isPresent() ? ns.listeningPort().getAsInt() : -1);
      j.put("connections", ns.connections());
      j.put("knownNodes", ns.knownNodes());
      j.put("inventory", ns.inventorySize());
      j.put("objectsReceived", ns.objectsReceived());
      j.put("objectsRelayed", ns.objectsRelayed());
      j.put("pendingDownloads", ns.pendingDownloads());
      j.put("syncInProgress", ns.syncInProgress());
      j.put("proxy", settings.proxy().enabled());
      ArrayNode peers = j.putArray("peers");
      for (NodeStatus.Peer p : ns.outbound()) {
        peers.add(peerJson(p));
      }
      for (NodeStatus.Peer p : ns.inbound()) {
        peers.add(peerJson(p));
      }
    }
    Mailbox m = mailbox;
    if (m != null) {
      s.set("pow", powJson(m.powStatus()));
      try {
        Map<OutboxState, Integer> counts = new EnumMap<>(OutboxState.class);
        for (OutboxMessage o : m.outbox()) {
          counts.merge(o.state(), 1, Integer::sum);
        }
        ObjectNode c = s.putObject("outbox");
        for (OutboxState st : OutboxState.values()) {
          c.put(camel(st), counts.getOrDefault(st, 0));
        }
      } catch (MailboxException e) {
        // Locked meanwhile: status says what it can.
      }
    }
    return s;
  }

  /**
   * Shows the settings, or saves changes and restarts the node (and the mailbox, which keeps its
   * queue) with them.
   */
  private JsonNode settings(Caller caller, JsonNode p) throws RpcException {
    if (file == null) {
      throw new RpcException(RpcError.INVALID_REQUEST, "This helper has fixed settings.");
    }
    boolean changed = p != null && p.isObject() && p.size() > 0;
    if (changed && caller != Caller.CLI) {
      // The proxy and peer settings decide who learns the user's IP address: content running in
      // Thunderbird may read them, but only the user's own command line may change them.
      throw new RpcException(
          RpcError.FORBIDDEN, "Only the sceau command line may change Bitmessage settings.");
    }
    ObjectNode saved;
    if (changed) {
      try {
        saved = file.update(p);
      } catch (IOException e) {
        throw new RpcException(
            RpcError.INTERNAL_ERROR, "The settings could not be saved: " + e.getMessage());
      }
      Future<?> f = lifecycle.submit(this::restart);
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("restarting the node: {}", e.toString());
      }
    } else {
      saved = file.read();
    }
    BmSettings s = settings;
    ObjectNode o = Json.object();
    o.set("saved", saved);
    ObjectNode eff = o.putObject("effective");
    eff.put("enabled", s.enabled());
    eff.put("port", s.listenPort().map(String::valueOf).orElse("none"));
    ArrayNode peers = eff.putArray("peers");
    s.peers().forEach(peers::add);
    eff.put("publicBootstrap", s.publicBootstrap());
    eff.put("proxy", s.proxy().toString());
    eff.put("powThreads", s.powThreads());
    ArrayNode overridden = o.putArray("overriddenByEnvironment");
    for (String k :
        List.of(
            "SCEAU_BM",
            "SCEAU_BM_PORT",
            "SCEAU_BM_PEERS",
            "SCEAU_BM_BOOTSTRAP",
            "SCEAU_PROXY",
            "SCEAU_BM_POW_THREADS")) {
      if (env.containsKey(k)) {
        overridden.add(k);
      }
    }
    o.put("restarted", changed);
    return o;
  }

  /** Applies new settings: mailbox and node closed, started again (lifecycle thread). */
  private void restart() {
    Mailbox m = mailbox;
    mailbox = null;
    if (m != null) {
      m.close();
    }
    BitmessageNode n = node;
    node = null;
    if (n != null) {
      n.close();
    }
    settings = effectiveSettings();
    nodeProblem = settings.enabled() ? "" : settings.problem();
    if (settings.enabled()) {
      startNode();
      openMailbox();
    }
    LOG.info("Bitmessage settings applied");
  }

  private static ObjectNode peerJson(NodeStatus.Peer p) {
    return Json.object()
        .put("address", p.address())
        .put("direction", p.direction().name().toLowerCase(Locale.ROOT))
        .put("userAgent", p.userAgent());
  }

  private JsonNode identities(Mailbox m) throws RpcException {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (OwnIdentity i : mb(m::identities)) {
      a.add(identityJson(i));
    }
    return Json.object().set("identities", a);
  }

  private JsonNode newIdentity(JsonNode p) throws RpcException {
    Mailbox m = mailbox();
    Optional<String> chan = optText(p, "chan", 200);
    String label = optText(p, "label", 200).orElse("");
    if (chan.isPresent()) {
      OwnIdentity i = mb(() -> m.joinChan(chan.get()));
      return identityJson(i)
          .put(
              "explanation",
              "You joined the chan: everyone who knows its name reads what is sent to its"
                  + " address. A chan needs no proof of work for its keys.");
    }
    OwnIdentity i = mb(() -> m.newIdentity(label));
    // A v4 pubkey object is about 400 bytes and lives 28 days.
    long target =
        PowTarget.target(settings.minimumDifficulty(), 400, Duration.ofDays(28).getSeconds());
    double expected = Math.pow(2, 64) / (target < 0 ? Math.pow(2, 64) : (double) target);
    // ~1.5 M trials per second per thread on the scalar search (measured 2.2 M on 2020s cores).
    long seconds = Math.round(expected / (1.5e6 * settings.powThreads()));
    ObjectNode o = identityJson(i);
    o.put("powExpectedTrials", Math.round(expected));
    o.put("powEstimateSeconds", seconds);
    o.put(
        "explanation",
        "Before anyone can write to this address, its public key must be published, and the"
            + " network demands a proof of work for it: Sceau is computing it now at low priority"
            + " on at most "
            + settings.powThreads()
            + " core(s), about "
            + (seconds < 90 ? seconds + " seconds" : Math.round(seconds / 60.0) + " minutes")
            + " on a typical computer (bm.pow.progress reports it). You can already send from"
            + " this address.");
    return o;
  }

  private JsonNode send(JsonNode p) throws RpcException {
    Mailbox m = mailbox();
    String from = text(p, "from", 100);
    String subject = optText(p, "subject", MAX_SUBJECT).orElse("");
    JsonNode b = p.get("body");
    if (b == null || !b.isTextual()) {
      throw new RpcException(RpcError.INVALID_PARAMS, "Give the message body as text.");
    }
    String body = b.textValue();
    Duration ttl = null;
    JsonNode t = p.get("ttlSeconds");
    if (t != null && !t.isNull()) {
      if (!t.isIntegralNumber()) {
        throw new RpcException(RpcError.INVALID_PARAMS, "ttlSeconds must be a whole number.");
      }
      ttl = Duration.ofSeconds(t.longValue());
    }
    Duration ttlFinal = ttl;
    boolean broadcast = p.path("broadcast").asBoolean(false);
    String id;
    if (broadcast) {
      id = mb(() -> m.broadcast(from, subject, body, ttlFinal));
    } else {
      String to = text(p, "to", 100);
      id = mb(() -> m.send(from, to, subject, body, ttlFinal));
    }
    OutboxMessage o = mb(() -> m.sent(id)).orElseThrow();
    return outboxJson(o, false);
  }

  private JsonNode inbox(JsonNode p) throws RpcException {
    Mailbox m = mailbox();
    String folder = optText(p, "folder", 20).orElse("inbox");
    int limit = p.path("limit").isIntegralNumber() ? p.path("limit").intValue() : 100;
    if (limit < 1 || limit > MAX_LIST) {
      throw new RpcException(RpcError.INVALID_PARAMS, "limit must be from 1 to " + MAX_LIST + ".");
    }
    ArrayNode a = Json.MAPPER.createArrayNode();
    switch (folder) {
      case "inbox" -> {
        for (InboxMessage i : mb(() -> m.inbox(limit))) {
          a.add(inboxJson(i, false));
        }
      }
      case "sent", "outbox" -> {
        for (OutboxMessage o : mb(m::outbox)) {
          if (a.size() >= limit) {
            break;
          }
          a.add(outboxJson(o, false));
        }
      }
      default ->
          throw new RpcException(RpcError.INVALID_PARAMS, "folder is \"inbox\" or \"sent\".");
    }
    return Json.object().put("folder", folder).set("messages", a);
  }

  private JsonNode message(JsonNode p) throws RpcException {
    Mailbox m = mailbox();
    String id = id(p);
    Optional<InboxMessage> in = mb(() -> m.message(id));
    if (in.isPresent()) {
      return inboxJson(in.get(), true);
    }
    Optional<OutboxMessage> out = mb(() -> m.sent(id));
    if (out.isPresent()) {
      return outboxJson(out.get(), true);
    }
    throw new RpcException(
        BmErrors.of(MailboxException.Code.NOT_FOUND), "No Bitmessage message with this id.");
  }

  // ---------------------------------------------------------------- JSON

  private static ObjectNode identityJson(OwnIdentity i) {
    return Json.object()
        .put("address", i.address())
        .put("label", i.label())
        .put("chan", i.chan())
        .put("pubkeyPublished", i.pubkeyPublished())
        .put("created", i.created().toString());
  }

  static ObjectNode inboxJson(InboxMessage m, boolean withBody) {
    ObjectNode o =
        Json.object()
            .put("id", m.id())
            .put("folder", "inbox")
            .put("kind", m.kind())
            .put("from", m.from())
            .put("to", m.to())
            .put("subject", m.subject())
            .put("received", m.received().toString())
            .put("read", m.read());
    if (withBody) {
      o.put("body", m.body());
    }
    return o;
  }

  static ObjectNode outboxJson(OutboxMessage m, boolean withBody) {
    ObjectNode o =
        Json.object()
            .put("id", m.id())
            .put("folder", "sent")
            .put("kind", m.kind())
            .put("from", m.from())
            .put("to", m.to())
            .put("subject", m.subject())
            .put("state", camel(m.state()))
            .put("ttlSeconds", m.ttl().getSeconds())
            .put("attempts", m.attempts())
            .put("created", m.created().toString())
            .put("ackExpected", m.ackExpected());
    if (m.sent() != null) {
      o.put("sent", m.sent().toString());
    }
    if (withBody) {
      o.put("body", m.body());
    }
    return o;
  }

  static ObjectNode powJson(PowStatus s) {
    return Json.object()
        .put("running", s.running())
        .put("job", s.job())
        .put("messageId", s.messageId())
        .put("trials", s.trials())
        .put("trialsPerSecond", Math.round(s.trialsPerSecond()))
        .put("expectedTrials", Math.round(s.expectedTrials()))
        .put("etaSeconds", s.expectedRemaining().getSeconds())
        .put("queued", s.queued())
        .put("threads", s.threads());
  }

  /** WAITING_FOR_PUBKEY → waitingForPubkey. */
  static String camel(OutboxState s) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : s.name().toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- params

  @FunctionalInterface
  private interface MbCall<T> {
    T run() throws MailboxException;
  }

  @FunctionalInterface
  private interface MbAction {
    void run() throws MailboxException;
  }

  private <T> T mb(MbCall<T> call) throws RpcException {
    try {
      return call.run();
    } catch (MailboxException e) {
      LOG.info("bm call refused: {}", e.code());
      throw BmErrors.toRpc(e, vault.isUnlocked());
    }
  }

  private void mb(MbAction action) throws RpcException {
    mb(
        () -> {
          action.run();
          return null;
        });
  }

  private static String id(JsonNode p) throws RpcException {
    JsonNode n = p.get("id");
    if (n == null || !n.isTextual() || !n.textValue().matches("[0-9a-f]{8,64}")) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "Give the message id (from bm.inbox or bm.send).");
    }
    return n.textValue();
  }

  private static String text(JsonNode p, String field, int max) throws RpcException {
    return optText(p, field, max)
        .filter(s -> !s.isBlank())
        .orElseThrow(
            () ->
                new RpcException(
                    RpcError.INVALID_PARAMS,
                    "Give the " + field + " (text, at most " + max + " characters)."));
  }

  private static Optional<String> optText(JsonNode p, String field, int max) throws RpcException {
    JsonNode n = p.get(field);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual() || n.textValue().length() > max) {
      throw new RpcException(
          RpcError.INVALID_PARAMS,
          "The " + field + " must be text of at most " + max + " characters.");
    }
    return Optional.of(n.textValue());
  }

  /** The mailbox's events as notifications; never logs text. */
  private final class Events implements MailboxListener {
    @Override
    public void received(InboxMessage m) {
      notifier.notifyAll("bm.received", inboxJson(m, false));
    }

    @Override
    public void acked(OutboxMessage m) {
      notifier.notifyAll("bm.acked", Json.object().put("id", m.id()).put("to", m.to()));
    }

    @Override
    public void stateChanged(OutboxMessage m) {
      notifier.notifyAll(
          "bm.state", Json.object().put("id", m.id()).put("state", camel(m.state())));
    }

    @Override
    public void powProgress(PowStatus s) {
      notifier.notifyAll("bm.pow.progress", powJson(s));
    }
  }
}
