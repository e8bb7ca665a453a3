package org.sceau.bitmessage.node.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.sceau.bitmessage.BitmessageException;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.NetworkAddress;
import org.sceau.bitmessage.ObjectCodec;
import org.sceau.bitmessage.Packet;
import org.sceau.bitmessage.TooLargeException;
import org.sceau.bitmessage.WireMessage;
import org.sceau.bitmessage.node.NodeConfig;
import org.sceau.bitmessage.node.NodeStatus;
import org.sceau.bitmessage.node.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's machinery behind {@link org.sceau.bitmessage.node.BitmessageNode}: handshake, gossip,
 * inventory exchange, validation, Dandelion++, connection management. Peer threads call {@link
 * #handle}; one maintenance thread flushes announcements, schedules downloads, dials peers and
 * cleans the stores.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  static final int PROTOCOL_VERSION = 3;
  static final int HANDSHAKE_TIMEOUT_MS = 20_000;
  static final int IDLE_TIMEOUT_MS = 600_000;
  static final long PING_AFTER_NANOS = TimeUnit.SECONDS.toNanos(300);
  static final long MAX_CLOCK_OFFSET = 3600;
  static final long ADDR_MAX_AGE = 3 * 3600;
  static final long REQUEST_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /**
   * A peer that has delivered nothing for this long while asked for objects no longer holds them to
   * itself: other peers that announced them are asked too. (A peer may announce and then not serve:
   * gone from its store, or in its stem phase; Bitmessage has no "notfound" to say so.)
   */
  static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);

  static final int CONNECT_THREADS_MAX = 16;

  /** PyBitmessage's user-agent check; others are shown as /INVALID:0/. */
  private static final Pattern USER_AGENT =
      Pattern.compile("^/[a-zA-Z]+:[0-9]+\\.?[\\w\\s\\(\\)\\./:;-]*/$");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final NodeConfig config;
  private final InventoryStore store;
  private final KnownNodes known;
  private final long nonce;
  private final long services;
  private final Random rnd = new SecureRandom();
  private final ServerSocket server;
  private final FileChannel lockFile;
  private final ScheduledExecutorService maintenance;

  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Set<PeerAddress> dialing = ConcurrentHashMap.newKeySet();
  private final Map<PeerAddress, Long> retryAtNanos = new ConcurrentHashMap<>();
  private final Map<PeerAddress, Integer> failures = new ConcurrentHashMap<>();
  private final Set<PeerAddress> manual = ConcurrentHashMap.newKeySet();
  private final Set<PeerAddress> selfAddresses = ConcurrentHashMap.newKeySet();
  private final Bans bans = new Bans();

  /** Which peer an object is being fetched from, and until when no other peer is asked. */
  private final Map<HashKey, InFlight> inFlight = new ConcurrentHashMap<>();

  private record InFlight(Connection from, long untilNanos) {}

  private final List<Consumer<BitmessageObject>> listeners = new CopyOnWriteArrayList<>();

  private final Dandelion dandelion;

  private final AtomicLong received = new AtomicLong();
  private final AtomicLong relayed = new AtomicLong();
  private volatile boolean closing;

  private Engine(
      NodeConfig config,
      InventoryStore store,
      KnownNodes known,
      ServerSocket server,
      FileChannel lockFile) {
    this.config = config;
    this.lockFile = lockFile;
    this.store = store;
    this.known = known;
    this.server = server;
    this.nonce = rnd.nextLong();
    // As PyBitmessage: without outgoing connections there can be no stem.
    this.dandelion =
        new Dandelion(config.targetOutbound() > 0 ? config.dandelionPercent() : 0, rnd);
    long s = NetworkAddress.NODE_NETWORK;
    if (dandelion.enabled()) {
      s |= NetworkAddress.NODE_DANDELION;
    }
    this.services = s;
    ScheduledThreadPoolExecutor ex =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "bm-node-maintenance");
              t.setDaemon(true);
              return t;
            });
    ex.setRemoveOnCancelPolicy(true);
    this.maintenance = ex;
  }

  public static Engine start(NodeConfig config) throws IOException {
    Files.createDirectories(config.dataDir());
    FileChannel lockFile =
        FileChannel.open(
            config.dataDir().resolve("node.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    InventoryStore store = null;
    ServerSocket server = null;
    try {
      FileLock lock;
      try {
        lock = lockFile.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        // Two nodes appending to one inventory log would corrupt it.
        throw new IOException(
            "another Bitmessage node is using the data directory " + config.dataDir());
      }
      store = InventoryStore.open(config.dataDir(), config.maxInventory());
      KnownNodes known = KnownNodes.open(config.dataDir(), KnownNodes.MAX);
      if (config.listens()) {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(config.listenPort()), 50);
      }
      Engine engine = new Engine(config, store, known, server, lockFile);
      engine.run();
      return engine;
    } catch (IOException | RuntimeException e) {
      if (store != null) {
        store.close();
      }
      if (server != null) {
        server.close();
      }
      lockFile.close();
      throw e;
    }
  }

  private long now() {
    return config.clock().millis() / 1000;
  }

  private void run() {
    if (server != null) {
      Thread t = new Thread(this::acceptLoop, "bm-node-accept");
      t.setDaemon(true);
      t.start();
    }
    maintenance.scheduleWithFixedDelay(this::fastTick, 50, 100, TimeUnit.MILLISECONDS);
    maintenance.scheduleWithFixedDelay(this::slowTick, 0, 1, TimeUnit.SECONDS);
    maintenance.scheduleWithFixedDelay(this::housekeeping, 60, 60, TimeUnit.SECONDS);
  }

  // ---- public face

  boolean isClosing() {
    return closing;
  }

  public int listeningPort() {
    return server == null ? -1 : server.getLocalPort();
  }

  public NodeStatus status() {
    List<NodeStatus.Peer> out = new ArrayList<>();
    List<NodeStatus.Peer> in = new ArrayList<>();
    int pending = 0;
    for (Connection c : connections) {
      if (!c.established || c.closed) {
        continue;
      }
      (c.outbound ? out : in).add(c.status());
      synchronized (c.dl) {
        pending += c.wanted.size() + c.deferred.size() + c.requested.size();
      }
    }
    return new NodeStatus(
        server == null ? OptionalInt.empty() : OptionalInt.of(server.getLocalPort()),
        out,
        in,
        known.size(),
        store.size(),
        received.get(),
        relayed.get(),
        pending,
        pending > 0);
  }

  public void connect(PeerAddress peer) {
    manual.add(peer);
    retryAtNanos.remove(peer);
    failures.remove(peer);
    if (!closing) {
      maintenance.execute(this::dialMore);
    }
  }

  public void publish(BitmessageObject object) {
    if (closing) {
      throw new IllegalStateException("the Bitmessage node is closed");
    }
    byte[] raw = object.encode();
    Validator.Rejection r = Validator.check(object, raw, config.minimumDifficulty(), now());
    if (r != null) {
      throw new IllegalArgumentException("peers would refuse this object: " + r.message());
    }
    HashKey k = HashKey.of(Digests.inventoryHash(raw));
    if (!store.put(k, raw, object.expiresTime())) {
      return;
    }
    // Stem phase first: listeners may take a while, and a peer that connects meanwhile must not
    // be offered the object (it would then be refused it).
    routeStem(k, Dandelion.SELF);
    notifyListeners(object);
  }

  public AutoCloseable subscribe(Consumer<BitmessageObject> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public void forEachObject(Consumer<BitmessageObject> visitor) {
    store.forEach(
        now(),
        (k, raw) -> {
          try {
            visitor.accept(ObjectCodec.decode(raw));
          } catch (BitmessageException e) {
            // Stored objects were validated on the way in; a damaged one is skipped.
          }
        });
  }

  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    maintenance.shutdownNow();
    try {
      maintenance.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
    for (Connection c : connections) {
      c.close("node shutting down");
    }
    try {
      known.save();
    } catch (IOException e) {
      LOG.warn("could not save the known-nodes file: {}", e.getMessage());
    }
    store.close();
    try {
      lockFile.close();
    } catch (IOException e) {
      // Closing the channel releases the lock; nothing else to do.
    }
  }

  // ---- connections

  private void acceptLoop() {
    while (!closing) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (!closing) {
          LOG.warn("accepting peers failed: {}", e.getMessage());
        }
        return;
      }
      if (closing || bans.banned(s.getInetAddress()) || countInbound() >= config.maxInbound() + 8) {
        closeQuietly(s);
        continue;
      }
      try {
        s.setTcpNoDelay(true);
      } catch (IOException e) {
        closeQuietly(s);
        continue;
      }
      Connection c = new Connection(this, s, false, null);
      connections.add(c);
      c.start();
    }
  }

  private int countInbound() {
    int n = 0;
    for (Connection c : connections) {
      if (!c.outbound && !c.closed) {
        n++;
      }
    }
    return n;
  }

  private int countOutbound() {
    int n = dialing.size();
    for (Connection c : connections) {
      if (c.outbound && !c.closed) {
        n++;
      }
    }
    return n;
  }

  /** Opens outbound connections until the target is met: manual, bootstrap, then known nodes. */
  private void dialMore() {
    if (closing) {
      return;
    }
    int missing = config.targetOutbound() - countOutbound();
    Set<PeerAddress> busy = new java.util.HashSet<>(dialing);
    for (Connection c : connections) {
      if (!c.closed && c.peer != null) {
        busy.add(c.peer);
      }
    }
    long nowNanos = System.nanoTime();
    if (missing <= 0 && !manualPending(busy, nowNanos)) {
      return;
    }
    Set<PeerAddress> candidates = new LinkedHashSet<>(manual);
    for (String b : config.bootstrapPeers()) {
      candidates.add(PeerAddress.parse(b));
    }
    candidates.addAll(known.shuffled(rnd));
    for (PeerAddress p : candidates) {
      boolean isManual = manual.contains(p);
      if ((missing <= 0 && !isManual) || dialing.size() >= CONNECT_THREADS_MAX) {
        if (missing <= 0 && !manualPending(busy, nowNanos)) {
          break;
        }
        continue;
      }
      if (busy.contains(p) || selfAddresses.contains(p) || bans.banned(p.host())) {
        continue;
      }
      Long retry = retryAtNanos.get(p);
      if (retry != null && retry - nowNanos > 0) {
        continue;
      }
      if (config.outbound().proxied() == false && isListeningAddress(p)) {
        continue;
      }
      dialing.add(p);
      busy.add(p);
      if (!isManual) {
        missing--;
      }
      Thread t = new Thread(() -> dial(p), "bm-node-dial");
      t.setDaemon(true);
      t.start();
    }
  }

  private boolean manualPending(Set<PeerAddress> busy, long nowNanos) {
    for (PeerAddress p : manual) {
      Long retry = retryAtNanos.get(p);
      if (!busy.contains(p) && (retry == null || retry - nowNanos <= 0)) {
        return true;
      }
    }
    return false;
  }

  /** Our own listening socket given as a peer (a misconfiguration): not dialled. */
  private boolean isListeningAddress(PeerAddress p) {
    return server != null
        && p.port() == server.getLocalPort()
        && (p.host().equals("127.0.0.1") || p.host().equals("::1") || p.host().equals("localhost"));
  }

  private void dial(PeerAddress p) {
    Socket s = null;
    try {
      // The name goes to Outbound as given: resolved by the proxy when there is one.
      s = config.outbound().connect(p.host(), p.port());
      s.setTcpNoDelay(true);
      if (closing) {
        closeQuietly(s);
        return;
      }
      Connection c = new Connection(this, s, true, p);
      connections.add(c);
      dialing.remove(p);
      if (closing) {
        // close() may have walked the connections already.
        c.close("node shutting down");
        return;
      }
      c.send(Frames.frame(version(p)));
      c.start();
    } catch (IOException | RuntimeException e) {
      closeQuietly(s);
      dialing.remove(p);
      failed(p);
      LOG.debug("cannot reach peer {}: {}", p, e.getMessage());
    }
  }

  /** Known nodes dropped after this many failures in a row (configured peers are kept). */
  static final int MAX_FAILURES = 3;

  /**
   * Backs off from {@code p} (1 s, 2 s, 4 s… up to 5 min), and forgets a gossiped address that
   * keeps failing, so that a store full of dead nodes does not keep the node from reaching its
   * target.
   */
  private void failed(PeerAddress p) {
    int f = failures.merge(p, 1, Integer::sum);
    boolean configured =
        manual.contains(p)
            || config.bootstrapPeers().stream().anyMatch(b -> PeerAddress.parse(b).equals(p));
    if (f >= MAX_FAILURES && !configured) {
      known.remove(p);
      failures.remove(p);
      retryAtNanos.remove(p);
      return;
    }
    long delay = Math.min(300, 1L << Math.min(f - 1, 9));
    retryAtNanos.put(p, System.nanoTime() + TimeUnit.SECONDS.toNanos(delay));
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // Nothing more to release.
      }
    }
  }

  void onClosed(Connection c) {
    connections.remove(c);
    synchronized (c.dl) {
      release(c, c.requested);
      c.requested.clear();
      c.wanted.clear();
      c.deferred.clear();
    }
    for (HashKey k : dandelion.forget(c)) {
      // The stem child left: fluff now rather than wait for the timeout.
      fluff(k);
    }
    if (c.outbound && c.peer != null && !c.established) {
      failed(c.peer);
    } else if (c.outbound && c.peer != null) {
      retryAtNanos.put(c.peer, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }
    if (!closing) {
      try {
        maintenance.execute(this::dialMore);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Shutting down.
      }
    }
  }

  // ---- bans

  void ban(Connection c, String why) {
    LOG.info("banning peer {} for an hour: {}", c.id, why);
    bans.ban(c);
    c.close("banned: " + why);
  }

  /** Unrecoverable framing error: disconnect, and count it as heavy misbehaviour. */
  void onProtocolViolation(Connection c, String why) {
    onProtocolViolation(c, why, Connection.BAN_SCORE / 2);
  }

  void onProtocolViolation(Connection c, String why, int points) {
    misbehave(c, points, why);
    c.close(why);
  }

  void misbehave(Connection c, int points, String why) {
    if (bans.add(c, points)) {
      LOG.info("peer {} disconnected for misbehaviour: {}", c.id, why);
      c.close("misbehaviour: " + why);
    }
  }

  // ---- messages

  void handle(Connection c, String command, byte[] payload) {
    if (command.equals("object")) {
      if (!c.established) {
        c.close("object before the handshake");
        return;
      }
      BitmessageObject o;
      try {
        o = ObjectCodec.decode(payload);
      } catch (BitmessageException e) {
        c.misbehave(10, "undecodable object");
        return;
      }
      onObject(c, o, payload);
      return;
    }
    WireMessage m;
    try {
      m = WireMessage.decode(new Packet(command, payload));
    } catch (TooLargeException e) {
      // e.g. an inv over 50 000 entries: PyBitmessage skips it.
      c.misbehave(20, "count over the protocol limit in " + command);
      return;
    } catch (BitmessageException | IllegalArgumentException e) {
      c.misbehave(20, "malformed " + command);
      return;
    }
    if (m instanceof WireMessage.Version v) {
      onVersion(c, v);
    } else if (m instanceof WireMessage.Verack) {
      c.verackReceived = true;
      maybeEstablished(c);
    } else if (m instanceof WireMessage.ErrorMessage e) {
      if (e.fatal() >= 2) {
        c.close("peer sent a fatal error");
      }
    } else if (!c.established) {
      // PyBitmessage: anything but version/verack/error before the handshake closes the link.
      c.close(command + " before the handshake");
      return;
    } else if (m instanceof WireMessage.Ping) {
      c.send(Frames.frame(new WireMessage.Pong()));
    } else if (m instanceof WireMessage.Inv inv) {
      onInv(c, inv.hashes(), false);
    } else if (m instanceof WireMessage.Dinv dinv) {
      if (dandelion.enabled()) {
        onInv(c, dinv.hashes(), true);
      }
    } else if (m instanceof WireMessage.GetData g) {
      onGetData(c, g.hashes());
    } else if (m instanceof WireMessage.Addr a) {
      onAddr(a.addresses());
    }
  }

  private WireMessage.Version version(PeerAddress to) {
    byte[] ip = new byte[16];
    byte[] literal = literalBytes(to == null ? null : to.host());
    if (literal != null) {
      ip = literal;
    }
    int port = to == null ? 0 : to.port();
    NetworkAddress recv = new NetworkAddress(0, 0, NetworkAddress.NODE_NETWORK, ip, port);
    byte[] self = new byte[16];
    self[10] = (byte) 0xff;
    self[11] = (byte) 0xff;
    self[12] = 127;
    self[15] = 1;
    int myPort = server != null ? server.getLocalPort() : NodeConfig.DEFAULT_PORT;
    NetworkAddress from = new NetworkAddress(0, 0, services, self, myPort);
    return new WireMessage.Version(
        PROTOCOL_VERSION,
        services,
        now(),
        recv,
        from,
        nonce,
        config.userAgent(),
        List.of(Validator.STREAM));
  }

  /** 16-byte form of an IP literal, or null for a host name (never resolved here). */
  static byte[] literalBytes(String host) {
    if (host == null) {
      return null;
    }
    try {
      if (IPV4.matcher(host).matches()) {
        return NetworkAddress.ipBytes(InetAddress.getByName(host));
      }
      if (host.indexOf(':') >= 0 && host.matches("[0-9a-fA-F:.]+")) {
        return NetworkAddress.ipBytes(InetAddress.getByName(host));
      }
    } catch (UnknownHostException e) {
      return null;
    }
    return null;
  }

  private void fatal(Connection c, String text) {
    c.send(Frames.frame(new WireMessage.ErrorMessage(2, 0, new byte[0], text)));
    c.closeAfterFlush(text);
  }

  private void onVersion(Connection c, WireMessage.Version v) {
    if (c.versionReceived) {
      c.misbehave(10, "second version");
      return;
    }
    c.versionReceived = true;
    long offset = v.timestamp() - now();
    if (v.protocolVersion() < PROTOCOL_VERSION) {
      fatal(c, "Your is using an old protocol. Closing connection.");
      return;
    }
    if (offset > MAX_CLOCK_OFFSET) {
      fatal(c, "Your time is too far in the future compared to mine. Closing connection.");
      return;
    }
    if (offset < -MAX_CLOCK_OFFSET) {
      fatal(c, "Your time is too far in the past compared to mine. Closing connection.");
      return;
    }
    if (!v.streams().contains(Validator.STREAM)) {
      fatal(c, "We don't have shared stream interests. Closing connection.");
      return;
    }
    if (v.nonce() == nonce) {
      if (c.outbound && c.peer != null) {
        selfAddresses.add(c.peer);
        known.remove(c.peer);
      }
      fatal(c, "I'm connected to myself. Closing connection.");
      return;
    }
    if (!c.outbound && countInbound() > config.maxInbound()) {
      fatal(c, "Server full, please try again later.");
      return;
    }
    c.remoteNonce = v.nonce();
    for (Connection o : connections) {
      if (o != c && !o.closed && o.versionReceived && o.remoteNonce == v.nonce()) {
        // Two connections between the same nodes (each dialled the other): both ends keep the
        // one dialled by the node with the larger nonce, so they agree without talking. Nonces
        // are public (every peer of that node sees it): from another address the newcomer is
        // the one dropped, so nobody can push out an existing connection by copying a nonce.
        boolean sameHost = o.remoteIp != null && o.remoteIp.equals(c.remoteIp);
        Connection drop =
            !sameHost || Long.compareUnsigned(dialerNonce(o), dialerNonce(c)) >= 0 ? c : o;
        drop.close("already connected to this node");
        if (drop == c) {
          return;
        }
      }
    }
    c.services = v.services();
    c.userAgent = sanitize(v.userAgent());
    if (!c.outbound && v.sender().port() > 0 && c.remoteIp != null) {
      c.peer = new PeerAddress(c.remoteIp.getHostAddress(), v.sender().port());
    }
    c.send(Frames.frame(new WireMessage.Verack()));
    if (!c.outbound) {
      c.send(Frames.frame(version(c.peer)));
    }
    maybeEstablished(c);
  }

  private long dialerNonce(Connection c) {
    return c.outbound ? nonce : c.remoteNonce;
  }

  static String sanitize(String ua) {
    if (!USER_AGENT.matcher(ua).matches()) {
      return "/INVALID:0/";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ua.length() && sb.length() < 100; i++) {
      char ch = ua.charAt(i);
      if (ch >= 0x20 && ch != 0x7f && !Character.isISOControl(ch)) {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  private void maybeEstablished(Connection c) {
    if (c.established || !c.versionReceived || !c.verackReceived || c.closed) {
      return;
    }
    c.established = true;
    try {
      c.socket.setSoTimeout(IDLE_TIMEOUT_MS);
    } catch (IOException e) {
      c.close("socket failed");
      return;
    }
    if (c.outbound) {
      failures.remove(c.peer);
      known.add(c.peer, now());
    } else if (c.peer != null && recordable(c.remoteIp)) {
      known.add(c.peer, now());
    }
    sendAddr(c);
    // The big inv: everything unexpired except objects in stem phase.
    List<HashKey> all = store.unexpired(now(), dandelion::inStem);
    synchronized (c.pendingInv) {
      c.pendingInv.addAll(all);
    }
    if (c.outbound && (c.services & NetworkAddress.NODE_DANDELION) != 0) {
      dandelion.offerStemPeer(c);
    }
    LOG.debug("peer {} established ({})", c.id, c.outbound ? "outbound" : "inbound");
  }

  private boolean recordable(InetAddress a) {
    if (a == null) {
      return false;
    }
    if (a.isLoopbackAddress()
        || a.isSiteLocalAddress()
        || a.isLinkLocalAddress()
        || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return config.privatePeers();
    }
    return true;
  }

  private void sendAddr(Connection c) {
    List<NetworkAddress> out = new ArrayList<>();
    for (Map.Entry<PeerAddress, Long> e : known.recent(now() - ADDR_MAX_AGE, 1000)) {
      byte[] ip = literalBytes(e.getKey().host());
      if (ip == null || (c.peer != null && c.peer.equals(e.getKey()))) {
        continue;
      }
      out.add(
          new NetworkAddress(
              e.getValue(), Validator.STREAM, NetworkAddress.NODE_NETWORK, ip, e.getKey().port()));
    }
    if (!out.isEmpty()) {
      c.send(Frames.frame(new WireMessage.Addr(out)));
    }
  }

  private void onAddr(List<NetworkAddress> addrs) {
    long now = now();
    for (NetworkAddress a : addrs) {
      if (a.stream() != Validator.STREAM || a.port() == 0) {
        continue;
      }
      // As PyBitmessage: seen in the last three hours, and not in the future.
      if (a.time() <= now - ADDR_MAX_AGE || a.time() > now) {
        continue;
      }
      InetAddress ia = a.inetAddress();
      if (!recordable(ia) || ia.isAnyLocalAddress() || ia.isMulticastAddress()) {
        continue;
      }
      String host =
          ia instanceof Inet4Address ? ia.getHostAddress() : ia.getHostAddress().split("%")[0];
      known.add(new PeerAddress(host, a.port()), Math.min(a.time(), now));
    }
  }

  private void onInv(Connection c, List<byte[]> hashes, boolean stem) {
    synchronized (c.dl) {
      for (byte[] h : hashes) {
        HashKey k = HashKey.of(h);
        if (store.contains(k)) {
          // Announced back to us while stemming: a cycle, fluff.
          fluff(k);
          continue;
        }
        if (stem) {
          dandelion.noteIncoming(k, c);
        }
        if (c.wanted.size() < Connection.WANTED_LIMIT) {
          c.wanted.add(k);
        }
      }
    }
    pump(c);
  }

  private void onGetData(Connection c, List<byte[]> hashes) {
    List<HashKey> ok = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      HashKey k = HashKey.of(h);
      Connection child = dandelion.child(k);
      if (child != null && child != c) {
        // Asked for a stem object we did not offer it: refused (anti-intersection).
        continue;
      }
      ok.add(k);
    }
    c.upload(ok);
  }

  /** Called by the writer thread: the frame of an object to upload, or null if gone. */
  byte[] objectFrame(Connection c, HashKey k) {
    byte[] raw = store.get(k);
    if (raw == null) {
      return null;
    }
    relayed.incrementAndGet();
    return Frames.frame("object", raw);
  }

  private void onObject(Connection c, BitmessageObject o, byte[] raw) {
    HashKey k = HashKey.of(Digests.inventoryHash(raw));
    boolean refill;
    synchronized (c.dl) {
      boolean wasRequested = c.requested.remove(k);
      if (wasRequested) {
        c.lastDeliveryNanos = System.nanoTime();
      }
      // Ask for more in batches of half a window, not one getdata per object received.
      refill =
          wasRequested
              && c.requested.size() <= Connection.REQUEST_WINDOW / 2
              && !c.wanted.isEmpty();
    }
    inFlight.remove(k);
    if (refill) {
      pump(c);
    }
    if (store.contains(k)) {
      // Received again while stemming: a cycle, fluff (PyBitmessage's "cycle detection").
      fluff(k);
      return;
    }
    Validator.Rejection r = Validator.check(o, raw, config.minimumDifficulty(), now());
    if (r != null) {
      dandelion.takeIncoming(k);
      c.misbehave(r == Validator.Rejection.INSUFFICIENT_POW ? 10 : 2, r.message());
      return;
    }
    if (!store.put(k, raw, o.expiresTime())) {
      return;
    }
    received.incrementAndGet();
    Connection parent = dandelion.takeIncoming(k);
    if (parent == c) {
      routeStem(k, parent);
    } else {
      // Fluffed here (or before). The sender hears of it too when it may be a stem parent that
      // chose us as its child and announced with inv (PyBitmessage's 10 %): it keeps the object
      // in stem phase, offered to nobody else, until it sees an inv for it; on a network where
      // no other path leads back to it, that inv would come only from its own stem timer (10 s +
      // Exp(30 s)), and so would the object to everyone behind it.
      announce(k, mayBeStemParent(c) ? null : c);
    }
    notifyListeners(o);
  }

  /** Stem children are outbound peers that offer Dandelion: from the child, its parent is this. */
  private static boolean mayBeStemParent(Connection c) {
    return !c.outbound && (c.services & NetworkAddress.NODE_DANDELION) != 0;
  }

  private void notifyListeners(BitmessageObject o) {
    for (Consumer<BitmessageObject> l : listeners) {
      try {
        l.accept(o);
      } catch (RuntimeException e) {
        LOG.warn("an object listener failed", e);
      }
    }
  }

  /** inv to every established peer except {@code except}. */
  private void announce(HashKey k, Connection except) {
    for (Connection c : connections) {
      if (c != except && !c.closed) {
        synchronized (c.pendingInv) {
          c.pendingInv.add(k);
        }
      }
    }
  }

  /** Ends the stem phase of {@code k}: inv to every peer. */
  private void fluff(HashKey k) {
    if (dandelion.end(k)) {
      announce(k, null);
    }
  }

  /**
   * Dandelion stem phase, as PyBitmessage: the object goes only to the stem child chosen for its
   * parent, as {@code dinv} with probability {@code dandelionPercent} %, else as {@code inv}; it is
   * fluffed to everyone when its timer (10 s + Exp(30 s)) runs out. Unlike PyBitmessage, when there
   * is no stem child the object is fluffed at once, so it is never stuck.
   */
  private void routeStem(HashKey k, Object parent) {
    Dandelion.Route r = dandelion.start(k, parent, connections);
    if (r == null) {
      // Fluff to everyone, the parent included: it learns that the stem has ended.
      announce(k, null);
      return;
    }
    List<HashKey> target = r.dinv() ? r.child().pendingDinv : r.child().pendingInv;
    synchronized (target) {
      target.add(k);
    }
  }

  // ---- downloads

  /** Sends getdata for announced objects, keeping at most a window outstanding per peer. */
  private void pump(Connection c) {
    List<HashKey> batch = new ArrayList<>();
    long nowNanos = System.nanoTime();
    synchronized (c.dl) {
      while (c.requested.size() < Connection.REQUEST_WINDOW && !c.wanted.isEmpty()) {
        HashKey k = c.wanted.poll();
        if (store.contains(k) || c.requested.contains(k)) {
          continue;
        }
        InFlight f = inFlight.get(k);
        if (f != null && f.untilNanos() - nowNanos > 0) {
          c.deferred.add(k);
          continue;
        }
        inFlight.put(k, new InFlight(c, nowNanos + REQUEST_TIMEOUT_NANOS));
        c.requested.add(k);
        batch.add(k);
      }
      if (!batch.isEmpty() && c.requested.size() == batch.size()) {
        c.lastDeliveryNanos = nowNanos;
      }
    }
    if (!batch.isEmpty()) {
      List<byte[]> hs = new ArrayList<>(batch.size());
      for (HashKey k : batch) {
        hs.add(k.bytes());
      }
      c.send(Frames.frame(new WireMessage.GetData(hs)));
    }
  }

  /** Drops {@code c}'s claims on {@code keys}, leaving those another peer took over since. */
  private void release(Connection c, Iterable<HashKey> keys) {
    for (HashKey k : keys) {
      inFlight.computeIfPresent(k, (key, f) -> f.from() == c ? null : f);
    }
  }

  // ---- periodic work

  private void fastTick() {
    try {
      for (Connection c : connections) {
        if (c.established && !c.closed) {
          flushAnnouncements(c);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("node maintenance failed", e);
    }
  }

  private static final int FLUSH_QUEUE_LIMIT = 4 << 20;

  private void flushAnnouncements(Connection c) {
    for (String cmd : new String[] {"dinv", "inv"}) {
      List<HashKey> pending = cmd.equals("inv") ? c.pendingInv : c.pendingDinv;
      while (c.queuedBytes() < FLUSH_QUEUE_LIMIT) {
        List<HashKey> chunk;
        synchronized (pending) {
          if (pending.isEmpty()) {
            break;
          }
          int n = Math.min(pending.size(), WireMessage.MAX_INVENTORY);
          List<HashKey> head = pending.subList(0, n);
          chunk = new ArrayList<>(head);
          head.clear();
        }
        // An object that entered its stem phase after it was queued (e.g. in a new peer's big
        // inv) goes to its child only: another peer would ask for it and be refused. It is
        // queued for everyone again when it is fluffed.
        chunk.removeIf(
            k -> {
              Connection child = dandelion.child(k);
              return child != null && child != c;
            });
        if (chunk.isEmpty()) {
          continue;
        }
        c.send(Frames.inventory(cmd, chunk, 0, chunk.size()));
      }
    }
  }

  private void slowTick() {
    try {
      long nowNanos = System.nanoTime();
      for (HashKey k : dandelion.due(nowNanos)) {
        fluff(k);
      }
      for (Connection c : connections) {
        if (c.closed) {
          continue;
        }
        if (!c.established) {
          continue;
        }
        synchronized (c.dl) {
          long quiet = nowNanos - c.lastDeliveryNanos;
          if (!c.requested.isEmpty() && quiet > REQUEST_TIMEOUT_NANOS) {
            // The peer does not deliver what it announced: forget those requests.
            release(c, c.requested);
            c.requested.clear();
          } else if (!c.requested.isEmpty() && quiet > STALL_NANOS) {
            // Stalled: let the other peers that announced these objects be asked now rather than
            // at the timeout. What this one still sends is taken all the same.
            release(c, c.requested);
          }
          if (!c.deferred.isEmpty()) {
            c.wanted.addAll(c.deferred);
            c.deferred.clear();
          }
        }
        pump(c);
        if (nowNanos - c.lastSendNanos > PING_AFTER_NANOS) {
          c.send(Frames.frame(new WireMessage.Ping()));
        }
      }
      inFlight.values().removeIf(f -> f.untilNanos() - nowNanos < 0);
      dialMore();
    } catch (RuntimeException e) {
      LOG.warn("node maintenance failed", e);
    }
  }

  private void housekeeping() {
    try {
      store.cleanup(now());
      store.flush();
      known.save();
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("node housekeeping failed: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("node housekeeping failed", e);
    }
  }
}
