package org.sceau.chat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSMessage;
import org.sceau.chat.ChatException.Code;
import org.sceau.chat.internal.Backoff;
import org.sceau.chat.internal.Bin;
import org.sceau.chat.internal.ChatPayload;
import org.sceau.chat.internal.ConversationState;
import org.sceau.chat.internal.ConversationState.Buffered;
import org.sceau.chat.internal.ConversationState.Outgoing;
import org.sceau.chat.internal.GroupSession;
import org.sceau.chat.internal.GroupSession.HandshakeOutcome;
import org.sceau.chat.internal.GroupSession.HandshakeResult;
import org.sceau.chat.internal.KeyPackageSecrets;
import org.sceau.chat.internal.MlsFraming;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.GroupId;
import org.sceau.chat.wire.PayloadKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's end-to-end encrypted chat (MLS, RFC 9420, ciphersuite
 * MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519) over a store-and-forward relay.
 *
 * <p>Guarantees: every message and every group change travels as an MLS PrivateMessage; only
 * members of the epoch can read it, a removed member cannot read what follows its removal, and a
 * replayed, modified or wrong-epoch message is refused with a typed reason ({@link
 * ChatListener#messageRejected}). Group state is saved through {@link ChatStore} after every change
 * (only the current epoch; a previous epoch stays in memory for {@code lateMessageWindow} to read
 * messages that crossed a commit, then is dropped). Outgoing messages queue while the relay is
 * unreachable and are encrypted when sent; the client reconnects with exponential backoff.
 *
 * <pre>{@code
 * ChatClient alice = ChatClient.builder().store(store).transport(relay).listener(l).build();
 * alice.start();
 * Conversation c = alice.startConversation(bobDevice);   // a 2-member MLS group
 * c.send("hello");
 * SafetyNumber sn = alice.safetyNumber(bobDevice);        // compare with Bob's
 * }</pre>
 *
 * Thread-safe. Group changes need the relay (it orders them) and throw {@code OFFLINE} without it.
 */
public final class ChatClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String K_DEVICE = "device/key";
  private static final String K_REGISTERED = "device/registered";
  private static final String K_INBOX = "inbox/last";
  private static final String K_ORPHANS = "inbox/orphans";
  private static final int MAX_ORPHANS = 256;
  private static final int KEY_PACKAGE_BATCH = 10;

  private final ChatStore store;
  private final ChatTransport transport;
  private final ChatListener listener;
  private final Clock clock;
  private final long lateWindowMillis;
  private final int pastEpochs;
  private final long selfUpdateMillis;
  private final long conflictWaitMillis;
  private final int commitAttempts;
  private final Backoff backoff;
  private final DeviceKey key;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<GroupId, ConversationState> convs = new LinkedHashMap<>();
  private final List<Buffered> orphans = new ArrayList<>();
  private final ExecutorService inbound;
  private final ScheduledExecutorService timer;
  private volatile ChatTransport.Connection conn;
  private volatile boolean closed;
  private volatile boolean started;
  private long lastDelivery;
  private long historySeq;

  private ChatClient(Builder b) throws ChatException {
    this.store = b.store;
    this.transport = b.transport;
    this.listener = b.listener;
    this.clock = b.clock;
    this.lateWindowMillis = b.lateMessageWindow.toMillis();
    this.pastEpochs = b.pastEpochs;
    this.selfUpdateMillis = b.selfUpdateInterval.toMillis();
    this.conflictWaitMillis = b.conflictWait.toMillis();
    this.commitAttempts = b.commitAttempts;
    this.backoff =
        new Backoff(b.reconnectBase.toMillis(), b.reconnectMax.toMillis(), n -> RANDOM.nextLong(n));
    Optional<byte[]> seed = store.get(K_DEVICE);
    if (seed.isPresent()) {
      this.key = DeviceKey.fromSeed(seed.get());
    } else {
      this.key = DeviceKey.generate();
      store.put(K_DEVICE, key.seedForVault());
    }
    this.inbound =
        Executors.newSingleThreadExecutor(r -> daemon(r, "sceau-chat-inbound-" + shortId()));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sceau-chat-timer-" + shortId()));
    load();
  }

  private String shortId() {
    return key == null ? "?" : key.deviceId().hex().substring(0, 8);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configuration; {@code store} and {@code transport} are required. */
  public static final class Builder {
    private ChatStore store;
    private ChatTransport transport;
    private ChatListener listener = new ChatListener() {};
    private Clock clock = Clock.systemUTC();
    private Duration lateMessageWindow = Duration.ofMinutes(2);
    private int pastEpochs = 3;
    private Duration selfUpdateInterval = Duration.ofDays(7);
    private Duration reconnectBase = Duration.ofMillis(500);
    private Duration reconnectMax = Duration.ofMinutes(2);
    private Duration conflictWait = Duration.ofSeconds(10);
    private int commitAttempts = 5;

    public Builder store(ChatStore s) {
      this.store = s;
      return this;
    }

    public Builder transport(ChatTransport t) {
      this.transport = t;
      return this;
    }

    public Builder listener(ChatListener l) {
      this.listener = l;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    /** How long a previous epoch stays readable for messages that crossed a commit. */
    public Builder lateMessageWindow(Duration d) {
      this.lateMessageWindow = d;
      return this;
    }

    /**
     * How many previous epochs stay readable (within {@link #lateMessageWindow}): a member that has
     * not yet processed the latest commits still sends in its epoch. Default 3.
     */
    public Builder pastEpochs(int n) {
      this.pastEpochs = n;
      return this;
    }

    /** {@link ChatClient#maintain} refreshes this device's leaf key after this long. */
    public Builder selfUpdateInterval(Duration d) {
      this.selfUpdateInterval = d;
      return this;
    }

    public Builder reconnectBackoff(Duration base, Duration max) {
      this.reconnectBase = base;
      this.reconnectMax = max;
      return this;
    }

    /** How long a refused commit waits for the winning commit before it is re-based. */
    public Builder conflictWait(Duration d) {
      this.conflictWait = d;
      return this;
    }

    /** Loads the device key and conversations from the store (creating a key on first use). */
    public ChatClient build() throws ChatException {
      if (store == null || transport == null) {
        throw new IllegalStateException("store and transport are required");
      }
      return new ChatClient(this);
    }
  }

  // ---------------------------------------------------------------- identity and contacts

  /** This device's identity (its Ed25519 public key). */
  public DeviceId deviceId() {
    return key.deviceId();
  }

  /** The safety number of this device and {@code peer}, to compare out of band. */
  public SafetyNumber safetyNumber(DeviceId peer) {
    return SafetyNumber.of(key.deviceId(), peer);
  }

  /** Adds or renames a contact (unverified unless it was verified before). */
  public Contact saveContact(DeviceId device, String name) throws ChatException {
    boolean verified = contact(device).map(Contact::verified).orElse(false);
    Contact c = new Contact(device, name, verified);
    store.put("contact/" + device.hex(), encodeContact(c));
    return c;
  }

  /**
   * Marks {@code device} verified if {@code scannedOrTyped} (a QR payload or the 60 digits) matches
   * the safety number; returns whether it did.
   */
  public boolean verifyContact(DeviceId device, String scannedOrTyped) throws ChatException {
    SafetyNumber sn = safetyNumber(device);
    if (!sn.matchesQrPayload(scannedOrTyped) && !sn.matchesDigits(scannedOrTyped)) {
      return false;
    }
    String name = contact(device).map(Contact::name).orElse("");
    store.put("contact/" + device.hex(), encodeContact(new Contact(device, name, true)));
    return true;
  }

  public Optional<Contact> contact(DeviceId device) throws ChatException {
    Optional<byte[]> b = store.get("contact/" + device.hex());
    return b.isEmpty() ? Optional.empty() : Optional.of(decodeContact(device, b.get()));
  }

  public List<Contact> contacts() throws ChatException {
    List<Contact> out = new ArrayList<>();
    for (String k : store.keys("contact/")) {
      DeviceId d = DeviceId.ofHex(k.substring("contact/".length()));
      out.add(decodeContact(d, store.get(k).orElseThrow()));
    }
    return out;
  }

  private static byte[] encodeContact(Contact c) {
    return new Bin.Writer()
        .u8(1)
        .bytes(c.name().getBytes(StandardCharsets.UTF_8))
        .u8(c.verified() ? 1 : 0)
        .toByteArray();
  }

  private static Contact decodeContact(DeviceId d, byte[] b) throws ChatException {
    Bin.Reader r = new Bin.Reader(b, Code.STATE_CORRUPT);
    r.u8();
    String name = new String(r.bytes(1024), StandardCharsets.UTF_8);
    boolean verified = r.u8() == 1;
    return new Contact(d, name, verified);
  }

  // ---------------------------------------------------------------- connection

  /** Connects to the relay in the background and keeps reconnecting (with backoff) until closed. */
  public void start() {
    started = true;
    timer.execute(this::tryConnect);
    // A previous epoch is readable only for the late-message window: wipe it soon after.
    long sweep = Math.max(1000, lateWindowMillis / 2);
    timer.scheduleWithFixedDelay(this::expirePriorEpochs, sweep, sweep, TimeUnit.MILLISECONDS);
    // Periodic leaf-key refresh (post-compromise security); a no-op until a conversation is due.
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            if (isOnline()) {
              maintain();
            }
          } catch (ChatException | RuntimeException e) {
            LOG.info("periodic key refresh failed: {}", e.getClass().getSimpleName());
          }
        },
        1,
        1,
        TimeUnit.HOURS);
  }

  /** Whether an authenticated relay connection is open. */
  public boolean isOnline() {
    ChatTransport.Connection c = conn;
    return c != null && c.isOpen();
  }

  private void tryConnect() {
    if (closed || isOnline()) {
      return;
    }
    try {
      boolean register = store.get(K_REGISTERED).isEmpty();
      Sink sink = new Sink();
      ChatTransport.Connection c = transport.connect(key, register, sink);
      sink.connection = c;
      if (register) {
        store.put(K_REGISTERED, new byte[] {1});
      }
      conn = c;
      backoff.reset();
      LOG.info("chat relay connected as {}", key.deviceId());
      listener.connectionChanged(true);
      if (store.keys("kp/").isEmpty()) {
        publishKeyPackages(KEY_PACKAGE_BATCH);
      }
      inbound.execute(this::flushOutboxQuietly);
    } catch (ChatException e) {
      long delay = backoff.nextDelayMillis();
      LOG.info("chat relay unreachable ({}); retrying in {} ms", e.code(), delay);
      schedule(this::tryConnect, delay);
    } catch (RuntimeException e) {
      long delay = backoff.nextDelayMillis();
      LOG.warn("chat connect failed ({}); retrying in {} ms", e.getClass().getSimpleName(), delay);
      schedule(this::tryConnect, delay);
    }
  }

  private void schedule(Runnable r, long delayMillis) {
    if (!closed) {
      try {
        timer.schedule(r, delayMillis, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private final class Sink implements ChatTransport.Sink {
    /**
     * Set when storing a delivery failed: later ones must wait for the redelivery after reconnect.
     */
    volatile boolean broken;

    volatile ChatTransport.Connection connection;

    @Override
    public void deliver(Frame.Deliver d) {
      try {
        inbound.execute(() -> onDelivery(d, this));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed: the relay redelivers what was not acknowledged
      }
    }

    @Override
    public void closed(Throwable cause) {
      if (conn == connection || conn == null) {
        conn = null;
      } else {
        return; // an older connection, already replaced
      }
      if (closed) {
        return;
      }
      listener.connectionChanged(false);
      if (started) {
        schedule(ChatClient.this::tryConnect, backoff.nextDelayMillis());
      }
    }
  }

  private ChatTransport.Connection online() throws ChatException {
    ChatTransport.Connection c = conn;
    if (c == null || !c.isOpen()) {
      throw new ChatException(Code.OFFLINE);
    }
    return c;
  }

  /** Stops reconnecting and closes the connection. Saved state stays in the store. */
  @Override
  public void close() {
    closed = true;
    ChatTransport.Connection c = conn;
    conn = null;
    if (c != null) {
      c.close();
    }
    timer.shutdownNow();
    inbound.shutdown();
    try {
      inbound.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    inbound.shutdownNow();
  }

  // ---------------------------------------------------------------- key packages

  /** Publishes {@code count} fresh one-time KeyPackages (and a last-resort one if none exists). */
  public void publishKeyPackages(int count) throws ChatException {
    ChatTransport.Connection c = online();
    Map<String, byte[]> puts = new HashMap<>();
    List<byte[]> oneTime = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      KeyPackageSecrets k = KeyPackageSecrets.generate(key.seedForVault(), false);
      puts.put("kp/" + k.id(), k.encode());
      oneTime.add(k.published());
    }
    byte[] lastResort = null;
    if (store.keys("kp-last/").isEmpty()) {
      KeyPackageSecrets k = KeyPackageSecrets.generate(key.seedForVault(), true);
      puts.put("kp-last/" + k.id(), k.encode());
      lastResort = k.published();
    }
    // Secrets first: a Welcome for a package whose secrets were lost could never be opened.
    store.write(puts, Set.of());
    c.publishKeyPackages(oneTime, lastResort);
  }

  private List<KeyPackageSecrets> keyPackageSecrets() throws ChatException {
    List<KeyPackageSecrets> out = new ArrayList<>();
    for (String prefix : new String[] {"kp/", "kp-last/"}) {
      for (String k : store.keys(prefix)) {
        out.add(KeyPackageSecrets.decode(store.get(k).orElseThrow()));
      }
    }
    return out;
  }

  private KeyPackage claim(DeviceId device) throws ChatException {
    byte[] published = online().claimKeyPackage(device);
    KeyPackageSecrets.Verified v = KeyPackageSecrets.verify(published);
    if (!v.device().equals(device)) {
      // The relay handed out someone else's package: refuse rather than add a stranger.
      throw new ChatException(
          Code.TAMPERED, "The relay returned an invitation key of another device.");
    }
    return v.keyPackage();
  }

  // ---------------------------------------------------------------- conversations

  /** A 1:1 conversation: a new 2-member MLS group with {@code peer}. */
  public Conversation startConversation(DeviceId peer) throws ChatException {
    return createGroup(List.of(peer));
  }

  /** A new group with this device and {@code members}. */
  public Conversation createGroup(List<DeviceId> members) throws ChatException {
    if (members.isEmpty() || members.contains(deviceId())) {
      throw new ChatException(Code.INVALID_ARGUMENT, "Name at least one other device.");
    }
    online();
    List<KeyPackage> kps = new ArrayList<>();
    for (DeviceId m : members) {
      kps.add(claim(m));
    }
    byte[] gid = new byte[16];
    RANDOM.nextBytes(gid);
    GroupId id = GroupId.of(gid);
    lock.lock();
    try {
      ConversationState c = track(id, GroupSession.create(gid, key.seedForVault()));
      c.lastSelfUpdateMillis = now();
      convs.put(id, c);
      save(c, new Effects());
    } finally {
      lock.unlock();
    }
    commit(id, kps, List.of(), members);
    return new Conversation(this, id);
  }

  /** A conversation known on this device. */
  public Conversation conversation(GroupId id) throws ChatException {
    lock.lock();
    try {
      state(id);
      return new Conversation(this, id);
    } finally {
      lock.unlock();
    }
  }

  public List<Conversation> conversations() {
    lock.lock();
    try {
      List<Conversation> out = new ArrayList<>();
      for (GroupId id : convs.keySet()) {
        out.add(new Conversation(this, id));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  private ConversationState state(GroupId id) throws ChatException {
    ConversationState c = convs.get(id);
    if (c == null) {
      throw new ChatException(Code.UNKNOWN_CONVERSATION);
    }
    return c;
  }

  List<DeviceId> members(GroupId id) throws ChatException {
    lock.lock();
    try {
      return state(id).session.members();
    } finally {
      lock.unlock();
    }
  }

  long epoch(GroupId id) throws ChatException {
    lock.lock();
    try {
      return state(id).session.epoch();
    } finally {
      lock.unlock();
    }
  }

  byte[] epochAuthenticator(GroupId id) throws ChatException {
    lock.lock();
    try {
      return state(id).session.epochAuthenticator();
    } finally {
      lock.unlock();
    }
  }

  int queued(GroupId id) throws ChatException {
    lock.lock();
    try {
      return state(id).outbox.size();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- sending

  String send(GroupId id, String text) throws ChatException {
    String mid = newMessageId();
    ChatPayload.Text t;
    try {
      t = new ChatPayload.Text(mid, now(), text);
    } catch (IllegalArgumentException e) {
      throw new ChatException(Code.INVALID_ARGUMENT, "The message is too long.");
    }
    lock.lock();
    try {
      ConversationState c = state(id);
      if (c.leaving) {
        throw new ChatException(Code.NOT_A_MEMBER);
      }
      if (c.outbox.size() >= ConversationState.MAX_OUTBOX) {
        throw new ChatException(Code.INVALID_ARGUMENT, "Too many messages are waiting to be sent.");
      }
      c.outbox.add(new Outgoing(1, ChatPayload.encode(t), List.of(), mid));
      Effects fx = new Effects();
      fx.puts.put(historyKey(id), encodeHistory(id, mid, deviceId(), t.sentAtMillis(), text, true));
      save(c, fx);
      fx.commit();
    } finally {
      lock.unlock();
    }
    inboundOrDirect(this::flushOutboxQuietly);
    return mid;
  }

  private void inboundOrDirect(Runnable r) {
    try {
      inbound.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void flushOutboxQuietly() {
    try {
      flushOutbox();
    } catch (ChatException e) {
      LOG.debug("outbox flush stopped: {}", e.code());
      if (isOnline()) {
        // Rate-limited or a timeout on a live connection: try again shortly (a dropped connection
        // flushes on reconnect instead).
        schedule(() -> inboundOrDirect(this::flushOutboxQuietly), backoff.nextDelayMillis());
      }
    }
  }

  /** Sends queued items, oldest first, while the relay is reachable. */
  void flushOutbox() throws ChatException {
    lock.lock();
    try {
      for (ConversationState c : new ArrayList<>(convs.values())) {
        while (!c.outbox.isEmpty()) {
          ChatTransport.Connection cn = conn;
          if (cn == null || !cn.isOpen()) {
            return;
          }
          Outgoing o = c.outbox.peek();
          List<DeviceId> to = o.recipients().isEmpty() ? others(c) : o.recipients();
          if (to.isEmpty()) {
            c.outbox.poll();
            save(c, new Effects()).commit();
            continue;
          }
          byte[] wire;
          if (o.type() == 1) {
            wire = c.session.protect(o.payload());
            // The key generation is spent: save before sending, so a crash cannot reuse it.
            save(c, new Effects()).commit();
          } else {
            wire = o.payload();
          }
          try {
            cn.send(to, wire);
          } catch (ChatException e) {
            if (e.code() == Code.OFFLINE) {
              throw e;
            }
            // Refused for good (unknown recipient, too large): drop it, say so.
            LOG.info("relay refused a queued message: {}", e.code());
            c.outbox.poll();
            save(c, new Effects()).commit();
            GroupId gid = c.id;
            listener.messageRejected(gid, e);
            continue;
          }
          c.outbox.poll();
          save(c, new Effects()).commit();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private List<DeviceId> others(ConversationState c) throws ChatException {
    List<DeviceId> out = new ArrayList<>(c.session.members());
    out.remove(deviceId());
    return out;
  }

  // ---------------------------------------------------------------- group changes

  void add(GroupId id, DeviceId device) throws ChatException {
    lock.lock();
    try {
      if (state(id).session.leafOf(device) >= 0) {
        return;
      }
    } finally {
      lock.unlock();
    }
    commit(id, List.of(claim(device)), List.of(), List.of(device));
  }

  void remove(GroupId id, DeviceId device) throws ChatException {
    if (device.equals(deviceId())) {
      leave(id);
      return;
    }
    commit(id, List.of(), List.of(device), List.of());
  }

  void selfUpdate(GroupId id) throws ChatException {
    commit(id, List.of(), List.of(), List.of());
  }

  /**
   * Commits adds/removes (or an empty commit: a fresh leaf key, for post-compromise security). The
   * relay orders commits; if another one for the same epoch came first, this waits for it to
   * arrive, applies it, and builds the commit again on top of it (re-basing).
   */
  private void commit(
      GroupId id, List<KeyPackage> adds, List<DeviceId> removes, List<DeviceId> added)
      throws ChatException {
    for (int attempt = 0; attempt < commitAttempts; attempt++) {
      ChatTransport.Connection cn = online();
      lock.lock();
      try {
        ConversationState c = state(id);
        if (c.leaving) {
          throw new ChatException(Code.NOT_A_MEMBER);
        }
        List<Integer> leaves = new ArrayList<>();
        for (DeviceId d : removes) {
          int leaf = c.session.leafOf(d);
          if (leaf >= 0) {
            leaves.add(leaf);
          }
        }
        if (!removes.isEmpty() && leaves.isEmpty() && adds.isEmpty()) {
          return; // already removed by someone else
        }
        List<DeviceId> recipients = others(c); // removed members included: they learn of it
        if (recipients.isEmpty()) {
          // A new group's first commit: the relay needs a recipient to order it; we ignore the
          // echo.
          recipients = List.of(deviceId());
        }
        GroupSession.PendingCommit pc = c.session.stageCommit(adds, leaves);
        // Encrypting the commit spent a handshake key generation: save before it leaves, so a
        // crash cannot make this device encrypt another commit under the same key and nonce.
        save(c, new Effects()).commit();
        long epochBefore = c.session.epoch();
        try {
          long seq = cn.handshake(PayloadKind.COMMIT, id, pc.epoch(), recipients, pc.commit);
          c.lastGroupSeq = Math.max(c.lastGroupSeq, seq);
        } catch (ChatException e) {
          if (e.code() != Code.COMMIT_CONFLICT) {
            throw e;
          }
          LOG.info("commit for {} epoch {} lost the race; re-basing", id, epochBefore);
          awaitEpochAfter(c, epochBefore);
          continue;
        }
        c.session.confirm(pc, now(), lateWindowMillis);
        if (adds.isEmpty() && removes.isEmpty()) {
          c.lastSelfUpdateMillis = now();
        }
        if (pc.welcome != null) {
          // Queued like a message, so a Welcome is not lost if the connection drops right now.
          c.outbox.addFirst(new Outgoing(2, pc.welcome, List.copyOf(added), null));
        }
        Effects fx = new Effects();
        List<DeviceId> members = c.session.members();
        fx.events.add(() -> listener.membersChanged(id, members));
        save(c, fx).commit();
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      flushOutbox();
      return;
    }
    throw new ChatException(Code.COMMIT_CONFLICT);
  }

  private void awaitEpochAfter(ConversationState c, long epoch) throws ChatException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(conflictWaitMillis);
    try {
      while (c.session.epoch() <= epoch && convs.get(c.id) == c) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new ChatException(Code.COMMIT_CONFLICT);
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChatException(Code.OFFLINE);
    }
    if (convs.get(c.id) != c) {
      throw new ChatException(Code.NOT_A_MEMBER);
    }
  }

  /**
   * Asks to leave: sends a Remove proposal for this device (another member commits it). The
   * conversation stops sending at once and ends when the commit arrives.
   */
  void leave(GroupId id) throws ChatException {
    ChatTransport.Connection cn = online();
    lock.lock();
    try {
      ConversationState c = state(id);
      List<DeviceId> recipients = others(c);
      if (recipients.isEmpty()) {
        end(c, new Effects()).commit();
        return;
      }
      byte[] proposal = c.session.leaveProposal();
      save(c, new Effects()).commit(); // key generation spent (see commit)
      long seq = cn.handshake(PayloadKind.PROPOSAL, id, c.session.epoch(), recipients, proposal);
      c.lastGroupSeq = Math.max(c.lastGroupSeq, seq);
      c.leaving = true;
      c.outbox.clear();
      save(c, new Effects()).commit();
    } finally {
      lock.unlock();
    }
  }

  private void expirePriorEpochs() {
    lock.lock();
    try {
      for (ConversationState c : convs.values()) {
        c.session.expirePrior(now());
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refreshes this device's leaf key in every conversation whose last refresh is older than the
   * configured interval (post-compromise security). Returns how many were refreshed.
   */
  public int maintain() throws ChatException {
    List<GroupId> due = new ArrayList<>();
    lock.lock();
    try {
      for (ConversationState c : convs.values()) {
        c.session.expirePrior(now());
        if (!c.leaving && now() - c.lastSelfUpdateMillis >= selfUpdateMillis) {
          due.add(c.id);
        }
      }
    } finally {
      lock.unlock();
    }
    for (GroupId id : due) {
      selfUpdate(id);
    }
    return due.size();
  }

  // ---------------------------------------------------------------- receiving

  /** Collects what one inbound step changes: store writes (applied atomically), then events. */
  private final class Effects {
    final Map<String, byte[]> puts = new HashMap<>();
    final java.util.HashSet<String> deletes = new java.util.HashSet<>();
    final List<Runnable> events = new ArrayList<>();
    final List<Runnable> after = new ArrayList<>();

    Effects commit() throws ChatException {
      store.write(puts, deletes);
      for (Runnable r : events) {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.warn("chat listener failed: {}", e.getClass().getSimpleName());
        }
      }
      return this;
    }
  }

  private Effects save(ConversationState c, Effects fx) throws ChatException {
    String base = "conv/" + c.id.hex() + "/";
    fx.puts.put(base + "state", c.session.save());
    fx.puts.put(base + "meta", c.encodeMeta());
    return fx;
  }

  private Effects end(ConversationState c, Effects fx) {
    convs.remove(c.id);
    String base = "conv/" + c.id.hex() + "/";
    fx.deletes.add(base + "state");
    fx.deletes.add(base + "meta");
    fx.events.add(() -> listener.conversationEnded(c.id));
    changed.signalAll();
    return fx;
  }

  private void onDelivery(Frame.Deliver d, Sink from) {
    if (from.broken) {
      return;
    }
    List<Runnable> after;
    lock.lock();
    try {
      if (d.messageId() <= lastDelivery) {
        ackQuietly(d.messageId()); // a redelivery of something already stored
        return;
      }
      Effects fx = new Effects();
      Buffered item =
          new Buffered(
              d.kind() == PayloadKind.COMMIT ? 1 : d.kind() == PayloadKind.PROPOSAL ? 2 : 0,
              d.epoch(),
              d.payload());
      if (d.kind() != PayloadKind.MESSAGE) {
        checkGroupOrder(d, fx);
      }
      if (d.kind() != PayloadKind.MESSAGE && deviceId().equals(d.sender())) {
        // Our own commit, echoed because a group's first commit has no other recipient.
      } else {
        process(item, d.group(), fx);
      }
      fx.puts.put(K_INBOX, new Bin.Writer().u64(d.messageId()).toByteArray());
      fx.commit();
      lastDelivery = d.messageId();
      after = fx.after;
    } catch (ChatException e) {
      // The store failed: do not ack, and process nothing after it on this connection (the ids
      // would pass it); reconnecting makes the relay deliver it again, in order.
      LOG.warn("could not store an incoming chat message: {}", e.code());
      from.broken = true;
      // Decrypting spent keys in memory that the store still has: go back to the stored state,
      // or the redelivered message would look like a replay.
      reloadQuietly();
      ChatTransport.Connection c = conn;
      if (c != null) {
        c.close();
      }
      return;
    } finally {
      lock.unlock();
    }
    ackQuietly(d.messageId());
    // Follow-ups that talk to the relay (committing a leave, replenishing KeyPackages) run off the
    // inbound thread: a refused commit waits for the winning one, which this thread must process.
    for (Runnable r : after) {
      try {
        timer.execute(r);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
    flushOutboxQuietly();
  }

  /**
   * The relay numbers each group's handshakes; a gap means a commit or proposal never reached this
   * device (a relay fault). The group cannot move past it, so say so instead of waiting silently.
   */
  private void checkGroupOrder(Frame.Deliver d, Effects fx) {
    ConversationState c = d.group() == null ? null : convs.get(d.group());
    if (c == null || d.groupSeq() <= 0) {
      return;
    }
    long last = c.lastGroupSeq;
    if (last > 0 && d.groupSeq() > last + 1) {
      GroupId id = c.id;
      ChatException gap =
          new ChatException(
              Code.WRONG_EPOCH,
              "A change to this conversation was lost on the way (group order "
                  + (last + 1)
                  + (d.groupSeq() - 1 > last + 1 ? " to " + (d.groupSeq() - 1) : "")
                  + " missing); later messages cannot be read until the conversation is restarted.");
      LOG.warn("group {} handshake order gap: {} missing", id, d.groupSeq() - last - 1);
      fx.events.add(() -> listener.messageRejected(id, gap));
    }
    c.lastGroupSeq = Math.max(last, d.groupSeq());
  }

  private void ackQuietly(long id) {
    ChatTransport.Connection c = conn;
    if (c != null) {
      try {
        c.ack(List.of(id));
      } catch (ChatException e) {
        // Redelivered later and de-duplicated then.
      }
    }
  }

  /** Handles one incoming item; refusals become listener events, never exceptions. */
  private void process(Buffered item, GroupId hint, Effects fx) throws ChatException {
    GroupId gid = hint;
    try {
      MlsFraming.Info info = MlsFraming.check(item.payload());
      if (info.wireFormat() == MlsFraming.WIRE_WELCOME) {
        if (item.kind() != 0) {
          throw new ChatException(Code.MALFORMED);
        }
        join(GroupSession.parse(item.payload()), fx);
        return;
      }
      if (info.wireFormat() != MlsFraming.WIRE_PRIVATE_MESSAGE) {
        throw new ChatException(Code.MALFORMED);
      }
      gid = GroupId.of(info.groupId());
      if (hint != null && !hint.equals(gid)) {
        throw new ChatException(
            Code.MALFORMED, "The relay's group label does not match the message.");
      }
      boolean handshake = info.contentType() != 1;
      if (handshake != (item.kind() != 0)) {
        throw new ChatException(Code.MALFORMED, "A group change must travel in the group's order.");
      }
      ConversationState c = convs.get(gid);
      if (c == null) {
        // Perhaps the Welcome is still on its way (another member's message overtook it).
        if (orphans.size() >= MAX_ORPHANS) {
          orphans.remove(0);
        }
        orphans.add(new Buffered(item.kind(), info.epoch(), item.payload()));
        fx.puts.put(K_ORPHANS, encodeBuffered(orphans));
        return;
      }
      MLSMessage msg = GroupSession.parse(item.payload());
      if (c.session.isFuture(msg)) {
        if (c.future.size() >= ConversationState.MAX_FUTURE) {
          c.future.remove(0);
        }
        c.future.add(new Buffered(item.kind(), info.epoch(), item.payload()));
        save(c, fx);
        if (item.kind() == 1) {
          // The relay delivers a group's commits in order, so a commit for a later epoch means the
          // one for this epoch was lost: say so (it stays buffered in case it still comes).
          GroupId id = c.id;
          long have = c.session.epoch();
          fx.events.add(
              () ->
                  listener.messageRejected(
                      id,
                      new ChatException(
                          Code.WRONG_EPOCH,
                          "A change to this conversation was lost on the way (epoch "
                              + have
                              + " never completed); later messages cannot be read until the"
                              + " conversation is restarted.")));
        }
        return;
      }
      if (handshake) {
        handshake(c, msg, fx);
      } else {
        application(c, msg, fx);
      }
    } catch (ChatException | RuntimeException failure) {
      ChatException e =
          failure instanceof ChatException ce
              ? ce
              : new ChatException(Code.MALFORMED, Code.MALFORMED.userMessage(), failure);
      if (e.code() == Code.STORE_FAILED) {
        throw e;
      }
      GroupId g = gid;
      ConversationState c = g == null ? null : convs.get(g);
      if (c != null) {
        save(c, fx); // a refused message may still have consumed a key generation
      }
      fx.events.add(() -> listener.messageRejected(g, e));
    }
  }

  private void application(ConversationState c, MLSMessage msg, Effects fx) throws ChatException {
    GroupSession.Opened o = c.session.unprotect(msg, now());
    save(c, fx);
    ChatPayload p = ChatPayload.decode(o.plaintext());
    GroupId id = c.id;
    if (p instanceof ChatPayload.Text t) {
      boolean fresh = c.firstSight(t.messageId());
      save(c, fx);
      if (!fresh) {
        return; // sent again by a sender that crashed before saving its queue: shown once
      }
      ChatMessage m =
          new ChatMessage(id, t.messageId(), o.sender(), t.sentAtMillis(), t.text(), false);
      fx.puts.put(
          historyKey(id),
          encodeHistory(id, t.messageId(), o.sender(), t.sentAtMillis(), t.text(), false));
      fx.events.add(() -> listener.messageReceived(m));
      if (!c.leaving) {
        c.outbox.add(
            new Outgoing(
                1,
                ChatPayload.encode(new ChatPayload.Receipt(List.of(t.messageId()))),
                List.of(o.sender()),
                null));
        save(c, fx);
      }
    } else if (p instanceof ChatPayload.Receipt r) {
      for (String mid : r.messageIds()) {
        DeliveryReceipt dr = new DeliveryReceipt(id, mid, o.sender());
        fx.events.add(() -> listener.receiptReceived(dr));
      }
    }
  }

  private void handshake(ConversationState c, MLSMessage msg, Effects fx) throws ChatException {
    List<DeviceId> before = c.session.members();
    HandshakeResult r = c.session.handleHandshake(msg, now(), lateWindowMillis);
    if (r.outcome() == HandshakeOutcome.REMOVED) {
      end(c, fx);
      return;
    }
    save(c, fx);
    if (r.outcome() == HandshakeOutcome.PROPOSAL_CACHED) {
      // A member asked to leave. The remaining member with the lowest leaf commits it, so the
      // leave completes without waiting for someone's next change.
      List<DeviceId> members = c.session.members();
      int leaver = r.proposedRemoval();
      DeviceId committer = null;
      for (int i = 0; i < members.size(); i++) {
        if (c.session.leafOf(members.get(i)) != leaver) {
          committer = members.get(i);
          break;
        }
      }
      if (deviceId().equals(committer)) {
        GroupId id = c.id;
        fx.after.add(
            () -> {
              try {
                selfUpdate(id);
              } catch (ChatException e) {
                LOG.info("could not commit a leave request: {}", e.code());
              }
            });
      }
      return;
    }
    changed.signalAll();
    if (c.leaving) {
      // A commit that did not carry our Remove proposal voids it: ask again in the new epoch.
      GroupId id = c.id;
      fx.after.add(
          () -> {
            try {
              leave(id);
            } catch (ChatException e) {
              LOG.info("could not repeat a leave request: {}", e.code());
            }
          });
    }
    List<DeviceId> after = c.session.members();
    if (!after.equals(before)) {
      GroupId id = c.id;
      fx.events.add(() -> listener.membersChanged(id, after));
    }
    drainFuture(c, fx);
  }

  /** Processes buffered messages that the new epoch explains, in arrival order. */
  private void drainFuture(ConversationState c, Effects fx) throws ChatException {
    boolean progress = true;
    while (progress && convs.get(c.id) == c) {
      progress = false;
      for (int i = 0; i < c.future.size(); i++) {
        Buffered b = c.future.get(i);
        if (b.epoch() <= c.session.epoch()) {
          c.future.remove(i);
          process(b, c.id, fx);
          progress = true;
          break;
        }
      }
    }
    if (convs.get(c.id) == c) {
      save(c, fx);
    }
  }

  private void join(MLSMessage welcome, Effects fx) throws ChatException {
    List<KeyPackageSecrets> candidates = keyPackageSecrets();
    Optional<GroupSession.Joined> j = GroupSession.join(welcome, key.seedForVault(), candidates);
    if (j.isEmpty()) {
      throw new ChatException(
          Code.NOT_A_MEMBER, "An invitation arrived for a key this device no longer has.");
    }
    GroupSession s = j.get().session();
    GroupId id = GroupId.of(s.groupId());
    if (convs.containsKey(id)) {
      throw new ChatException(Code.REPLAYED);
    }
    KeyPackageSecrets used = j.get().used();
    if (!used.lastResort()) {
      fx.deletes.add("kp/" + used.id());
    }
    ConversationState c = track(id, s);
    c.lastSelfUpdateMillis = now();
    convs.put(id, c);
    List<DeviceId> members = s.members();
    fx.events.add(() -> listener.conversationJoined(id, members));
    if (!used.lastResort() && candidates.size() <= 3) {
      fx.after.add(
          () -> {
            try {
              publishKeyPackages(KEY_PACKAGE_BATCH);
            } catch (ChatException e) {
              LOG.info("could not replenish invitation keys: {}", e.code());
            }
          });
    }
    // Messages that overtook the Welcome.
    List<Buffered> mine = new ArrayList<>();
    for (var it = orphans.iterator(); it.hasNext(); ) {
      Buffered b = it.next();
      try {
        if (id.equals(GroupId.of(MlsFraming.check(b.payload()).groupId()))) {
          mine.add(b);
          it.remove();
        }
      } catch (ChatException e) {
        it.remove();
      }
    }
    fx.puts.put(K_ORPHANS, encodeBuffered(orphans));
    c.future.addAll(mine);
    drainFuture(c, fx);
  }

  // ---------------------------------------------------------------- persistence

  /**
   * Drops in-memory conversation state and reads it again from the store (after a failed write).
   */
  private void reloadQuietly() {
    convs.clear();
    orphans.clear();
    try {
      load();
    } catch (ChatException e) {
      LOG.warn("could not reload chat state: {}", e.code());
    }
    changed.signalAll();
  }

  private void load() throws ChatException {
    lastDelivery = store.get(K_INBOX).map(ChatClient::u64).orElse(0L);
    store.get(K_ORPHANS).ifPresent(b -> orphans.addAll(decodeBufferedQuiet(b)));
    for (String k : store.keys("conv/")) {
      if (!k.endsWith("/state")) {
        continue;
      }
      String hex = k.substring("conv/".length(), k.length() - "/state".length());
      GroupId id = GroupId.ofHex(hex);
      ConversationState c = track(id, GroupSession.restore(store.get(k).orElseThrow()));
      Optional<byte[]> meta = store.get("conv/" + hex + "/meta");
      if (meta.isPresent()) {
        c.decodeMeta(meta.get());
      }
      convs.put(id, c);
    }
  }

  private ConversationState track(GroupId id, GroupSession s) {
    s.maxPastEpochs(pastEpochs);
    return new ConversationState(id, s);
  }

  private static long u64(byte[] b) {
    return b.length == 8 ? java.nio.ByteBuffer.wrap(b).getLong() : 0L;
  }

  private static byte[] encodeBuffered(List<Buffered> list) {
    Bin.Writer w = new Bin.Writer().u32(list.size());
    for (Buffered b : list) {
      w.u8(b.kind()).u64(b.epoch()).bytes(b.payload());
    }
    return w.toByteArray();
  }

  private static List<Buffered> decodeBufferedQuiet(byte[] b) {
    List<Buffered> out = new ArrayList<>();
    try {
      Bin.Reader r = new Bin.Reader(b, Code.STATE_CORRUPT);
      int n = r.count(MAX_ORPHANS);
      for (int i = 0; i < n; i++) {
        out.add(new Buffered(r.u8(), r.u64(), r.bytes(1 << 20)));
      }
    } catch (ChatException e) {
      out.clear();
    }
    return out;
  }

  private String historyKey(GroupId id) {
    // Sortable: time then a counter, so history lists in order.
    return String.format("hist/%s/%016x%08x", id.hex(), now(), historySeq++ & 0xffffffffL);
  }

  private static byte[] encodeHistory(
      GroupId id, String mid, DeviceId sender, long at, String text, boolean outgoing) {
    return new Bin.Writer()
        .u8(1)
        .bytes(mid.getBytes(StandardCharsets.US_ASCII))
        .bytes(sender.publicKey())
        .u64(at)
        .bytes(text.getBytes(StandardCharsets.UTF_8))
        .u8(outgoing ? 1 : 0)
        .toByteArray();
  }

  List<ChatMessage> history(GroupId id) throws ChatException {
    List<ChatMessage> out = new ArrayList<>();
    for (String k : store.keys("hist/" + id.hex() + "/")) {
      Bin.Reader r = new Bin.Reader(store.get(k).orElseThrow(), Code.STATE_CORRUPT);
      r.u8();
      String mid = new String(r.bytes(ChatPayload.MAX_ID), StandardCharsets.US_ASCII);
      byte[] sender = r.bytes(DeviceId.LENGTH);
      long at = r.u64();
      String text = new String(r.bytes(ChatPayload.MAX_TEXT_BYTES), StandardCharsets.UTF_8);
      boolean outgoing = r.u8() == 1;
      out.add(new ChatMessage(id, mid, DeviceId.of(sender), at, text, outgoing));
    }
    return out;
  }

  private long now() {
    return clock.millis();
  }

  private static String newMessageId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
