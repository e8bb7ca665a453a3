package org.sceau.relay.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OpCode;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.Frame;
import org.sceau.relay.DeliverTemplate;
import org.sceau.relay.MessageQueue;
import org.sceau.relay.MessageQueue.Queued;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection: its challenge, the device once authenticated, and the delivery pump.
 *
 * <p>Delivery keeps at most {@code window} unacknowledged messages in flight, strictly in mailbox
 * order. It starts in <em>backlog</em> mode, reading the mailbox from the store after the last id
 * sent; once a read comes back short and nothing was stored meanwhile, it switches to <em>live</em>
 * mode, where messages this node just stored for the device are pushed from memory without reading
 * them back. Anything that could break the order (overflow, a wake-up from another node) returns it
 * to backlog mode. Pump runs are serialized by a work-in-progress counter.
 */
public final class Connection {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  final Session ws;
  final String address;
  final Frame.Challenge challenge;
  final long openedAt = System.nanoTime();
  volatile DeviceId device;
  volatile boolean closed;
  int malformed; // frames are handled one at a time per connection
  volatile java.util.concurrent.ScheduledFuture<?> authTimer;

  private final Metrics metrics;
  // A lost push is not lost data (the message stays until acked) but must be visible.
  private final Callback sendFailed =
      Callback.from(
          () -> {},
          t -> {
            if (!closed) {
              log.warn("send to {} failed: {}", device, t.toString());
            }
          });
  private static final ThreadLocal<List<Connection>> CORK = new ThreadLocal<>();
  // Jetty's core session, when available, for batched sends (see cork()).
  private final CoreSession core;
  private final org.eclipse.jetty.util.Callback coreSendFailed;
  private boolean corked; // the corking thread only

  // Created at authentication: idle unauthenticated sockets stay small.
  private volatile Delivery delivery;

  Connection(Session ws, String address, Frame.Challenge challenge, Metrics metrics) {
    this.ws = ws;
    this.address = address;
    this.challenge = challenge;
    this.metrics = metrics;
    this.core = ws instanceof WebSocketSession w ? w.getCoreSession() : null;
    this.coreSendFailed =
        org.eclipse.jetty.util.Callback.from(
            () -> {},
            t -> {
              if (!closed) {
                log.warn("send to {} failed: {}", device, t.toString());
              }
            });
  }

  void send(byte[] frame) {
    if (closed) {
      return;
    }
    metrics.bytesOut.add(frame.length);
    try {
      List<Connection> cork = CORK.get();
      if (cork != null && core != null) {
        // Corked: the frame joins Jetty's batch buffer and goes out with the others this
        // thread queues for the same socket before uncork(), in one write instead of one each.
        core.sendFrame(
            new org.eclipse.jetty.websocket.core.Frame(OpCode.BINARY, ByteBuffer.wrap(frame)),
            coreSendFailed,
            true);
        if (!corked) {
          corked = true;
          cork.add(this);
        }
      } else {
        ws.sendBinary(ByteBuffer.wrap(frame), sendFailed);
      }
    } catch (RuntimeException e) {
      log.warn("send to {} failed: {}", device, e.toString());
    }
  }

  /**
   * Until {@link #uncork}, frames this thread sends are batched per socket. Profiling the
   * 100-client benchmark showed the relay spending most of its CPU in the kernel, on one writev
   * (and the wake-ups around it) per frame; the store's writer thread completes a whole group
   * commit at a time, so the Ok and Deliver frames of one commit that go to the same socket can
   * share a write. Only one thread (the store's writer) may cork at a time: {@code corked} is its
   * private flag.
   */
  public static void cork() {
    CORK.set(new ArrayList<>());
  }

  /** Flushes every socket that got frames since {@link #cork} and stops batching. */
  public static void uncork() {
    List<Connection> cork = CORK.get();
    CORK.remove();
    if (cork == null) {
      return;
    }
    for (Connection c : cork) {
      c.corked = false;
      try {
        c.core.flush(c.coreSendFailed);
      } catch (RuntimeException e) {
        log.warn("flush to {} failed: {}", c.device, e.toString());
      }
    }
  }

  /**
   * @param liveFromMemory whether this node's own deposits may be pushed from memory: only when
   *     this node is the only writer of ids (one node), else another node's smaller id could land
   *     after a larger one was pushed
   */
  void startDelivery(MessageQueue queue, Executor executor, int window, boolean liveFromMemory) {
    synchronized (this) {
      delivery = new Delivery(queue, executor, window, liveFromMemory);
    }
    delivery.pump();
  }

  Delivery delivery() {
    return delivery;
  }

  /** The per-device delivery pump (see class comment). */
  final class Delivery {
    private final MessageQueue queue;
    private final Executor executor;
    private final int window;
    private final int freshCap;
    private final boolean liveFromMemory;
    private final AtomicInteger wip = new AtomicInteger();
    // Guarded by this Delivery.
    private final ArrayDeque<Object[]> fresh = new ArrayDeque<>();
    private final LinkedHashSet<Long> inflight = new LinkedHashSet<>();
    private boolean backlog = true;
    private long storeGeneration;
    private long lastSent;

    Delivery(MessageQueue queue, Executor executor, int window, boolean liveFromMemory) {
      this.liveFromMemory = liveFromMemory;
      this.queue = queue;
      this.executor = executor;
      this.window = window;
      this.freshCap = window * 4;
    }

    /** This node just stored {@code template} as message {@code id} for the device. */
    void offer(long id, byte[] template) {
      boolean inline;
      synchronized (this) {
        if (backlog) {
          storeGeneration++;
        } else if (fresh.size() >= freshCap) {
          fresh.clear();
          backlog = true;
          storeGeneration++;
        } else {
          fresh.add(new Object[] {id, template});
        }
        inline = !backlog;
      }
      pump(inline);
    }

    /** Something may be in the store that this node did not put there (another node). */
    void wake() {
      synchronized (this) {
        fresh.clear();
        backlog = true;
        storeGeneration++;
      }
      pump(false);
    }

    void acked(List<Long> ids) {
      boolean inline;
      synchronized (this) {
        for (Long id : ids) {
          inflight.remove(id);
        }
        inline = !backlog;
      }
      pump(inline);
    }

    void pump() {
      pump(false);
    }

    private void pump(boolean inline) {
      if (wip.getAndIncrement() == 0) {
        if (inline) {
          drain();
        } else {
          executor.execute(this::drain);
        }
      }
    }

    private void drain() {
      int missed = 1;
      do {
        try {
          drainOnce();
        } catch (Exception e) {
          log.warn("delivery to {} failed; it resumes on the next wake-up", device, e);
        }
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
    }

    private void drainOnce() throws Exception {
      while (!closed) {
        int room;
        long gen;
        long after;
        synchronized (this) {
          room = window - inflight.size();
          if (room <= 0) {
            return;
          }
          if (!backlog) {
            int sent = 0;
            while (sent < room && !fresh.isEmpty()) {
              Object[] f = fresh.poll();
              long id = (Long) f[0];
              if (id <= lastSent) {
                // Offers arrive in commit order (MessageQueue contract), so this is a duplicate of
                // one already read from the store, never a message that would be skipped.
                continue;
              }
              push(id, DeliverTemplate.withId((byte[]) f[1], id));
              sent++;
            }
            return;
          }
          gen = storeGeneration;
          after = lastSent;
        }
        List<Queued> batch = queue.fetch(device, after, room);
        synchronized (this) {
          for (Queued q : batch) {
            if (q.id() > lastSent) {
              push(q.id(), q.frame());
            }
          }
          if (batch.size() < room && gen == storeGeneration) {
            if (!liveFromMemory) {
              return; // caught up; the next offer or wake-up pumps again
            }
            backlog = false;
          }
        }
      }
    }

    // Guarded by this Delivery.
    private void push(long id, byte[] frame) {
      inflight.add(id);
      lastSent = id;
      metrics.delivered.increment();
      send(frame);
    }
  }
}
