package org.sceau.app.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.sceau.app.rpc.Capability;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.Notifier;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.app.vault.VaultErrors;
import org.sceau.chat.ChatClient;
import org.sceau.chat.ChatException;
import org.sceau.chat.ChatListener;
import org.sceau.chat.ChatMessage;
import org.sceau.chat.ChatTransport;
import org.sceau.chat.Contact;
import org.sceau.chat.Conversation;
import org.sceau.chat.DeliveryReceipt;
import org.sceau.chat.SafetyNumber;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.GroupId;
import org.sceau.vault.Record;
import org.sceau.vault.Vault;
import org.sceau.vault.VaultException;
import org.sceau.vault.VaultListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Réseau Libre chat as the helper serves it. Methods: {@code chat.configure {relay}}, {@code
 * chat.status}, {@code chat.contacts}, {@code chat.saveContact {device, name}}, {@code chat.invite
 * {devices[]}}, {@code chat.accept {conversation}}, {@code chat.conversations}, {@code chat.send
 * {conversation, text}}, {@code chat.read {conversation, after?, limit?}}, {@code chat.verify
 * {device, code?}}, {@code chat.groupAdd/groupRemove {conversation, device}}, {@code chat.leave
 * {conversation}}. Notifications: {@code chat.message}, {@code chat.receipt}, {@code chat.invited},
 * {@code chat.members}, {@code chat.ended}, {@code chat.rejected}, {@code chat.connection}.
 *
 * <p>Everything the client keeps (device key, group states, outbox, contacts, history) and the
 * relay address live in the vault. The client runs only while the vault is open: locking it
 * disconnects from the relay (which keeps incoming messages queued), and every method answers
 * {@code VAULT_LOCKED}; unlocking reconnects and the queued messages arrive.
 */
public final class ChatCapability implements Capability {
  private static final Logger LOG = LoggerFactory.getLogger(ChatCapability.class);

  /** Settings kept in the vault (the relay address). */
  static final String SETTINGS = "chat.settings";

  /** Conversations others started that the user has not accepted yet. */
  static final String PENDING = "chat.pending";

  static final int MAX_TEXT_CHARS = 32 * 1024;
  static final int MAX_READ = 1000;
  static final int MAX_MEMBERS = 1000;

  private final Vault vault;
  private final Function<URI, ChatTransport> transports;
  private final Duration reconnectMax;
  private final ExecutorService lifecycle =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "sceau-chat-lifecycle");
            t.setDaemon(true);
            return t;
          });
  private final Object startStop = new Object();
  private volatile ChatClient client;
  private volatile URI relay;
  private volatile boolean online;
  private volatile long generation;
  private volatile Notifier notifier = (m, p) -> {};

  /** Chat over the relay wire protocol, state in {@code vault}. */
  public ChatCapability(Vault vault) {
    this(vault, ChatTransport::relay, Duration.ofSeconds(10));
  }

  /**
   * @param transports the relay connection for a configured address (tests may substitute one)
   * @param reconnectMax the longest wait between reconnection attempts
   */
  ChatCapability(Vault vault, Function<URI, ChatTransport> transports, Duration reconnectMax) {
    this.vault = vault;
    this.transports = transports;
    this.reconnectMax = reconnectMax;
  }

  @Override
  public String name() {
    return "chat";
  }

  @Override
  public JsonNode status() {
    ObjectNode s = Json.object().put("state", state());
    URI r = relay;
    if (r != null && client != null) {
      s.put("relay", r.toString());
    }
    return s;
  }

  private String state() {
    if (!vault.isUnlocked()) {
      return "locked";
    }
    if (client == null) {
      return "unconfigured";
    }
    return online ? "online" : "offline";
  }

  @Override
  public void register(MethodRegistry registry, Notifier notifier) {
    this.notifier = notifier;
    // Vault listeners run under the vault's lock: start and stop the client elsewhere.
    vault.addListener(
        new VaultListener() {
          @Override
          public void unlocked() {
            lifecycle.execute(ChatCapability.this::startQuietly);
          }

          @Override
          public void locked(LockReason reason) {
            stopClient();
          }
        });
    if (vault.isUnlocked()) {
      lifecycle.execute(this::startQuietly);
    }
    registry.register("chat.configure", (caller, p) -> configure(p));
    registry.register("chat.status", (caller, p) -> chatStatus());
    registry.register("chat.contacts", (caller, p) -> contacts(client()));
    registry.register("chat.saveContact", (caller, p) -> saveContact(p));
    registry.register("chat.invite", (caller, p) -> invite(p));
    registry.register("chat.accept", (caller, p) -> accept(p));
    registry.register("chat.conversations", (caller, p) -> conversations());
    registry.register("chat.send", (caller, p) -> send(p));
    registry.register("chat.read", (caller, p) -> read(p));
    registry.register("chat.verify", (caller, p) -> verify(p));
    registry.register(
        "chat.groupAdd",
        (caller, p) -> {
          ChatClient c = client();
          Conversation conv = conversation(c, p);
          DeviceId d = device(p.get("device"), "device");
          chat(() -> conv.add(d));
          return conversationJson(conv);
        });
    registry.register(
        "chat.groupRemove",
        (caller, p) -> {
          ChatClient c = client();
          Conversation conv = conversation(c, p);
          DeviceId d = device(p.get("device"), "device");
          chat(() -> conv.remove(d));
          return conversationJson(conv);
        });
    registry.register(
        "chat.leave",
        (caller, p) -> {
          Conversation conv = conversation(client(), p);
          chat(conv::leave);
          return Json.object().put("conversation", conv.id().hex()).put("leaving", true);
        });
  }

  // ---------------------------------------------------------------- lifecycle

  private void startQuietly() {
    try {
      restart();
    } catch (RpcException | RuntimeException e) {
      LOG.warn("chat did not start: {}", e.getClass().getSimpleName());
    }
  }

  /** (Re)creates the client from the vault's settings; no client when no relay is configured. */
  private void restart() throws RpcException {
    synchronized (startStop) {
      ChatClient old = client;
      client = null;
      online = false;
      if (old != null) {
        old.close();
      }
      if (!vault.isUnlocked()) {
        return;
      }
      Optional<URI> configured = storedRelay();
      if (configured.isEmpty()) {
        relay = null;
        return;
      }
      URI uri = configured.get();
      ChatClient c;
      try {
        c =
            ChatClient.builder()
                .store(new VaultChatStore(vault))
                .transport(transports.apply(uri))
                .listener(new Events(++generation))
                .reconnectBackoff(Duration.ofMillis(250), reconnectMax)
                .build();
      } catch (ChatException e) {
        LOG.info("chat client not created: {}", e.code());
        throw ChatErrors.toRpc(e, vault.isUnlocked());
      }
      relay = uri;
      client = c;
      c.start();
      LOG.info("chat started as {}", c.deviceId());
      if (!vault.isUnlocked()) {
        // Locked while starting: the lock's listener may have run before client was set.
        stopClient();
      }
    }
  }

  /** Drops the client at once (methods answer VAULT_LOCKED); its threads stop in the background. */
  private void stopClient() {
    ChatClient c = client;
    client = null;
    generation++;
    online = false;
    if (c != null) {
      LOG.info("chat disconnected: vault locked");
      try {
        lifecycle.execute(c::close);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        c.close();
      }
    }
  }

  /** Disconnects; the state stays in the vault. */
  @Override
  public void close() {
    stopClient();
    lifecycle.shutdown();
    try {
      lifecycle.awaitTermination(6, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Optional<URI> storedRelay() throws RpcException {
    try {
      Optional<Record> r = vault.store(SETTINGS).get("relay");
      if (r.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(URI.create(new String(r.get().value(), StandardCharsets.UTF_8)));
    } catch (VaultException e) {
      throw VaultErrors.toRpc(e);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------- methods

  private JsonNode configure(JsonNode p) throws RpcException {
    requireUnlocked();
    URI uri = relayUri(p.get("relay"));
    try {
      vault.store(SETTINGS).put("relay", uri.toString().getBytes(StandardCharsets.UTF_8));
    } catch (VaultException e) {
      throw VaultErrors.toRpc(e);
    }
    restart();
    LOG.info("chat relay configured");
    return chatStatus();
  }

  private JsonNode chatStatus() throws RpcException {
    ChatClient c = ensureClient();
    // The state comes from the client just obtained: after a quick lock and unlock the lifecycle
    // thread may swap the field in between, and the answer must describe one client.
    ObjectNode s =
        Json.object().put("state", c == null ? "unconfigured" : online ? "online" : "offline");
    if (c != null) {
      s.put("relay", String.valueOf(relay));
      s.put("device", c.deviceId().hex());
      s.put("fingerprint", new Contact(c.deviceId(), "", false).fingerprint());
    }
    return s;
  }

  private JsonNode contacts(ChatClient c) throws RpcException {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (Contact k : chat(c::contacts)) {
      a.add(contactJson(k));
    }
    return Json.object().set("contacts", a);
  }

  private JsonNode saveContact(JsonNode p) throws RpcException {
    ChatClient c = client();
    DeviceId d = device(p.get("device"), "device");
    String name = text(p.get("name"), "name", 200);
    return contactJson(chat(() -> c.saveContact(d, name)));
  }

  private JsonNode invite(JsonNode p) throws RpcException {
    ChatClient c = client();
    JsonNode devices = p.get("devices");
    List<DeviceId> members = new ArrayList<>();
    if (devices == null && p.has("device")) {
      members.add(device(p.get("device"), "device"));
    } else if (devices != null && devices.isArray() && devices.size() <= MAX_MEMBERS) {
      for (JsonNode d : devices) {
        DeviceId id = device(d, "devices");
        if (id.equals(c.deviceId())) {
          throw new RpcException(
              RpcError.INVALID_PARAMS, "You are in every conversation you start.");
        }
        if (!members.contains(id)) {
          members.add(id);
        }
      }
    }
    if (members.isEmpty()) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "Give the devices to invite (their 64-character ids).");
    }
    Conversation conv =
        chat(
            () ->
                members.size() == 1 ? c.startConversation(members.get(0)) : c.createGroup(members));
    LOG.info("chat conversation started with {} invited", members.size());
    return conversationJson(conv);
  }

  private JsonNode accept(JsonNode p) throws RpcException {
    ChatClient c = client();
    Conversation conv = conversation(c, p);
    try {
      vault.store(PENDING).delete(conv.id().hex());
    } catch (VaultException e) {
      throw VaultErrors.toRpc(e);
    }
    // Accepting makes the other members contacts (unverified until safety numbers are compared).
    for (DeviceId d : chat(conv::members)) {
      if (!d.equals(c.deviceId()) && chat(() -> c.contact(d)).isEmpty()) {
        chat(() -> c.saveContact(d, d.hex().substring(0, 8)));
      }
    }
    return conversationJson(conv);
  }

  private JsonNode conversations() throws RpcException {
    ChatClient c = client();
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (Conversation conv : c.conversations()) {
      try {
        a.add(conversationJson(conv));
      } catch (RpcException e) {
        // Ended between the listing and now: leave it out.
      }
    }
    return Json.object().set("conversations", a);
  }

  private JsonNode send(JsonNode p) throws RpcException {
    String text = text(p.get("text"), "text", MAX_TEXT_CHARS);
    Conversation conv = conversation(client(), p);
    String id = chat(() -> conv.send(text));
    return Json.object()
        .put("conversation", conv.id().hex())
        .put("messageId", id)
        .put("queued", chat(conv::queuedCount));
  }

  private JsonNode read(JsonNode p) throws RpcException {
    Conversation conv = conversation(client(), p);
    int after = intParam(p, "after", 0, Integer.MAX_VALUE, 0);
    int limit = intParam(p, "limit", 1, MAX_READ, 100);
    List<ChatMessage> all = chat(conv::history);
    ArrayNode a = Json.MAPPER.createArrayNode();
    int i = after;
    for (; i < all.size() && a.size() < limit; i++) {
      a.add(messageJson(all.get(i)).put("index", i));
    }
    return Json.object()
        .put("conversation", conv.id().hex())
        .put("next", i)
        .put("total", all.size())
        .set("messages", a);
  }

  private JsonNode verify(JsonNode p) throws RpcException {
    ChatClient c = client();
    DeviceId d = device(p.get("device"), "device");
    JsonNode code = p.get("code");
    if (code != null && !code.isNull()) {
      String typed = text(code, "code", 512);
      boolean ok = chat(() -> c.verifyContact(d, typed));
      LOG.info("chat safety number {}", ok ? "verified" : "did not match");
      return Json.object().put("device", d.hex()).put("verified", ok);
    }
    SafetyNumber sn = c.safetyNumber(d);
    Optional<Contact> k = chat(() -> c.contact(d));
    return Json.object()
        .put("device", d.hex())
        .put("safetyNumber", sn.displayText())
        .put("digits", sn.digits())
        .put("qr", sn.qrPayload())
        .put("verified", k.map(Contact::verified).orElse(false));
  }

  // ---------------------------------------------------------------- helpers

  private void requireUnlocked() throws RpcException {
    if (!vault.isUnlocked()) {
      throw vaultLocked();
    }
  }

  static RpcException vaultLocked() {
    return VaultErrors.toRpc(
        new VaultException(
            VaultException.Code.VAULT_LOCKED,
            "The vault is locked: unlock it (sceau vault unlock) to use chat."));
  }

  /** The running client; VAULT_LOCKED or CHAT_NOT_CONFIGURED when there is none. */
  private ChatClient client() throws RpcException {
    ChatClient c = ensureClient();
    if (c == null) {
      requireUnlocked();
      throw new RpcException(
          ChatErrors.NOT_CONFIGURED, "Set the chat relay first (sceau chat configure URL).");
    }
    return c;
  }

  /** The running client, started now if the vault was just unlocked; null if unconfigured. */
  private ChatClient ensureClient() throws RpcException {
    requireUnlocked();
    ChatClient c = client;
    if (c == null && storedRelay().isPresent()) {
      // Unlocked a moment ago: the listener's start may not have run yet.
      synchronized (startStop) {
        if (client == null) {
          restart();
        }
        c = client;
      }
    }
    return c;
  }

  @FunctionalInterface
  private interface ChatCall<T> {
    T run() throws ChatException;
  }

  @FunctionalInterface
  private interface ChatAction {
    void run() throws ChatException;
  }

  private <T> T chat(ChatCall<T> call) throws RpcException {
    try {
      return call.run();
    } catch (ChatException e) {
      LOG.info("chat call refused: {}", e.code());
      throw ChatErrors.toRpc(e, vault.isUnlocked());
    }
  }

  private void chat(ChatAction action) throws RpcException {
    chat(
        () -> {
          action.run();
          return null;
        });
  }

  private Conversation conversation(ChatClient c, JsonNode p) throws RpcException {
    JsonNode n = p.get("conversation");
    if (n == null || !n.isTextual() || !n.textValue().matches("([0-9a-f]{2}){1,255}")) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "Give the conversation id (hex, from chat.conversations).");
    }
    GroupId id = GroupId.ofHex(n.textValue());
    return chat(() -> c.conversation(id));
  }

  static DeviceId device(JsonNode n, String field) throws RpcException {
    if (n == null || !n.isTextual()) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "Give the " + field + " as a 64-character device id.");
    }
    String hex = n.textValue().replace(" ", "").toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "A device id is 64 hexadecimal characters (its fingerprint).");
    }
    return DeviceId.ofHex(hex);
  }

  private static String text(JsonNode n, String field, int max) throws RpcException {
    if (n == null || !n.isTextual() || n.textValue().isEmpty() || n.textValue().length() > max) {
      throw new RpcException(
          RpcError.INVALID_PARAMS,
          "The " + field + " must be text of 1 to " + max + " characters.");
    }
    return n.textValue();
  }

  private static int intParam(JsonNode p, String field, int min, int max, int dflt)
      throws RpcException {
    JsonNode n = p.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() < min || n.intValue() > max) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "The " + field + " must be a number from " + min + " to " + max);
    }
    return n.intValue();
  }

  /** {@code wss://…}, or {@code ws://} to a loopback address (tests, a relay on this machine). */
  static URI relayUri(JsonNode n) throws RpcException {
    if (n == null || !n.isTextual() || n.textValue().length() > 2048) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "Give the relay address, e.g. wss://chat.example.org/v1/ws.");
    }
    URI uri;
    try {
      uri = new URI(n.textValue());
    } catch (URISyntaxException e) {
      throw new RpcException(RpcError.INVALID_PARAMS, "The relay address is not a valid URL.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    if (host.isEmpty() || !(scheme.equals("wss") || (scheme.equals("ws") && loopback))) {
      throw new RpcException(
          RpcError.INVALID_PARAMS,
          "The relay address must start with wss:// (ws:// only for a relay on this machine).");
    }
    if (uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
      uri = uri.resolve("/v1/ws");
    }
    return uri;
  }

  private ObjectNode conversationJson(Conversation conv) throws RpcException {
    ObjectNode o = Json.object().put("conversation", conv.id().hex());
    ArrayNode m = o.putArray("members");
    for (DeviceId d : chat(conv::members)) {
      m.add(d.hex());
    }
    o.put("epoch", chat(conv::epoch));
    o.put("queued", chat(conv::queuedCount));
    try {
      o.put("pending", vault.store(PENDING).get(conv.id().hex()).isPresent());
    } catch (VaultException e) {
      throw VaultErrors.toRpc(e);
    }
    return o;
  }

  private static ObjectNode contactJson(Contact k) {
    return Json.object()
        .put("device", k.device().hex())
        .put("name", k.name())
        .put("verified", k.verified())
        .put("fingerprint", k.fingerprint());
  }

  private static ObjectNode messageJson(ChatMessage m) {
    return Json.object()
        .put("conversation", m.conversation().hex())
        .put("messageId", m.messageId())
        .put("sender", m.sender().hex())
        .put("sentAt", m.sentAtMillis())
        .put("text", m.text())
        .put("outgoing", m.outgoing());
  }

  private static ArrayNode devices(List<DeviceId> ids) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    ids.forEach(d -> a.add(d.hex()));
    return a;
  }

  /** The client's events as notifications; never logs text. */
  private final class Events implements ChatListener {
    private final long gen;

    Events(long gen) {
      this.gen = gen;
    }

    @Override
    public void messageReceived(ChatMessage message) {
      notifier.notifyAll("chat.message", messageJson(message));
    }

    @Override
    public void receiptReceived(DeliveryReceipt r) {
      notifier.notifyAll(
          "chat.receipt",
          Json.object()
              .put("conversation", r.conversation().hex())
              .put("messageId", r.messageId())
              .put("recipient", r.recipient().hex()));
    }

    @Override
    public void conversationJoined(GroupId conversation, List<DeviceId> members) {
      try {
        vault.store(PENDING).put(conversation.hex(), new byte[] {1});
      } catch (VaultException e) {
        LOG.info("pending invitation not recorded: {}", e.code());
      }
      ObjectNode n = Json.object().put("conversation", conversation.hex());
      n.set("members", devices(members));
      notifier.notifyAll("chat.invited", n);
    }

    @Override
    public void membersChanged(GroupId conversation, List<DeviceId> members) {
      ObjectNode n = Json.object().put("conversation", conversation.hex());
      n.set("members", devices(members));
      notifier.notifyAll("chat.members", n);
    }

    @Override
    public void conversationEnded(GroupId conversation) {
      try {
        vault.store(PENDING).delete(conversation.hex());
      } catch (VaultException e) {
        LOG.debug("pending flag not cleared: {}", e.code());
      }
      notifier.notifyAll("chat.ended", Json.object().put("conversation", conversation.hex()));
    }

    @Override
    public void messageRejected(GroupId conversation, ChatException reason) {
      ObjectNode n = Json.object();
      n.put("conversation", conversation == null ? null : conversation.hex());
      n.put("code", reason.code().name());
      n.put("message", reason.getMessage());
      notifier.notifyAll("chat.rejected", n);
    }

    @Override
    public void connectionChanged(boolean up) {
      if (gen != generation) {
        return; // a client already replaced or stopped
      }
      online = up;
      notifier.notifyAll("chat.connection", Json.object().put("online", up));
    }
  }
}
