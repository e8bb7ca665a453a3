package org.sceau.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.GroupId;
import org.sceau.chat.wire.PayloadKind;

/**
 * An in-process relay with the guarantees {@link ChatTransport} promises (per-device mailboxes kept
 * until acknowledged and redelivered in order with the same ids, one commit per group epoch, a
 * KeyPackage directory), plus knobs for tests: stop/start (a relay outage), holding a device's
 * deliveries, reordering, injecting copies (replay) or modified payloads (tampering). It is not the
 * real relay (relay/): end-to-end tests over WebSockets live with the relay module.
 */
final class LoopbackRelay implements ChatTransport {
  private final Object mu = new Object();
  private final Map<DeviceId, Deque<Frame.Deliver>> mailboxes = new HashMap<>();
  private final Map<DeviceId, Conn> online = new HashMap<>();
  private final Map<GroupId, Long> groupEpoch = new HashMap<>();
  private final Map<GroupId, Long> groupSeq = new HashMap<>();
  private final Map<DeviceId, Deque<byte[]>> keyPackages = new HashMap<>();
  private final Map<DeviceId, byte[]> lastResort = new HashMap<>();
  private final Set<DeviceId> registered = new HashSet<>();
  private final Set<DeviceId> held = new HashSet<>();

  /** Every payload the relay ever handled, for plaintext scans. */
  final List<byte[]> seen = new ArrayList<>();

  /** Every delivery made, per device, for tests that replay or tamper. */
  final Map<DeviceId, List<Frame.Deliver>> delivered = new HashMap<>();

  private long nextId = 1;
  private boolean down;

  // ---- test knobs ----

  /** A relay outage: every connection drops, new ones fail, mailboxes survive. */
  void stop() {
    List<Conn> conns;
    synchronized (mu) {
      down = true;
      conns = new ArrayList<>(online.values());
      online.clear();
    }
    for (Conn c : conns) {
      c.drop(new java.io.IOException("relay stopped"));
    }
  }

  void start() {
    synchronized (mu) {
      down = false;
    }
  }

  /** Stops pushing to {@code d} (its mailbox still fills). */
  void hold(DeviceId d) {
    synchronized (mu) {
      held.add(d);
    }
  }

  void release(DeviceId d) {
    Conn c;
    List<Frame.Deliver> pending;
    synchronized (mu) {
      held.remove(d);
      c = online.get(d);
      pending = new ArrayList<>(mailbox(d));
      if (c != null) {
        for (Frame.Deliver x : pending) {
          c.push(x);
        }
      }
    }
  }

  /** Swaps the last two queued deliveries of a held device (a reordering network). */
  void swapLastTwo(DeviceId d) {
    synchronized (mu) {
      Deque<Frame.Deliver> q = mailbox(d);
      Frame.Deliver last = q.pollLast();
      Frame.Deliver before = q.pollLast();
      q.addLast(renumber(last, before.messageId()));
      q.addLast(renumber(before, last.messageId()));
    }
  }

  /** Drops the last queued delivery of a held device (it never arrives). */
  Frame.Deliver dropLast(DeviceId d) {
    synchronized (mu) {
      return mailbox(d).pollLast();
    }
  }

  int queuedFor(DeviceId d) {
    synchronized (mu) {
      return mailbox(d).size();
    }
  }

  /** Deposits {@code payload} for {@code to} as if {@code template} arrived again. */
  void inject(DeviceId to, Frame.Deliver template, byte[] payload, boolean sameId) {
    Frame.Deliver d;
    Conn c;
    synchronized (mu) {
      long id = sameId ? template.messageId() : nextId++;
      d =
          new Frame.Deliver(
              id,
              template.sender(),
              template.receivedAtMillis(),
              template.kind(),
              template.group(),
              template.epoch(),
              template.groupSeq(),
              payload);
      mailbox(to).addLast(d);
      c = held.contains(to) ? null : online.get(to);
      if (c != null) {
        c.push(d);
      }
    }
  }

  List<Frame.Deliver> deliveredTo(DeviceId d) {
    synchronized (mu) {
      return new ArrayList<>(delivered.getOrDefault(d, List.of()));
    }
  }

  private static Frame.Deliver renumber(Frame.Deliver d, long id) {
    return new Frame.Deliver(
        id,
        d.sender(),
        d.receivedAtMillis(),
        d.kind(),
        d.group(),
        d.epoch(),
        d.groupSeq(),
        d.payload());
  }

  private Deque<Frame.Deliver> mailbox(DeviceId d) {
    return mailboxes.computeIfAbsent(d, k -> new ArrayDeque<>());
  }

  // ---- ChatTransport ----

  @Override
  public Connection connect(DeviceKey key, boolean register, Sink sink) throws ChatException {
    DeviceId me = key.deviceId();
    Conn c;
    List<Frame.Deliver> pending;
    synchronized (mu) {
      if (down) {
        throw new ChatException(ChatException.Code.OFFLINE);
      }
      if (!registered.contains(me)) {
        if (!register) {
          throw new ChatException(ChatException.Code.RELAY_REFUSED, "unknown device");
        }
        registered.add(me);
      }
      Conn old = online.remove(me);
      if (old != null) {
        old.drop(null);
      }
      c = new Conn(me, sink);
      online.put(me, c);
      pending = held.contains(me) ? List.of() : new ArrayList<>(mailbox(me));
      for (Frame.Deliver d : pending) {
        c.push(d);
      }
    }
    return c;
  }

  private void deposit(
      DeviceId from,
      List<DeviceId> to,
      PayloadKind kind,
      GroupId g,
      long epoch,
      long seq,
      byte[] payload)
      throws ChatException {
    // Queued for pushing under the lock: pushes must leave in id order, as the real relay's do.
    synchronized (mu) {
      for (DeviceId r : to) {
        if (!registered.contains(r)) {
          throw new ChatException(ChatException.Code.RELAY_REFUSED, "unknown recipient");
        }
      }
      seen.add(payload.clone());
      for (DeviceId r : to) {
        Frame.Deliver d =
            new Frame.Deliver(
                nextId++, from, System.currentTimeMillis(), kind, g, epoch, seq, payload);
        mailbox(r).addLast(d);
        Conn c = held.contains(r) ? null : online.get(r);
        if (c != null) {
          c.push(d);
        }
      }
    }
  }

  private final class Conn implements Connection {
    private final DeviceId me;
    private final Sink sink;
    private final ExecutorService pusher;
    private volatile boolean open = true;

    Conn(DeviceId me, Sink sink) {
      this.me = me;
      this.sink = sink;
      this.pusher =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "loopback-push-" + me.hex().substring(0, 6));
                t.setDaemon(true);
                return t;
              });
    }

    void push(Frame.Deliver d) {
      try {
        pusher.execute(
            () -> {
              if (open) {
                synchronized (mu) {
                  delivered.computeIfAbsent(me, k -> new ArrayList<>()).add(d);
                }
                sink.deliver(d);
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // connection gone
      }
    }

    void drop(Throwable cause) {
      if (!open) {
        return;
      }
      open = false;
      pusher.shutdownNow();
      sink.closed(cause);
    }

    private void check() throws ChatException {
      synchronized (mu) {
        if (!open || down || online.get(me) != this) {
          throw new ChatException(ChatException.Code.OFFLINE);
        }
      }
    }

    @Override
    public long send(List<DeviceId> recipients, byte[] payload) throws ChatException {
      check();
      deposit(me, recipients, PayloadKind.MESSAGE, null, 0, 0, payload);
      return recipients.size();
    }

    @Override
    public long handshake(
        PayloadKind kind, GroupId group, long epoch, List<DeviceId> recipients, byte[] payload)
        throws ChatException {
      check();
      long seq;
      synchronized (mu) {
        Long current = groupEpoch.get(group);
        if (current != null && current != epoch) {
          throw new ChatException(ChatException.Code.COMMIT_CONFLICT);
        }
        if (current == null) {
          groupEpoch.put(group, epoch);
        }
        if (kind == PayloadKind.COMMIT) {
          groupEpoch.put(group, epoch + 1);
        }
        seq = groupSeq.merge(group, 1L, Long::sum);
      }
      deposit(me, recipients, kind, group, epoch, seq, payload);
      return seq;
    }

    @Override
    public void publishKeyPackages(List<byte[]> oneTime, byte[] last) throws ChatException {
      check();
      synchronized (mu) {
        keyPackages.computeIfAbsent(me, k -> new ArrayDeque<>()).addAll(oneTime);
        if (last != null) {
          lastResort.put(me, last);
        }
      }
    }

    @Override
    public byte[] claimKeyPackage(DeviceId device) throws ChatException {
      check();
      synchronized (mu) {
        Deque<byte[]> q = keyPackages.get(device);
        if (q != null && !q.isEmpty()) {
          return q.pollFirst();
        }
        byte[] l = lastResort.get(device);
        if (l == null) {
          throw new ChatException(ChatException.Code.NO_KEY_PACKAGE);
        }
        return l;
      }
    }

    @Override
    public void ack(List<Long> ids) throws ChatException {
      check();
      synchronized (mu) {
        mailbox(me).removeIf(d -> ids.contains(d.messageId()));
      }
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      synchronized (mu) {
        if (online.get(me) == this) {
          online.remove(me);
        }
      }
      drop(null);
    }
  }
}
