package org.sceau.relay.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Session;
import org.sceau.chat.wire.DeviceAuth;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.ErrorCode;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.PayloadKind;
import org.sceau.chat.wire.WireCodec;
import org.sceau.chat.wire.WireException;
import org.sceau.chat.wire.WireLimits;
import org.sceau.relay.DeliverTemplate;
import org.sceau.relay.Directory;
import org.sceau.relay.MessageQueue;
import org.sceau.relay.RelayConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's protocol logic, independent of the HTTP framework: connection lifecycle, frame
 * dispatch, limits. Logs carry device ids, sizes and error codes only, never payload bytes.
 */
public final class RelayService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelayService.class);
  private static final int MAX_MALFORMED = 8;

  private final MessageQueue queue;
  private final Directory directory;
  private final boolean liveFromMemory;
  private final Metrics metrics;
  private final WireCodec codec;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<DeviceId, Connection> online = new ConcurrentHashMap<>();
  private final Set<DeviceId> knownDevices = ConcurrentHashMap.newKeySet();
  private final ExecutorService pumps;
  private final ScheduledExecutorService timers;
  private final RateLimiter deviceRate;
  private final RateLimiter addressFrames;
  private final RateLimiter addressConnects;
  private final RateLimiter addressRegistrations;
  private final int window;
  private final int keyPackagesMax;
  private final long authTimeoutMillis;
  private final long retentionMillis;

  public RelayService(
      RelayConfig config,
      MessageQueue queue,
      Directory directory,
      boolean liveFromMemory,
      Metrics metrics) {
    this.queue = queue;
    this.directory = directory;
    this.liveFromMemory = liveFromMemory;
    this.metrics = metrics;
    this.codec =
        new WireCodec(
            WireLimits.DEFAULT.withMaxPayloadBytes(config.getInt("limits.payload.bytes")));
    this.window = config.getInt("delivery.window");
    this.keyPackagesMax = config.getInt("keypackages.max");
    this.authTimeoutMillis = config.getInt("auth.timeout.seconds") * 1000L;
    this.retentionMillis = config.getInt("retention.days") * 86_400_000L;
    this.deviceRate =
        new RateLimiter(
            config.getDouble("rate.device.messages.per.second"),
            config.getDouble("rate.device.burst"),
            100_000);
    this.addressFrames =
        new RateLimiter(
            config.getDouble("rate.address.frames.per.second"),
            config.getDouble("rate.address.burst"),
            100_000);
    double cpm = config.getDouble("rate.address.connections.per.minute");
    this.addressConnects = new RateLimiter(cpm / 60.0, cpm, 100_000);
    double rph = config.getDouble("rate.address.registrations.per.hour");
    this.addressRegistrations = new RateLimiter(rph / 3600.0, rph, 100_000);
    this.pumps =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("relay-delivery"));
    java.util.concurrent.ScheduledThreadPoolExecutor t =
        new java.util.concurrent.ScheduledThreadPoolExecutor(1, daemon("relay-timers"));
    t.setRemoveOnCancelPolicy(true);
    this.timers = t;
    queue.onAvailable(this::wake);
    long sweep = config.getInt("retention.sweep.seconds");
    timers.scheduleWithFixedDelay(this::sweepRetention, 5, Math.max(sweep, 1), TimeUnit.SECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  public WireCodec codec() {
    return codec;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Retention: delete what waited longer than the limit. */
  public long sweepRetention() {
    try {
      long n = queue.purgeReceivedBefore(System.currentTimeMillis() - retentionMillis);
      metrics.purged.add(n);
      if (n > 0) {
        log.info("retention removed {} expired messages", n);
      }
      return n;
    } catch (Exception e) {
      log.warn("retention sweep failed", e);
      return 0;
    }
  }

  // ------------------------------------------------------------------ lifecycle

  public Connection open(Session ws) {
    String address = addressOf(ws.getRemoteSocketAddress());
    byte[] nonce = new byte[Frame.Challenge.NONCE_LENGTH];
    random.nextBytes(nonce);
    Frame.Challenge ch =
        new Frame.Challenge(nonce, System.currentTimeMillis(), codec.limits().maxPayloadBytes());
    Connection c = new Connection(ws, address, ch, metrics);
    metrics.connections.incrementAndGet();
    metrics.connectionsTotal.increment();
    long wait = addressConnects.take(address, 1);
    if (wait > 0) {
      refuseAndClose(c, new WireException(ErrorCode.RATE_LIMITED, wait, "too many connections"));
      return c;
    }
    c.send(codec.encode(ch));
    c.authTimer =
        timers.schedule(
            () -> {
              if (c.device == null && !c.closed) {
                refuseAndClose(c, new WireException(ErrorCode.AUTH_REQUIRED, "no authentication"));
              }
            },
            authTimeoutMillis,
            TimeUnit.MILLISECONDS);
    return c;
  }

  public void closed(Connection c) {
    synchronized (c) {
      if (c.closed) {
        return;
      }
      c.closed = true;
    }
    if (c.authTimer != null) {
      c.authTimer.cancel(false);
    }
    metrics.connections.decrementAndGet();
    DeviceId d = c.device;
    if (d != null) {
      metrics.authenticated.decrementAndGet();
      if (online.remove(d, c)) {
        queue.unwatch(d);
      }
    }
  }

  private void refuseAndClose(Connection c, WireException e) {
    error(c, 0, e);
    try {
      c.ws.close(1008, e.code().name(), org.eclipse.jetty.websocket.api.Callback.NOOP);
    } catch (RuntimeException ignored) {
      // already closing
    }
  }

  private static String addressOf(SocketAddress a) {
    if (a instanceof InetSocketAddress i && i.getAddress() != null) {
      return i.getAddress().getHostAddress();
    }
    return String.valueOf(a);
  }

  // ------------------------------------------------------------------ frames

  public void onText(Connection c) {
    malformed(c, new WireException(ErrorCode.MALFORMED_FRAME, "text frames are not part of v1"));
  }

  public void onBinary(Connection c, ByteBuffer data) {
    int len = data.remaining();
    metrics.bytesIn.add(len);
    long wait = addressFrames.take(c.address, 1);
    if (wait > 0) {
      error(c, 0, new WireException(ErrorCode.RATE_LIMITED, wait, "too many frames"));
      return;
    }
    Frame f;
    try {
      if (data.hasArray()) {
        f = codec.decode(data.array(), data.arrayOffset() + data.position(), len);
      } else {
        byte[] b = new byte[len];
        data.get(b);
        f = codec.decode(b);
      }
    } catch (WireException e) {
      malformed(c, e);
      return;
    }
    try {
      dispatch(c, f);
    } catch (WireException e) {
      error(c, requestId(f), e);
    } catch (RuntimeException e) {
      log.error("frame handling failed for {}", c.device, e);
      error(c, requestId(f), new WireException(ErrorCode.INTERNAL, "internal error"));
    }
  }

  private void malformed(Connection c, WireException e) {
    error(c, 0, e);
    if (++c.malformed >= MAX_MALFORMED) {
      refuseAndClose(c, new WireException(ErrorCode.MALFORMED_FRAME, "too many bad frames"));
    }
  }

  private void error(Connection c, int requestId, WireException e) {
    metrics.error(e.code());
    log.debug("error {} to {} ({}): {}", e.code(), c.device, c.address, e.getMessage());
    c.send(codec.encode(e.toFrame(requestId)));
  }

  private static int requestId(Frame f) {
    if (f instanceof Frame.Send s) {
      return s.requestId();
    } else if (f instanceof Frame.Handshake h) {
      return h.requestId();
    } else if (f instanceof Frame.PublishKeyPackages p) {
      return p.requestId();
    } else if (f instanceof Frame.Claim c) {
      return c.requestId();
    }
    return 0;
  }

  private void dispatch(Connection c, Frame f) throws WireException {
    if (f instanceof Frame.Authenticate a) {
      authenticate(c, a);
      return;
    }
    if (c.device == null) {
      throw new WireException(ErrorCode.AUTH_REQUIRED, "authenticate first");
    }
    if (f instanceof Frame.Send s) {
      send(c, s);
    } else if (f instanceof Frame.Handshake h) {
      handshake(c, h);
    } else if (f instanceof Frame.Ack a) {
      ack(c, a);
    } else if (f instanceof Frame.PublishKeyPackages p) {
      publish(c, p);
    } else if (f instanceof Frame.Claim cl) {
      claim(c, cl);
    } else {
      throw new WireException(ErrorCode.UNEXPECTED_FRAME, "frame type not accepted from clients");
    }
  }

  private void authenticate(Connection c, Frame.Authenticate a) throws WireException {
    if (c.device != null) {
      throw new WireException(ErrorCode.UNEXPECTED_FRAME, "already authenticated");
    }
    if (!DeviceAuth.verify(c.challenge, a)) {
      metrics.authFailed.increment();
      log.info("authentication refused from {}", c.address);
      refuseAndClose(c, new WireException(ErrorCode.AUTH_FAILED, "bad challenge signature"));
      return;
    }
    DeviceId d = a.device();
    try {
      if (a.register()) {
        if (!knownDevices.contains(d) && !directory.isRegistered(d)) {
          long wait = addressRegistrations.take(c.address, 1);
          if (wait > 0) {
            throw new WireException(ErrorCode.RATE_LIMITED, wait, "too many registrations");
          }
          if (directory.register(d)) {
            metrics.registrations.increment();
            log.info("registered {}", d);
          }
        }
      } else if (!knownDevices.contains(d) && !directory.isRegistered(d)) {
        metrics.authFailed.increment();
        throw new WireException(ErrorCode.UNKNOWN_DEVICE, "register this device first");
      }
      knownDevices.add(d);
      c.device = d;
      if (c.authTimer != null) {
        c.authTimer.cancel(false); // removed from the timer queue: idle sockets stay small
        c.authTimer = null;
      }
      metrics.authOk.increment();
      metrics.authenticated.incrementAndGet();
      Connection previous = online.put(d, c);
      if (previous != null && previous != c) {
        // One live connection per device: the newest wins, the old one is told why.
        refuseAndClose(
            previous, new WireException(ErrorCode.UNEXPECTED_FRAME, "replaced by a newer login"));
      }
      queue.watch(d);
      c.send(codec.encode(new Frame.AuthOk(d, queue.pending(d), directory.keyPackageCount(d))));
      c.startDelivery(queue, pumps, window, liveFromMemory);
    } catch (WireException e) {
      throw e;
    } catch (Exception e) {
      log.error("authentication of {} failed in the store", d, e);
      throw new WireException(ErrorCode.INTERNAL, "store unavailable");
    }
  }

  private List<DeviceId> recipients(Connection c, List<DeviceId> in) throws WireException {
    long wait = deviceRate.take(c.device, in.size());
    if (wait > 0) {
      throw new WireException(ErrorCode.RATE_LIMITED, wait, "too many messages");
    }
    List<DeviceId> out = in.size() == 1 ? in : new ArrayList<>(new LinkedHashSet<>(in));
    for (DeviceId r : out) {
      if (!knownDevices.contains(r)) {
        boolean known;
        try {
          known = directory.isRegistered(r);
        } catch (Exception e) {
          throw new WireException(ErrorCode.INTERNAL, "store unavailable");
        }
        if (!known) {
          throw new WireException(ErrorCode.UNKNOWN_RECIPIENT, "unknown recipient " + r);
        }
        knownDevices.add(r);
      }
    }
    return out;
  }

  private void send(Connection c, Frame.Send s) throws WireException {
    List<DeviceId> to = recipients(c, s.recipients());
    byte[] template = DeliverTemplate.message(c.device, System.currentTimeMillis(), s.payload());
    queue.enqueue(
        to,
        template,
        (ids, err) -> {
          if (err != null) {
            error(c, s.requestId(), asWire(err));
            return;
          }
          metrics.deposits.increment();
          c.send(codec.encode(new Frame.Ok(s.requestId(), ids.length)));
          distribute(to, ids, template);
        });
  }

  private void handshake(Connection c, Frame.Handshake h) throws WireException {
    List<DeviceId> to = recipients(c, h.recipients());
    byte[] template =
        DeliverTemplate.handshake(
            c.device,
            System.currentTimeMillis(),
            h.kind(),
            h.group(),
            h.epoch(),
            h.payload(),
            codec);
    queue.enqueueHandshake(
        to,
        h.group(),
        h.epoch(),
        h.kind() == PayloadKind.COMMIT,
        template,
        (out, err) -> {
          if (err != null) {
            error(c, h.requestId(), asWire(err));
            return;
          }
          if (!out.accepted()) {
            error(
                c,
                h.requestId(),
                new WireException(
                    ErrorCode.EPOCH_CONFLICT,
                    out.epoch(),
                    "group is at epoch " + out.epoch() + ", not " + h.epoch()));
            return;
          }
          metrics.deposits.increment();
          metrics.handshakesAccepted.increment();
          c.send(
              codec.encode(
                  new Frame.HandshakeAccepted(h.requestId(), out.groupSeq(), out.epoch())));
          distribute(to, out.ids(), template);
        });
  }

  private void distribute(List<DeviceId> to, long[] ids, byte[] template) {
    metrics.queued.add(ids.length);
    for (int i = 0; i < ids.length; i++) {
      DeviceId r = to.get(i);
      Connection rc = online.get(r);
      if (rc != null && rc.delivery() != null) {
        rc.delivery().offer(ids[i], template);
      } else {
        queue.announce(r);
      }
    }
  }

  private void wake(DeviceId d) {
    Connection rc = online.get(d);
    if (rc != null && rc.delivery() != null) {
      rc.delivery().wake();
    }
  }

  private static WireException asWire(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (e instanceof WireException w) {
      return w;
    }
    log.error("store operation failed", e);
    return new WireException(ErrorCode.INTERNAL, "store unavailable");
  }

  private void ack(Connection c, Frame.Ack a) {
    if (a.messageIds().isEmpty()) {
      return;
    }
    long[] ids = new long[a.messageIds().size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = a.messageIds().get(i);
    }
    metrics.acked.add(ids.length);
    queue.ack(c.device, ids);
    c.delivery().acked(a.messageIds());
  }

  private void publish(Connection c, Frame.PublishKeyPackages p) throws WireException {
    long wait = deviceRate.take(c.device, 1);
    if (wait > 0) {
      throw new WireException(ErrorCode.RATE_LIMITED, wait, "too many requests");
    }
    try {
      int n = directory.publish(c.device, p.keyPackages(), p.lastResort(), keyPackagesMax);
      metrics.keyPackagesPublished.add(p.keyPackages().size() + (p.lastResort() == null ? 0 : 1));
      c.send(codec.encode(new Frame.Ok(p.requestId(), n)));
    } catch (Exception e) {
      throw asWire(e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e);
    }
  }

  private void claim(Connection c, Frame.Claim cl) throws WireException {
    long wait = deviceRate.take(c.device, 1);
    if (wait > 0) {
      throw new WireException(ErrorCode.RATE_LIMITED, wait, "too many requests");
    }
    Optional<Directory.Claimed> got;
    try {
      if (!knownDevices.contains(cl.device()) && !directory.isRegistered(cl.device())) {
        throw new WireException(ErrorCode.UNKNOWN_RECIPIENT, "unknown device " + cl.device());
      }
      got = directory.claim(cl.device());
    } catch (WireException e) {
      throw e;
    } catch (Exception e) {
      throw asWire(e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e);
    }
    if (got.isEmpty()) {
      throw new WireException(ErrorCode.NO_KEY_PACKAGE, "no KeyPackage left for " + cl.device());
    }
    metrics.keyPackagesClaimed.increment();
    c.send(
        codec.encode(
            new Frame.Claimed(
                cl.requestId(), cl.device(), got.get().lastResort(), got.get().keyPackage())));
  }

  public int onlineCount() {
    return online.size();
  }

  @Override
  public void close() {
    timers.shutdownNow();
    pumps.shutdown();
    try {
      pumps.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
