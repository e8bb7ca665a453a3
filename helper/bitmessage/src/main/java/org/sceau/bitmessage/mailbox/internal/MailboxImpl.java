package org.sceau.bitmessage.mailbox.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.sceau.bitmessage.BadMacException;
import org.sceau.bitmessage.BitmessageAddress;
import org.sceau.bitmessage.BitmessageException;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.GetPubkeyRequest;
import org.sceau.bitmessage.Identity;
import org.sceau.bitmessage.InvalidAddressException;
import org.sceau.bitmessage.MessageContent;
import org.sceau.bitmessage.ObjectBuilder;
import org.sceau.bitmessage.ObjectReader;
import org.sceau.bitmessage.PendingObject;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.PowJob;
import org.sceau.bitmessage.ProofOfWork;
import org.sceau.bitmessage.PublicIdentity;
import org.sceau.bitmessage.ReceivedBroadcast;
import org.sceau.bitmessage.ReceivedMessage;
import org.sceau.bitmessage.TooLargeException;
import org.sceau.bitmessage.mailbox.InboxMessage;
import org.sceau.bitmessage.mailbox.Mailbox;
import org.sceau.bitmessage.mailbox.MailboxConfig;
import org.sceau.bitmessage.mailbox.MailboxException;
import org.sceau.bitmessage.mailbox.MailboxException.Code;
import org.sceau.bitmessage.mailbox.MailboxListener;
import org.sceau.bitmessage.mailbox.MailboxStore;
import org.sceau.bitmessage.mailbox.OutboxMessage;
import org.sceau.bitmessage.mailbox.OutboxState;
import org.sceau.bitmessage.mailbox.OwnIdentity;
import org.sceau.bitmessage.mailbox.PowStatus;
import org.sceau.bitmessage.mailbox.internal.Records.Out;
import org.sceau.bitmessage.mailbox.internal.Records.Own;
import org.sceau.bitmessage.node.ObjectNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox. Every state change happens on one thread (the "worker"): the in-memory indexes
 * (identities, address book, subscriptions, outbox, acks awaited) and the store never disagree
 * because nothing else writes them. The proof of work runs one job at a time on the {@link
 * ProofOfWork}'s own low-priority threads; its result comes back to the worker.
 */
public final class MailboxImpl implements Mailbox {
  private static final Logger LOG = LoggerFactory.getLogger(MailboxImpl.class);
  private static final HexFormat HEX = HexFormat.of();

  static final long DAY = 86400;
  static final long PUBKEY_TTL = 28 * DAY;
  static final long GETPUBKEY_TTL = 5 * DAY / 2;
  static final long MAX_TTL = 28 * DAY;
  static final long MIN_TTL = 300;

  /** Tombstones of deleted received messages: the inventory would bring them back otherwise. */
  static final String DELETED = "del/";

  /** Subject + body beyond this cannot fit in a 256 KiB object anyway. */
  static final int MAX_TEXT_BYTES = 250_000;

  static final int MAX_LABEL = 200;

  private final MailboxConfig config;
  private final MailboxStore store;
  private final ObjectNetwork network;
  private final MailboxListener listener;
  private final ProofOfWork pow;
  private final SecureRandom random = new SecureRandom();
  private final ScheduledExecutorService worker;
  private volatile Thread workerThread;

  private final Map<BitmessageAddress, Own> own = new LinkedHashMap<>();
  private final Map<BitmessageAddress, PublicIdentity> book = new HashMap<>();
  private final Map<BitmessageAddress, String> subs = new LinkedHashMap<>();
  private final TreeMap<String, Out> out = new TreeMap<>();
  private final Map<String, String> ackIndex = new HashMap<>();

  private volatile Running current;
  private volatile PowStatus status;
  private volatile boolean closed;
  private AutoCloseable subscription;

  /** A proof-of-work job: what it is for and what to do with the finished object. */
  private record Job(
      String kind, String ref, PendingObject pending, PowDifficulty difficulty, Done done) {}

  @FunctionalInterface
  private interface Done {
    void finish(BitmessageObject object) throws MailboxException;
  }

  private static final class Running {
    final Job job;
    final PowJob search;
    final int queued;
    long lastReport;

    Running(Job job, PowJob search, int queued) {
      this.job = job;
      this.search = search;
      this.queued = queued;
    }
  }

  private MailboxImpl(
      MailboxConfig config, MailboxStore store, ObjectNetwork network, MailboxListener listener) {
    this.config = config;
    this.store = store;
    this.network = network;
    this.listener = listener == null ? new MailboxListener() {} : listener;
    this.pow = ProofOfWork.create(config.powThreads());
    this.status = idle(0);
    this.worker =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "bm-mailbox");
              t.setDaemon(true);
              workerThread = t;
              return t;
            });
    // Closing drops what is scheduled and lets the running task finish: the worker is never
    // interrupted, since an interrupt inside the node's or the vault's file I/O would close their
    // channels.
    ((ScheduledThreadPoolExecutor) worker).setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  public static Mailbox open(
      MailboxConfig config, MailboxStore store, ObjectNetwork network, MailboxListener listener)
      throws MailboxException {
    MailboxImpl m = new MailboxImpl(config, store, network, listener);
    try {
      m.load();
    } catch (MailboxException | RuntimeException e) {
      m.worker.shutdownNow();
      throw e;
    }
    try {
      m.start();
    } catch (MailboxException | RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  // ---------------------------------------------------------------- start-up

  private void load() throws MailboxException {
    try {
      for (String k : store.keys(Records.ID)) {
        Own o = Own.decode(get(k));
        own.put(o.identity.address(), o);
      }
      for (String k : store.keys(Records.BOOK)) {
        PublicIdentity p = Records.decodePubkey(get(k));
        book.put(p.address(), p);
      }
      for (String k : store.keys(Records.SUB)) {
        subs.put(BitmessageAddress.parse(k.substring(Records.SUB.length())), "");
      }
      for (String k : store.keys(Records.OUT)) {
        Out m = Out.decode(get(k));
        out.put(m.id, m);
        // An earlier attempt's ack may still come while a resend is being worked.
        if (m.state != OutboxState.ACKED && m.ackExpected) {
          m.acks.forEach(a -> ackIndex.put(a, m.id));
        }
      }
    } catch (IllegalArgumentException | InvalidAddressException e) {
      throw new MailboxException(
          Code.STORE_FAILED, "A stored Bitmessage record could not be read: restore a backup.", e);
    }
    // A tombstone outlives the object it hides (28 days + 3 hours at most): then it can go.
    Set<String> expired = new java.util.HashSet<>();
    for (String k : store.keys(DELETED)) {
      Optional<byte[]> v = store.get(k);
      long at = 0;
      try {
        at = v.isEmpty() ? 0 : Long.parseLong(new String(v.get(), StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        // unreadable: treat as old
      }
      if (now() - at > MAX_TTL + 3 * 3600 + 3600) {
        expired.add(k);
      }
    }
    if (!expired.isEmpty()) {
      store.write(Map.of(), expired);
    }
    long resumed =
        out.values().stream()
            .filter(
                m -> m.state == OutboxState.DOING_POW || m.state == OutboxState.WAITING_FOR_PUBKEY)
            .count();
    LOG.info("mailbox opened: {} identities, {} queued messages to resume", own.size(), resumed);
  }

  private byte[] get(String key) throws MailboxException {
    return store
        .get(key)
        .orElseThrow(() -> new MailboxException(Code.STORE_FAILED, "a stored record vanished"));
  }

  private void start() throws MailboxException {
    // Taken before the worker runs anything: the catch-up thread reads these copies only.
    List<Identity> ids = own.values().stream().map(o -> o.identity).toList();
    Set<BitmessageAddress> subscribed = Set.copyOf(subs.keySet());
    Set<String> acks = Set.copyOf(ackIndex.keySet());
    List<BitmessageAddress> awaited = awaitedAddresses();
    subscription =
        network.subscribe(
            o -> {
              try {
                worker.execute(() -> process(o));
              } catch (RejectedExecutionException e) {
                // Closed: what arrives now is read at the next open.
              }
            });
    worker.execute(this::advance);
    long tick = config.tick().toMillis();
    worker.scheduleWithFixedDelay(this::advance, tick, tick, TimeUnit.MILLISECONDS);
    // What arrived while the mailbox was closed (the vault locked) is in the node's inventory. Its
    // trial decryption (one ECDH per msg and identity: seconds for a real inventory) runs on its
    // own thread so that the user's calls are not held up; only what concerns us goes to the
    // worker.
    Thread t = new Thread(() -> catchUp(ids, subscribed, acks, awaited), "bm-mailbox-catch-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private void catchUp(
      List<Identity> ids,
      Set<BitmessageAddress> subscribed,
      Set<String> acks,
      List<BitmessageAddress> awaited) {
    List<byte[]> tags = new ArrayList<>();
    boolean oldSubscriptions = false;
    for (BitmessageAddress a : subscribed) {
      if (a.version() >= 4) {
        tags.add(a.tag());
      } else {
        oldSubscriptions = true;
      }
    }
    boolean v3Subscriptions = oldSubscriptions;
    long[] read = {0};
    network.forEachObject(
        o -> {
          if (closed) {
            return;
          }
          try {
            if (relevant(o, ids, tags, v3Subscriptions, acks, awaited)) {
              read[0]++;
              handOver(() -> process(o));
            }
          } catch (RuntimeException e) {
            LOG.debug("catch-up skipped an object: {}", e.toString());
          }
        });
    LOG.info("mailbox caught up with the inventory ({} objects for us)", read[0]);
  }

  /**
   * Whether an object from the inventory concerns this mailbox: a msg one of our identities can
   * decrypt, an ack we wait for, a getpubkey for one of our addresses, a pubkey we wait for, a
   * broadcast of a subscription. Pure computation on copies: any thread.
   */
  private static boolean relevant(
      BitmessageObject o,
      List<Identity> ids,
      List<byte[]> tags,
      boolean v3Subscriptions,
      Set<String> acks,
      List<BitmessageAddress> awaited) {
    long type = o.objectType();
    if (type == BitmessageObject.MSG) {
      if (o.payloadLength() == 32) {
        return acks.contains(HEX.formatHex(ObjectReader.ackData(o)));
      }
      for (Identity me : ids) {
        try {
          ObjectReader.readMsg(o, me);
          return true;
        } catch (BadMacException e) {
          // for someone else
        } catch (BitmessageException e) {
          return false;
        }
      }
      return false;
    }
    try {
      if (type == BitmessageObject.GETPUBKEY) {
        GetPubkeyRequest req = ObjectReader.readGetPubkey(o);
        return ids.stream().anyMatch(i -> !i.isChan() && req.asksFor(i.address()));
      }
      if (type == BitmessageObject.PUBKEY) {
        return !awaited.isEmpty();
      }
      if (type == BitmessageObject.BROADCAST) {
        if (o.version() >= 5) {
          byte[] tag = ObjectReader.tag(o);
          return tags.stream().anyMatch(t -> Arrays.equals(t, tag));
        }
        return v3Subscriptions;
      }
    } catch (BitmessageException e) {
      return false;
    }
    return false;
  }

  private void handOver(Runnable r) {
    try {
      worker.execute(
          () -> {
            if (!closed) {
              r.run();
            }
          });
    } catch (RejectedExecutionException e) {
      // Closed meanwhile: the next open catches up again.
    }
  }

  // ---------------------------------------------------------------- public API

  @Override
  public List<OwnIdentity> identities() throws MailboxException {
    return call(() -> own.values().stream().map(Own::view).toList());
  }

  @Override
  public OwnIdentity newIdentity(String label) throws MailboxException {
    String l = label(label);
    return call(
        () -> {
          Own o = new Own();
          o.identity = Identity.random(4).withDifficulty(config.minimumDifficulty());
          o.label = l;
          o.created = now();
          store.put(o.key(), o.encode());
          own.put(o.identity.address(), o);
          LOG.info("identity created; its pubkey's proof of work is queued");
          advance();
          return o.view();
        });
  }

  @Override
  public OwnIdentity joinChan(String name) throws MailboxException {
    if (name == null || name.isBlank() || name.length() > MAX_LABEL) {
      throw new MailboxException(
          Code.INVALID_ARGUMENT, "A chan name is 1 to " + MAX_LABEL + " characters.");
    }
    return call(
        () -> {
          Identity chan = Identity.chan(name);
          Own existing = own.get(chan.address());
          if (existing != null) {
            return existing.view();
          }
          Own o = new Own();
          o.identity = chan.withDifficulty(config.minimumDifficulty());
          o.label = name;
          o.created = now();
          store.put(o.key(), o.encode());
          own.put(o.identity.address(), o);
          // Messages to the chan may already be in the inventory.
          network.forEachObject(this::process);
          return o.view();
        });
  }

  @Override
  public String send(String from, String to, String subject, String body, Duration ttl)
      throws MailboxException {
    BitmessageAddress fromAddr = address(from, "sender");
    BitmessageAddress toAddr = address(to, "recipient");
    checkText(subject, body);
    long seconds = ttl(ttl);
    return call(
        () -> {
          Own me = ownIdentity(fromAddr);
          Out m = newOut("msg", me, subject, body, seconds);
          m.to = toAddr.toString();
          Own toOwn = own.get(toAddr);
          m.ackExpected = toOwn == null || !toOwn.identity.isChan();
          PublicIdentity keys = recipientKeys(toAddr);
          if (keys == null) {
            keys = findPubkeyInInventory(toAddr);
          }
          m.state = keys != null ? OutboxState.DOING_POW : OutboxState.WAITING_FOR_PUBKEY;
          save(m);
          out.put(m.id, m);
          listener.stateChanged(m.view());
          advance();
          return m.id;
        });
  }

  @Override
  public String broadcast(String from, String subject, String body, Duration ttl)
      throws MailboxException {
    BitmessageAddress fromAddr = address(from, "sender");
    checkText(subject, body);
    long seconds = ttl(ttl);
    return call(
        () -> {
          Own me = ownIdentity(fromAddr);
          Out m = newOut("broadcast", me, subject, body, seconds);
          m.ackExpected = false;
          m.state = OutboxState.DOING_POW;
          save(m);
          out.put(m.id, m);
          listener.stateChanged(m.view());
          advance();
          return m.id;
        });
  }

  @Override
  public void subscribe(String address, String label) throws MailboxException {
    BitmessageAddress a = address(address, "address");
    String l = label(label);
    call(
        () -> {
          store.put(Records.SUB + a, Records.encodeSubscription(l, now()));
          subs.put(a, l);
          // Broadcasts still in the inventory are read now.
          network.forEachObject(
              o -> {
                if (o.objectType() == BitmessageObject.BROADCAST) {
                  process(o);
                }
              });
          return null;
        });
  }

  @Override
  public List<String> subscriptions() throws MailboxException {
    return call(() -> subs.keySet().stream().map(BitmessageAddress::toString).toList());
  }

  @Override
  public List<InboxMessage> inbox(int limit) throws MailboxException {
    checkOpen();
    List<InboxMessage> all = new ArrayList<>();
    for (String k : store.keys(Records.IN)) {
      Optional<byte[]> v = store.get(k);
      if (v.isPresent()) {
        all.add(decodeInbox(v.get()));
      }
    }
    all.sort(Comparator.comparing(InboxMessage::received).reversed());
    return all.subList(0, Math.min(Math.max(limit, 0), all.size()));
  }

  @Override
  public Optional<InboxMessage> message(String id) throws MailboxException {
    checkOpen();
    if (!isInventoryHex(id)) {
      return Optional.empty();
    }
    Optional<byte[]> v = store.get(Records.IN + id);
    return v.isEmpty() ? Optional.empty() : Optional.of(decodeInbox(v.get()));
  }

  @Override
  public void markRead(String id, boolean read) throws MailboxException {
    call(
        () -> {
          InboxMessage m =
              message(id)
                  .orElseThrow(() -> new MailboxException(Code.NOT_FOUND, "No such message."));
          InboxMessage changed =
              new InboxMessage(
                  m.id(), m.kind(), m.from(), m.to(), m.subject(), m.body(), m.received(), read);
          store.put(Records.IN + id, Records.encodeInbox(changed));
          return null;
        });
  }

  @Override
  public boolean delete(String id) throws MailboxException {
    return call(
        () -> {
          Out m = id == null ? null : out.get(id);
          if (m != null) {
            Running r = current;
            if (r != null && id.equals(r.job.ref())) {
              r.search.cancel();
            }
            store.delete(m.key());
            out.remove(id);
            m.acks.forEach(ackIndex::remove);
            return true;
          }
          if (!isInventoryHex(id) || store.get(Records.IN + id).isEmpty()) {
            return false;
          }
          store.write(
              Map.of(DELETED + id, Long.toString(now()).getBytes(StandardCharsets.US_ASCII)),
              Set.of(Records.IN + id));
          return true;
        });
  }

  @Override
  public List<OutboxMessage> outbox() throws MailboxException {
    return call(() -> out.descendingMap().values().stream().map(Out::view).toList());
  }

  @Override
  public Optional<OutboxMessage> sent(String id) throws MailboxException {
    return call(() -> Optional.ofNullable(id == null ? null : out.get(id)).map(Out::view));
  }

  @Override
  public PowStatus powStatus() {
    return status;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Running r = current;
    if (r != null) {
      r.search.cancel();
    }
    try {
      if (subscription != null) {
        subscription.close();
      }
    } catch (Exception e) {
      LOG.debug("unsubscribing failed: {}", e.toString());
    }
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("mailbox closed");
  }

  // ---------------------------------------------------------------- proof-of-work queue

  /** Starts the next proof of work if none runs. Worker thread only. */
  private void advance() {
    if (closed || current != null) {
      return;
    }
    try {
      Job j = nextJob();
      if (j == null) {
        status = idle(0);
        return;
      }
      long now = now();
      long target =
          PowTarget.target(j.difficulty(), j.pending().length(), j.pending().expiresTime() - now);
      PowJob search = pow.start(j.pending().initialHash(), target, null);
      Running run = new Running(j, search, queuedCount() - 1);
      current = run;
      status =
          new PowStatus(true, j.kind(), j.ref(), 0, 0, 0, Duration.ZERO, run.queued, pow.threads());
      LOG.debug("proof of work started: {}", j.kind());
      search
          .nonce()
          .whenComplete(
              (nonce, err) -> {
                try {
                  worker.execute(() -> finished(run, nonce, err));
                } catch (RejectedExecutionException e) {
                  // Closed meanwhile: the job is redone at the next open.
                }
              });
      reportLater(run);
    } catch (MailboxException e) {
      LOG.warn("proof-of-work queue: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("proof-of-work queue failed", e);
    }
  }

  /** Polls the running search about once a second for the progress notification. */
  private void reportLater(Running run) {
    worker.schedule(
        () -> {
          if (current != run || closed) {
            return;
          }
          long trials = run.search.trials();
          long nanos = System.nanoTime();
          double rate =
              run.lastReport == 0
                  ? 0
                  : (trials - lastTrials(run)) * 1e9 / Math.max(1, nanos - run.lastReport);
          run.lastReport = nanos;
          prevTrials.put(run, trials);
          long target =
              PowTarget.target(
                  run.job.difficulty(),
                  run.job.pending().length(),
                  run.job.pending().expiresTime() - now());
          double expected = Math.pow(2, 64) / unsigned(target);
          Duration eta =
              rate > 0 ? Duration.ofMillis((long) (expected / rate * 1000)) : Duration.ZERO;
          status =
              new PowStatus(
                  true,
                  run.job.kind(),
                  run.job.ref(),
                  trials,
                  rate,
                  expected,
                  eta,
                  run.queued,
                  pow.threads());
          listener.powProgress(status);
          reportLater(run);
        },
        1,
        TimeUnit.SECONDS);
  }

  private final Map<Running, Long> prevTrials = new HashMap<>();

  private long lastTrials(Running run) {
    return prevTrials.getOrDefault(run, 0L);
  }

  private static double unsigned(long v) {
    return v >= 0 ? (double) v : v + Math.pow(2, 64);
  }

  private void finished(Running run, Long nonce, Throwable err) {
    prevTrials.remove(run);
    if (current != run) {
      return;
    }
    current = null;
    if (err == null && !closed) {
      BitmessageObject o = run.job.pending().complete(nonce);
      try {
        run.job.done().finish(o);
        LOG.debug("proof of work done: {}", run.job.kind());
      } catch (MailboxException e) {
        LOG.warn("finished object not recorded: {}", e.getMessage());
      } catch (IllegalArgumentException e) {
        // The node refused our own object: a bug (or a node with a higher minimum). Surface it.
        LOG.error("the network refused an own {} object: {}", run.job.kind(), e.getMessage());
        Out m = out.get(run.job.ref());
        if (m != null) {
          m.state = OutboxState.FAILED;
          m.error = e.getMessage();
          try {
            save(m);
          } catch (MailboxException ignored) {
            LOG.warn("failed state not recorded");
          }
          listener.stateChanged(m.view());
        }
      }
    }
    status = idle(0);
    advance();
  }

  /** Jobs waiting (the running one included): what {@code bm.status} shows as the PoW queue. */
  private int queuedCount() {
    long now = now();
    int n = 0;
    for (Own o : own.values()) {
      if (!o.identity.isChan() && (o.pubkeySentAt == 0 || o.pubkeyWanted)) {
        n++;
      }
    }
    for (Out m : out.values()) {
      if (m.state == OutboxState.DOING_POW
          || (m.state == OutboxState.WAITING_FOR_PUBKEY && now >= m.getpubkeyAt)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The next proof of work: own pubkeys first (others wait for them), then the outbox oldest first.
   * Moves messages whose pubkey arrived, or whose ack did not come in time, to DOING_POW (each move
   * stored).
   */
  private Job nextJob() throws MailboxException {
    long now = now();
    for (Own o : own.values()) {
      if (!o.identity.isChan() && (o.pubkeySentAt == 0 || o.pubkeyWanted)) {
        return pubkeyJob(o);
      }
    }
    for (Out m : List.copyOf(out.values())) {
      if (m.state == OutboxState.WAITING_FOR_PUBKEY) {
        if (recipientKeys(parse(m.to)) != null) {
          m.state = OutboxState.DOING_POW;
          save(m);
          listener.stateChanged(m.view());
        } else {
          if (now >= m.getpubkeyAt) {
            return getpubkeyJob(m);
          }
          continue;
        }
      }
      if (m.state == OutboxState.SENT && m.ackExpected && now >= m.resendAt) {
        // As the reference client does: no ack within 1.1 × TTL ⇒ send again with twice the TTL.
        m.attempts++;
        m.ttl = Math.min(m.baseTtl << Math.min(m.attempts, 12), MAX_TTL);
        m.state = OutboxState.DOING_POW;
        save(m);
        LOG.info("no ack within the TTL: resending with a TTL of {} s", m.ttl);
        listener.stateChanged(m.view());
      }
      if (m.state == OutboxState.DOING_POW) {
        Job j = powJob(m);
        if (j != null) {
          return j;
        }
      }
    }
    return null;
  }

  private Job pubkeyJob(Own o) {
    PendingObject p = ObjectBuilder.pubkey(o.identity, expires(PUBKEY_TTL));
    return new Job(
        "pubkey",
        o.identity.address().toString(),
        p,
        config.minimumDifficulty(),
        obj -> {
          network.publish(obj);
          o.pubkeySentAt = now();
          o.pubkeyWanted = false;
          store.put(o.key(), o.encode());
          LOG.info("pubkey published");
        });
  }

  private Job getpubkeyJob(Out m) throws MailboxException {
    BitmessageAddress to = parse(m.to);
    long ttl = Math.min(GETPUBKEY_TTL << Math.min(m.getpubkeyAttempts, 12), MAX_TTL);
    PendingObject p = ObjectBuilder.getPubkey(to, expires(ttl));
    return new Job(
        "getpubkey",
        m.id,
        p,
        config.minimumDifficulty(),
        obj -> {
          network.publish(obj);
          long next = now() + ttl * 11 / 10;
          // Every message waiting for the same keys shares this request.
          Map<String, byte[]> puts = new LinkedHashMap<>();
          for (Out w : out.values()) {
            if (w.state == OutboxState.WAITING_FOR_PUBKEY && w.to.equals(m.to)) {
              w.getpubkeyAttempts++;
              w.getpubkeyAt = next;
              puts.put(w.key(), w.encode());
            }
          }
          store.write(puts, Set.of());
          LOG.info("getpubkey sent");
        });
  }

  /** The ack's or the msg's or the broadcast's job for a message in DOING_POW. */
  private Job powJob(Out m) throws MailboxException {
    Own me = own.get(parse(m.from));
    if (me == null) {
      fail(m, "the sending identity no longer exists");
      return null;
    }
    MessageContent content = MessageContent.simple(m.subject, m.body);
    try {
      if (m.kind.equals("broadcast")) {
        PendingObject p = ObjectBuilder.broadcast(me.identity, content, expires(m.ttl));
        return new Job(
            "broadcast",
            m.id,
            p,
            config.minimumDifficulty(),
            obj -> {
              network.publish(obj);
              sent(m, obj);
            });
      }
      BitmessageAddress toAddr = parse(m.to);
      PublicIdentity to = recipientKeys(toAddr);
      if (to == null) {
        m.state = OutboxState.WAITING_FOR_PUBKEY;
        save(m);
        return null;
      }
      if (m.ackExpected && !to.doesAck()) {
        m.ackExpected = false;
      }
      if (m.ackExpected && m.pendingAck == null) {
        long ackTtl = ObjectBuilder.ackTtl(Duration.ofSeconds(m.ttl)).getSeconds();
        PendingObject ack = ObjectBuilder.ack(toAddr.stream(), expires(ackTtl));
        return new Job("ack", m.id, ack, config.minimumDifficulty(), obj -> m.pendingAck = obj);
      }
      PendingObject p = ObjectBuilder.msg(me.identity, to, content, m.pendingAck, expires(m.ttl));
      return new Job(
          "msg",
          m.id,
          p,
          PowTarget.effective(to.difficulty(), config.minimumDifficulty()),
          obj -> {
            network.publish(obj);
            if (m.pendingAck != null) {
              String ack = HEX.formatHex(ObjectReader.ackData(m.pendingAck));
              m.acks.add(ack);
              ackIndex.put(ack, m.id);
            }
            m.pendingAck = null;
            sent(m, obj);
          });
    } catch (TooLargeException e) {
      fail(m, e.getMessage());
      return null;
    }
  }

  private void sent(Out m, BitmessageObject obj) throws MailboxException {
    long now = now();
    m.state = OutboxState.SENT;
    m.sentAt = now;
    m.resendAt = now + (obj.expiresTime() - now) * 11 / 10;
    m.error = "";
    save(m);
    LOG.info("{} sent (attempt {})", m.kind, m.attempts + 1);
    listener.stateChanged(m.view());
  }

  private void fail(Out m, String why) throws MailboxException {
    m.state = OutboxState.FAILED;
    m.error = why;
    save(m);
    listener.stateChanged(m.view());
  }

  // ---------------------------------------------------------------- incoming objects

  /** Reads one object from the network. Worker thread only; never throws. */
  private void process(BitmessageObject o) {
    if (closed) {
      return;
    }
    try {
      long type = o.objectType();
      if (type == BitmessageObject.GETPUBKEY) {
        onGetPubkey(o);
      } else if (type == BitmessageObject.PUBKEY) {
        onPubkey(o);
      } else if (type == BitmessageObject.MSG) {
        onMsg(o);
      } else if (type == BitmessageObject.BROADCAST) {
        onBroadcast(o);
      }
    } catch (MailboxException e) {
      LOG.warn("object not recorded: {}", e.getMessage());
    } catch (BitmessageException e) {
      LOG.debug("object ignored: {}", e.code());
    } catch (RuntimeException e) {
      LOG.error("reading an object failed", e);
    }
  }

  private void onGetPubkey(BitmessageObject o) throws BitmessageException, MailboxException {
    GetPubkeyRequest req = ObjectReader.readGetPubkey(o);
    long now = now();
    for (Own me : own.values()) {
      if (me.identity.isChan() || !req.asksFor(me.identity.address())) {
        continue;
      }
      // The reference client answers unless it sent its pubkey in the last 28 days (it is still
      // in every node's inventory then).
      if (me.pubkeySentAt > 0 && now - me.pubkeySentAt < PUBKEY_TTL) {
        LOG.debug("getpubkey for an own address ignored: its pubkey is still out");
        return;
      }
      if (!me.pubkeyWanted) {
        me.pubkeyWanted = true;
        store.put(me.key(), me.encode());
        advance();
      }
      return;
    }
  }

  private void onPubkey(BitmessageObject o) throws MailboxException {
    for (BitmessageAddress a : awaitedAddresses()) {
      if (a.version() != o.version() || a.stream() != o.stream()) {
        continue;
      }
      try {
        if (o.version() >= 4 && !Arrays.equals(ObjectReader.tag(o), a.tag())) {
          continue;
        }
        learn(ObjectReader.readPubkey(o, a));
        return;
      } catch (BitmessageException e) {
        // Not this address's (v3 pubkeys carry no tag: try the next awaited address).
      }
    }
  }

  private List<BitmessageAddress> awaitedAddresses() throws MailboxException {
    List<BitmessageAddress> list = new ArrayList<>();
    for (Out m : out.values()) {
      if (m.state == OutboxState.WAITING_FOR_PUBKEY) {
        BitmessageAddress a = parse(m.to);
        if (!list.contains(a)) {
          list.add(a);
        }
      }
    }
    return list;
  }

  /** Records someone's keys and starts the messages that waited for them. */
  private void learn(PublicIdentity p) throws MailboxException {
    Map<String, byte[]> puts = new LinkedHashMap<>();
    if (!own.containsKey(p.address())) {
      puts.put(Records.BOOK + p.address(), Records.encodePubkey(p, now()));
    }
    List<Out> woken = new ArrayList<>();
    for (Out m : out.values()) {
      if (m.state == OutboxState.WAITING_FOR_PUBKEY && m.to.equals(p.address().toString())) {
        m.state = OutboxState.DOING_POW;
        puts.put(m.key(), m.encode());
        woken.add(m);
      }
    }
    if (puts.isEmpty()) {
      return;
    }
    store.write(puts, Set.of());
    book.put(p.address(), p);
    woken.forEach(m -> listener.stateChanged(m.view()));
    if (!woken.isEmpty()) {
      advance();
    }
  }

  private void onMsg(BitmessageObject o) throws MailboxException {
    if (o.version() == 1 && o.payloadLength() == 32) {
      String id = ackIndex.get(HEX.formatHex(ObjectReader.ackData(o)));
      Out m = id == null ? null : out.get(id);
      if (m != null && m.state != OutboxState.ACKED) {
        m.state = OutboxState.ACKED;
        save(m);
        m.acks.forEach(ackIndex::remove);
        LOG.info("ack received");
        listener.acked(m.view());
        listener.stateChanged(m.view());
      }
      return;
    }
    // Decryption first, the store only for what is ours: every store access counts as use of the
    // vault, and the network's traffic must not keep it from locking itself when idle.
    for (Own me : own.values()) {
      ReceivedMessage r;
      try {
        r = ObjectReader.readMsg(o, me.identity);
      } catch (BadMacException e) {
        continue; // for someone else
      } catch (BitmessageException e) {
        LOG.debug("msg for an own address refused: {}", e.code());
        return;
      }
      String inv = HEX.formatHex(o.inventoryHash());
      if (known(inv)) {
        return;
      }
      InboxMessage im =
          new InboxMessage(
              inv,
              "msg",
              r.sender().address().toString(),
              me.identity.address().toString(),
              r.content().subject(),
              r.content().body(),
              Instant.ofEpochMilli(config.clock().millis()),
              false);
      Map<String, byte[]> puts = new LinkedHashMap<>();
      puts.put(Records.IN + inv, Records.encodeInbox(im));
      PublicIdentity sender = r.sender();
      boolean newKeys =
          !own.containsKey(sender.address()) && !sender.equals(book.get(sender.address()));
      if (newKeys) {
        // The msg carries the sender's keys: a reply needs no getpubkey.
        puts.put(Records.BOOK + sender.address(), Records.encodePubkey(sender, now()));
      }
      store.write(puts, Set.of());
      if (newKeys) {
        book.put(sender.address(), sender);
      }
      LOG.info("msg received");
      if (!me.identity.isChan()) {
        r.ackObject().ifPresent(this::publishAck);
      }
      listener.received(im);
      if (newKeys) {
        learn(sender);
      }
      return;
    }
  }

  private void publishAck(BitmessageObject ack) {
    try {
      network.publish(ack);
    } catch (IllegalArgumentException e) {
      // An expired or under-worked ack: the sender will resend; nothing else to do.
      LOG.debug("the embedded ack was not accepted: {}", e.getMessage());
    }
  }

  private void onBroadcast(BitmessageObject o) throws MailboxException {
    if (subs.isEmpty()) {
      return;
    }
    byte[] tag = null;
    if (o.version() >= 5) {
      try {
        tag = ObjectReader.tag(o);
      } catch (BitmessageException e) {
        return;
      }
    }
    for (BitmessageAddress s : subs.keySet()) {
      if (tag != null ? !Arrays.equals(tag, s.tag()) : s.version() >= 4) {
        continue;
      }
      ReceivedBroadcast b;
      try {
        b = ObjectReader.readBroadcast(o, s);
      } catch (BitmessageException e) {
        continue;
      }
      String inv = HEX.formatHex(o.inventoryHash());
      if (known(inv)) {
        return;
      }
      InboxMessage im =
          new InboxMessage(
              inv,
              "broadcast",
              b.sender().address().toString(),
              "",
              b.content().subject(),
              b.content().body(),
              Instant.ofEpochMilli(config.clock().millis()),
              false);
      store.put(Records.IN + inv, Records.encodeInbox(im));
      LOG.info("broadcast received");
      listener.received(im);
      return;
    }
  }

  /** Whether this received object is already in the inbox or was deleted by the user. */
  private boolean known(String inv) throws MailboxException {
    return store.get(Records.IN + inv).isPresent() || store.get(DELETED + inv).isPresent();
  }

  // ---------------------------------------------------------------- helpers

  private PublicIdentity recipientKeys(BitmessageAddress a) {
    Own o = own.get(a);
    if (o != null) {
      return o.identity.publicIdentity();
    }
    return book.get(a);
  }

  /** The recipient's pubkey if the inventory holds it (it usually does: pubkeys live 28 days). */
  private PublicIdentity findPubkeyInInventory(BitmessageAddress a) throws MailboxException {
    PublicIdentity[] found = new PublicIdentity[1];
    byte[] tag = a.version() >= 4 ? a.tag() : null;
    network.forEachObject(
        o -> {
          if (found[0] != null
              || o.objectType() != BitmessageObject.PUBKEY
              || o.version() != a.version()
              || o.stream() != a.stream()) {
            return;
          }
          try {
            if (tag != null && !Arrays.equals(ObjectReader.tag(o), tag)) {
              return;
            }
            found[0] = ObjectReader.readPubkey(o, a);
          } catch (BitmessageException e) {
            // not this address's
          }
        });
    if (found[0] != null) {
      store.put(Records.BOOK + a, Records.encodePubkey(found[0], now()));
      book.put(a, found[0]);
    }
    return found[0];
  }

  private Out newOut(String kind, Own me, String subject, String body, long ttl) {
    Out m = new Out();
    byte[] r = new byte[4];
    random.nextBytes(r);
    m.id = String.format("%013d%s", config.clock().millis(), HEX.formatHex(r));
    m.kind = kind;
    m.from = me.identity.address().toString();
    m.subject = subject;
    m.body = body;
    m.baseTtl = ttl;
    m.ttl = ttl;
    m.created = now();
    return m;
  }

  private void save(Out m) throws MailboxException {
    store.put(m.key(), m.encode());
  }

  private Own ownIdentity(BitmessageAddress a) throws MailboxException {
    Own o = own.get(a);
    if (o == null) {
      throw new MailboxException(
          Code.UNKNOWN_IDENTITY, "The sending address is not one of your identities.");
    }
    return o;
  }

  private long now() {
    return config.clock().millis() / 1000;
  }

  /** now + ttl ± up to 300 s (as the reference client), never under 5 minutes. */
  private long expires(long ttl) {
    long t = Math.max(MIN_TTL, Math.min(ttl, MAX_TTL));
    long jitter = random.nextInt(601) - 300;
    return now() + Math.max(MIN_TTL, Math.min(t + jitter, MAX_TTL));
  }

  private long ttl(Duration ttl) throws MailboxException {
    Duration t = ttl == null ? config.defaultTtl() : ttl;
    if (t.getSeconds() < MIN_TTL || t.getSeconds() > MAX_TTL) {
      throw new MailboxException(
          Code.INVALID_ARGUMENT, "A message lives 5 minutes to 28 days on the network.");
    }
    return t.getSeconds();
  }

  private static void checkText(String subject, String body) throws MailboxException {
    if (subject == null || body == null) {
      throw new MailboxException(Code.INVALID_ARGUMENT, "Give a subject and a body.");
    }
    if (subject.length() + body.length() > MAX_TEXT_BYTES
        || subject.getBytes(StandardCharsets.UTF_8).length
                + body.getBytes(StandardCharsets.UTF_8).length
            > MAX_TEXT_BYTES) {
      throw new MailboxException(
          Code.TOO_LARGE, "The message is too long for Bitmessage (at most about 250 kB).");
    }
  }

  private static String label(String label) throws MailboxException {
    String l = label == null ? "" : label.strip();
    if (l.length() > MAX_LABEL) {
      throw new MailboxException(
          Code.INVALID_ARGUMENT, "A label is at most " + MAX_LABEL + " characters.");
    }
    return l;
  }

  private static BitmessageAddress address(String text, String what) throws MailboxException {
    try {
      return BitmessageAddress.parse(text);
    } catch (InvalidAddressException e) {
      throw new MailboxException(
          Code.BAD_ADDRESS, "The " + what + " is not a valid BM- address: " + e.getMessage());
    }
  }

  private static BitmessageAddress parse(String stored) throws MailboxException {
    try {
      return BitmessageAddress.parse(stored);
    } catch (InvalidAddressException e) {
      throw new MailboxException(Code.STORE_FAILED, "a stored address is not valid");
    }
  }

  private static InboxMessage decodeInbox(byte[] v) throws MailboxException {
    try {
      return Records.decodeInbox(v);
    } catch (IllegalArgumentException e) {
      throw new MailboxException(Code.STORE_FAILED, "A stored message could not be read.", e);
    }
  }

  private static boolean isInventoryHex(String id) {
    return id != null && id.matches("[0-9a-f]{64}");
  }

  private PowStatus idle(int queued) {
    return new PowStatus(false, "", "", 0, 0, 0, Duration.ZERO, queued, config.powThreads());
  }

  private void checkOpen() throws MailboxException {
    if (closed) {
      throw new MailboxException(Code.CLOSED, "The Bitmessage mailbox is closed.");
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run() throws Exception;
  }

  /** Runs {@code c} on the worker and waits: every state change happens there. */
  private <T> T call(Work<T> c) throws MailboxException {
    checkOpen();
    if (Thread.currentThread() == workerThread) {
      try {
        return c.run();
      } catch (MailboxException e) {
        throw e;
      } catch (Exception e) {
        throw new MailboxException(Code.INTERNAL, "The mailbox failed: " + e, e);
      }
    }
    Callable<T> callable = c::run;
    Future<T> f;
    try {
      f = worker.submit(callable);
    } catch (RejectedExecutionException e) {
      throw new MailboxException(Code.CLOSED, "The Bitmessage mailbox is closed.");
    }
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof MailboxException me) {
        throw me;
      }
      LOG.error("mailbox call failed", e.getCause());
      throw new MailboxException(Code.INTERNAL, "The mailbox failed unexpectedly.", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(false);
      throw new MailboxException(Code.CLOSED, "Interrupted.");
    } catch (java.util.concurrent.CancellationException e) {
      throw new MailboxException(Code.CLOSED, "The Bitmessage mailbox is closed.");
    }
  }
}
