package org.sceau.bitmessage.node.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.sceau.bitmessage.MalformedObjectException;
import org.sceau.bitmessage.ObjectCodec;
import org.sceau.bitmessage.PacketCodec;
import org.sceau.bitmessage.TooLargeException;
import org.sceau.bitmessage.node.NodeStatus;
import org.sceau.bitmessage.node.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer: a reader thread (blocking reads, bounded lengths, rate-limited) and a writer thread
 * draining a bounded send queue. A peer that does not read fills only its own queue and is then
 * disconnected; it never blocks the node.
 */
final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  /** Bytes queued for one peer before it counts as too slow and is dropped. */
  static final long SEND_QUEUE_LIMIT = 16L << 20;

  /** Objects a peer may have asked for and not yet been sent. */
  static final int UPLOAD_LIMIT = 100_000;

  /** Announced objects the node still has to fetch from this peer. */
  static final int WANTED_LIMIT = 200_000;

  /** getdata entries outstanding towards one peer. */
  static final int REQUEST_WINDOW = 1000;

  /** Received bytes per second per peer, sustained, and its burst: faster peers are throttled. */
  static final long RATE_BYTES = 16L << 20;

  static final long BURST_BYTES = 64L << 20;

  /** Misbehaviour points at which the peer is disconnected and banned. */
  static final int BAN_SCORE = Bans.BAN_SCORE;

  final int id = IDS.incrementAndGet();
  final Engine engine;
  final Socket socket;
  final boolean outbound;

  /** What was dialled (outbound); for inbound peers set from their version. */
  volatile PeerAddress peer;

  final InetAddress remoteIp;

  // Handshake state: reader thread only, except the volatile results.
  boolean versionReceived;
  boolean verackReceived;
  volatile boolean established;
  volatile long services;
  volatile String userAgent = "";
  volatile long remoteNonce;
  volatile boolean closed;
  volatile long lastReceiveNanos = System.nanoTime();
  volatile long lastSendNanos = System.nanoTime();

  private final ReentrantLock sendLock = new ReentrantLock();
  private final Condition sendReady = sendLock.newCondition();
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private final ArrayDeque<HashKey> uploads = new ArrayDeque<>();
  private long queuedBytes;
  private boolean closeWhenFlushed;

  // Download state, guarded by dl.
  final Object dl = new Object();
  final ArrayDeque<HashKey> wanted = new ArrayDeque<>();
  final ArrayDeque<HashKey> deferred = new ArrayDeque<>();
  final Set<HashKey> requested = new HashSet<>();
  long lastDeliveryNanos = System.nanoTime();

  // Announcements waiting for the next flush, guarded by themselves.
  final List<HashKey> pendingInv = new ArrayList<>();
  final List<HashKey> pendingDinv = new ArrayList<>();

  private double tokens = BURST_BYTES;
  private long tokensAtNanos = System.nanoTime();

  Connection(Engine engine, Socket socket, boolean outbound, PeerAddress peer) {
    this.engine = engine;
    this.socket = socket;
    this.outbound = outbound;
    this.peer = peer;
    this.remoteIp = socket.getInetAddress();
  }

  void start() {
    Thread r = new Thread(this::readLoop, "bm-peer-" + id + "-read");
    Thread w = new Thread(this::writeLoop, "bm-peer-" + id + "-write");
    r.setDaemon(true);
    w.setDaemon(true);
    r.start();
    w.start();
  }

  String describe() {
    if (peer != null) {
      return peer.toString();
    }
    return remoteIp == null ? "?" : remoteIp.getHostAddress();
  }

  NodeStatus.Peer status() {
    return new NodeStatus.Peer(
        describe(),
        outbound ? NodeStatus.Direction.OUTBOUND : NodeStatus.Direction.INBOUND,
        userAgent);
  }

  // ---- receiving

  private void readLoop() {
    try {
      socket.setSoTimeout(Engine.HANDSHAKE_TIMEOUT_MS);
      InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      byte[] head = new byte[PacketCodec.HEADER_LENGTH];
      while (!closed) {
        int n = in.readNBytes(head, 0, head.length);
        if (n < head.length) {
          throw new EOFException();
        }
        PacketCodec.Header h;
        try {
          h = PacketCodec.decodeHeader(head, 0);
        } catch (MalformedObjectException e) {
          // No magic where a packet must start: the stream cannot be resynchronised.
          engine.onProtocolViolation(this, "garbage instead of a packet header");
          return;
        } catch (TooLargeException e) {
          engine.onProtocolViolation(this, "packet length over the 1.6 MB limit");
          return;
        }
        throttle(PacketCodec.HEADER_LENGTH + (long) h.length());
        if (h.command().equals("object") && h.length() > ObjectCodec.MAX_OBJECT_LENGTH) {
          // PyBitmessage skips objects over 2^18 bytes; skipping unread spares the allocation.
          in.skipNBytes(h.length());
          lastReceiveNanos = System.nanoTime();
          misbehave(10, "object over 2^18 bytes");
          continue;
        }
        byte[] payload = in.readNBytes(h.length());
        if (payload.length < h.length()) {
          throw new EOFException();
        }
        lastReceiveNanos = System.nanoTime();
        if (!MessageDigest.isEqual(Digests.checksum(payload), h.checksum())) {
          // PyBitmessage marks the packet invalid and closes the connection.
          engine.onProtocolViolation(this, "bad checksum", 25);
          return;
        }
        engine.handle(this, h.command(), payload);
      }
    } catch (SocketTimeoutException e) {
      close(established ? "idle timeout" : "handshake timeout");
    } catch (IOException e) {
      close("connection lost");
    } catch (RuntimeException e) {
      if (!engine.isClosing()) {
        LOG.warn("peer {} handler failed", id, e);
      }
      close("internal error");
    } finally {
      close("closed");
    }
  }

  /** Token bucket on received bytes: sleeping stops reading, and TCP slows the sender down. */
  private void throttle(long bytes) throws IOException {
    long now = System.nanoTime();
    tokens = Math.min(BURST_BYTES, tokens + (now - tokensAtNanos) * 1e-9 * RATE_BYTES);
    tokensAtNanos = now;
    tokens -= bytes;
    if (tokens < 0) {
      long sleepMs = (long) (-tokens * 1000 / RATE_BYTES);
      try {
        Thread.sleep(Math.max(1, sleepMs));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
  }

  /**
   * Adds misbehaviour points to the peer's address (they add up across its connections); at {@link
   * #BAN_SCORE} the peer is disconnected and the address banned.
   */
  void misbehave(int points, String why) {
    LOG.debug("peer {} misbehaves: {}", id, why);
    engine.misbehave(this, points, why);
  }

  // ---- sending

  /** Queues a frame; a peer whose queue overflows is too slow and is dropped. */
  void send(byte[] frame) {
    sendLock.lock();
    try {
      if (closed || closeWhenFlushed) {
        return;
      }
      if (queuedBytes + frame.length > SEND_QUEUE_LIMIT) {
        closed = true;
      } else {
        queue.add(frame);
        queuedBytes += frame.length;
        sendReady.signal();
        return;
      }
    } finally {
      sendLock.unlock();
    }
    close("send queue full (peer too slow)");
  }

  long queuedBytes() {
    sendLock.lock();
    try {
      return queuedBytes;
    } finally {
      sendLock.unlock();
    }
  }

  /** Queues objects the peer asked for; they are read from the store only when sent. */
  void upload(List<HashKey> keys) {
    sendLock.lock();
    try {
      for (HashKey k : keys) {
        if (uploads.size() >= UPLOAD_LIMIT) {
          break;
        }
        uploads.add(k);
      }
      sendReady.signal();
    } finally {
      sendLock.unlock();
    }
  }

  /** Sends what is queued, then closes (after a fatal {@code error}). */
  void closeAfterFlush(String why) {
    sendLock.lock();
    try {
      closeWhenFlushed = true;
      uploads.clear();
      sendReady.signal();
    } finally {
      sendLock.unlock();
    }
    LOG.debug("peer {} closing after flush: {}", id, why);
  }

  private void writeLoop() {
    try {
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
      while (true) {
        byte[] f;
        HashKey up = null;
        sendLock.lock();
        try {
          while (!closed
              && queue.isEmpty()
              && (uploads.isEmpty() || !established)
              && !closeWhenFlushed) {
            sendReady.await();
          }
          if (closed) {
            return;
          }
          f = queue.poll();
          if (f != null) {
            queuedBytes -= f.length;
          } else if (closeWhenFlushed) {
            out.flush();
            break;
          } else {
            up = uploads.poll();
          }
        } finally {
          sendLock.unlock();
        }
        if (f == null) {
          f = engine.objectFrame(this, up);
          if (f == null) {
            continue;
          }
        }
        out.write(f);
        lastSendNanos = System.nanoTime();
        if (nothingQueued()) {
          out.flush();
        }
      }
    } catch (IOException | RuntimeException e) {
      // The reader notices too; closing here frees it at once. (A store closed under a shutting
      // down node ends up here as well.)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close("write side ended");
  }

  private boolean nothingQueued() {
    sendLock.lock();
    try {
      return queue.isEmpty() && (uploads.isEmpty() || !established);
    } finally {
      sendLock.unlock();
    }
  }

  void close(String why) {
    sendLock.lock();
    boolean first;
    try {
      first = !socketClosed;
      socketClosed = true;
      closed = true;
      queue.clear();
      uploads.clear();
      queuedBytes = 0;
      sendReady.signalAll();
    } finally {
      sendLock.unlock();
    }
    if (first) {
      try {
        socket.close();
      } catch (IOException e) {
        // Nothing more to release.
      }
      LOG.debug("peer {} closed: {}", id, why);
      engine.onClosed(this);
    }
  }

  private boolean socketClosed;
}
