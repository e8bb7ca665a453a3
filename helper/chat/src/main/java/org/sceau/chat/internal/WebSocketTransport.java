package org.sceau.chat.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.sceau.chat.ChatException;
import org.sceau.chat.ChatException.Code;
import org.sceau.chat.ChatTransport;
import org.sceau.chat.wire.DeviceAuth;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.ErrorCode;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.GroupId;
import org.sceau.chat.wire.PayloadKind;
import org.sceau.chat.wire.WireCodec;
import org.sceau.chat.wire.WireException;

/**
 * {@link ChatTransport} over the relay's WebSocket protocol ({@code org.sceau.chat.wire}, one
 * binary message per frame, endpoint {@code /v1/ws}), with the JDK's WebSocket client. {@code
 * wss://} uses the JDK's TLS and trust store; plain {@code ws://} is for loopback tests.
 *
 * <p>Requests are matched to replies by request id and time out after {@code timeout}; a timeout or
 * a dropped socket is {@code OFFLINE}, so the client queues and reconnects.
 */
public final class WebSocketTransport implements ChatTransport {
  private final URI uri;
  private final HttpClient http;
  private final WireCodec codec;
  private final Duration timeout;

  public WebSocketTransport(URI uri, Duration timeout) {
    this(
        uri,
        HttpClient.newBuilder().connectTimeout(timeout).build(),
        WireCodec.standard(),
        timeout);
  }

  public WebSocketTransport(URI uri, HttpClient http, WireCodec codec, Duration timeout) {
    String scheme = uri.getScheme();
    if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
      throw new IllegalArgumentException("relay URI must be ws:// or wss://");
    }
    this.uri = uri;
    this.http = http;
    this.codec = codec;
    this.timeout = timeout;
  }

  @Override
  public Connection connect(DeviceKey key, boolean register, Sink sink) throws ChatException {
    try {
      return open(key, register, sink);
    } catch (ChatException e) {
      if (!register && e.getMessage() != null && e.getMessage().contains("not registered")) {
        // The relay lost our registration (a reset store): register again.
        return open(key, true, sink);
      }
      throw e;
    }
  }

  private Conn open(DeviceKey key, boolean register, Sink sink) throws ChatException {
    Conn c = new Conn(sink);
    try {
      WebSocket ws =
          http.newWebSocketBuilder()
              .connectTimeout(timeout)
              .buildAsync(uri, c)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      c.ws = ws;
      Frame first = c.handshakeFrame.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!(first instanceof Frame.Challenge ch)) {
        throw c.refuse(first);
      }
      c.handshakeFrame = new CompletableFuture<>();
      c.sendFrame(DeviceAuth.answer(ch, key, register));
      Frame reply = c.handshakeFrame.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!(reply instanceof Frame.AuthOk)) {
        throw c.refuse(reply);
      }
      c.flushEarly();
      return c;
    } catch (ChatException e) {
      c.close();
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.close();
      throw new ChatException(Code.OFFLINE);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      c.close();
      throw new ChatException(Code.OFFLINE, Code.OFFLINE.userMessage(), e);
    }
  }

  private final class Conn implements Connection, WebSocket.Listener {
    private final Sink sink;
    volatile WebSocket ws;
    volatile CompletableFuture<Frame> handshakeFrame = new CompletableFuture<>();
    final AtomicBoolean authenticated = new AtomicBoolean();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final java.util.List<Frame.Deliver> early = new java.util.ArrayList<>();
    private ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final Object sendLock = new Object();

    Conn(Sink sink) {
      this.sink = sink;
    }

    // ---- WebSocket.Listener (one callback at a time, per the JDK's contract) ----

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      int max = codec.limits().maxFrameBytes();
      if (partial.size() + data.remaining() > max) {
        fail(new ChatException(Code.MALFORMED, "The relay sent an oversized frame."));
        webSocket.abort();
        return null;
      }
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.write(chunk, 0, chunk.length);
      if (last) {
        byte[] frame = partial.toByteArray();
        partial = new ByteArrayOutputStream();
        try {
          dispatch(codec.decode(frame));
        } catch (WireException e) {
          fail(new ChatException(Code.MALFORMED, "The relay sent an unreadable frame."));
          webSocket.abort();
          return null;
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      webSocket.request(1); // the protocol is binary-only; ignore text
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      fail(new ChatException(Code.OFFLINE));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      fail(new ChatException(Code.OFFLINE, Code.OFFLINE.userMessage(), error));
    }

    private void dispatch(Frame f) {
      if (f instanceof Frame.Deliver d) {
        synchronized (early) {
          if (!authenticated.get()) {
            early.add(d); // pushed right after AuthOk, before connect() returned
            return;
          }
        }
        sink.deliver(d);
        return;
      }
      if (f instanceof Frame.Challenge || f instanceof Frame.AuthOk) {
        handshakeFrame.complete(f);
        return;
      }
      int rid = requestId(f);
      if (rid == 0) {
        if (!authenticated.get()) {
          handshakeFrame.complete(f);
        } else {
          fail(new ChatException(Code.OFFLINE, "The relay closed the session."));
          ws.abort();
        }
        return;
      }
      CompletableFuture<Frame> p = pending.remove(rid);
      if (p != null) {
        p.complete(f);
      }
    }

    /** Marks the session authenticated and hands over what arrived meanwhile, in order. */
    void flushEarly() {
      synchronized (early) {
        authenticated.set(true);
        early.forEach(sink::deliver); // non-blocking: the client queues them
        early.clear();
      }
    }

    private int requestId(Frame f) {
      if (f instanceof Frame.Ok o) {
        return o.requestId();
      }
      if (f instanceof Frame.HandshakeAccepted h) {
        return h.requestId();
      }
      if (f instanceof Frame.Claimed c) {
        return c.requestId();
      }
      if (f instanceof Frame.Error e) {
        return e.requestId();
      }
      return 0;
    }

    private void fail(ChatException cause) {
      if (!open.compareAndSet(true, false)) {
        return;
      }
      handshakeFrame.completeExceptionally(cause);
      for (CompletableFuture<Frame> p : pending.values()) {
        p.completeExceptionally(cause);
      }
      pending.clear();
      if (authenticated.get()) {
        sink.closed(cause);
      }
    }

    ChatException refuse(Frame f) {
      if (f instanceof Frame.Error e) {
        return map(e);
      }
      return new ChatException(Code.RELAY_REFUSED, "The relay answered out of protocol.");
    }

    void sendFrame(Frame f) throws ChatException {
      byte[] bytes = codec.encode(f);
      try {
        // The JDK allows one outstanding send per WebSocket.
        synchronized (sendLock) {
          ws.sendBinary(ByteBuffer.wrap(bytes), true)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChatException(Code.OFFLINE);
      } catch (ExecutionException | TimeoutException e) {
        fail(new ChatException(Code.OFFLINE));
        throw new ChatException(Code.OFFLINE);
      }
    }

    private Frame request(java.util.function.IntFunction<Frame> build) throws ChatException {
      if (!open.get()) {
        throw new ChatException(Code.OFFLINE);
      }
      int id = ids.incrementAndGet();
      if (id == 0) {
        id = ids.incrementAndGet();
      }
      CompletableFuture<Frame> reply = new CompletableFuture<>();
      pending.put(id, reply);
      try {
        sendFrame(build.apply(id));
        Frame f = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f instanceof Frame.Error e) {
          throw map(e);
        }
        return f;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChatException(Code.OFFLINE);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof ChatException ce ? ce : new ChatException(Code.OFFLINE);
      } catch (TimeoutException e) {
        throw new ChatException(Code.OFFLINE, "The chat relay did not answer in time.");
      } catch (IllegalArgumentException e) {
        // The wire codec refuses a frame over its limits before sending it.
        throw new ChatException(Code.INVALID_ARGUMENT, "The message is too large for the relay.");
      } finally {
        pending.remove(id);
      }
    }

    // ---- Connection ----

    @Override
    public long send(List<DeviceId> recipients, byte[] payload) throws ChatException {
      Frame f = request(id -> new Frame.Send(id, recipients, payload));
      return f instanceof Frame.Ok ok ? ok.value() : 0;
    }

    @Override
    public long handshake(
        PayloadKind kind, GroupId group, long epoch, List<DeviceId> recipients, byte[] payload)
        throws ChatException {
      Frame f = request(id -> new Frame.Handshake(id, kind, group, epoch, recipients, payload));
      if (f instanceof Frame.HandshakeAccepted h) {
        return h.groupSeq();
      }
      throw new ChatException(Code.RELAY_REFUSED, "The relay answered out of protocol.");
    }

    @Override
    public void publishKeyPackages(List<byte[]> oneTime, byte[] lastResort) throws ChatException {
      request(id -> new Frame.PublishKeyPackages(id, oneTime, lastResort));
    }

    @Override
    public byte[] claimKeyPackage(DeviceId device) throws ChatException {
      Frame f = request(id -> new Frame.Claim(id, device));
      if (f instanceof Frame.Claimed c && c.device().equals(device)) {
        return c.keyPackage();
      }
      throw new ChatException(Code.RELAY_REFUSED, "The relay answered out of protocol.");
    }

    @Override
    public void ack(List<Long> messageIds) throws ChatException {
      if (!open.get()) {
        throw new ChatException(Code.OFFLINE);
      }
      sendFrame(new Frame.Ack(messageIds));
    }

    @Override
    public boolean isOpen() {
      return open.get();
    }

    @Override
    public void close() {
      WebSocket w = ws;
      boolean wasOpen = open.get();
      fail(new ChatException(Code.OFFLINE));
      if (w != null && wasOpen) {
        try {
          w.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
          w.abort();
        }
      }
    }
  }

  /** Relay error codes to the client's, keeping the relay's own user message. */
  static ChatException map(Frame.Error e) {
    ErrorCode c = e.code();
    if (c == null) {
      return new ChatException(Code.RELAY_REFUSED);
    }
    return switch (c) {
      case EPOCH_CONFLICT -> new ChatException(Code.COMMIT_CONFLICT, c.userMessage());
      case NO_KEY_PACKAGE -> new ChatException(Code.NO_KEY_PACKAGE, c.userMessage());
      case RATE_LIMITED, INTERNAL -> new ChatException(Code.OFFLINE, c.userMessage());
      case UNKNOWN_DEVICE ->
          new ChatException(Code.RELAY_REFUSED, "This device is not registered on the relay.");
      case TOO_LARGE -> new ChatException(Code.INVALID_ARGUMENT, c.userMessage());
      default -> new ChatException(Code.RELAY_REFUSED, c.userMessage());
    };
  }
}
