package org.sceau.relay;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sceau.chat.wire.DeviceAuth;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.WireCodec;

/** A real WebSocket client (java.net.http) speaking the relay protocol, for tests. */
final class TestClient implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final WireCodec CODEC = WireCodec.standard();

  final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
  final WebSocket ws;
  final Frame.Challenge challenge;
  private final AtomicInteger nextRequest = new AtomicInteger(1);

  private TestClient(URI uri) throws Exception {
    ws =
        HTTP.newWebSocketBuilder()
            .buildAsync(
                uri,
                new WebSocket.Listener() {
                  private java.io.ByteArrayOutputStream partial =
                      new java.io.ByteArrayOutputStream();

                  @Override
                  public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    partial.write(b, 0, b.length);
                    if (last) {
                      byte[] all = partial.toByteArray();
                      partial = new java.io.ByteArrayOutputStream();
                      try {
                        inbox.add(CODEC.decode(all));
                      } catch (Exception e) {
                        inbox.add(e);
                      }
                    }
                    w.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                    closedWith.complete(code);
                    return null;
                  }

                  @Override
                  public void onError(WebSocket w, Throwable error) {
                    closedWith.complete(-1);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    Object first = inbox.poll(10, TimeUnit.SECONDS);
    if (first instanceof Frame.Challenge c) {
      challenge = c;
    } else {
      challenge = null;
      refusal = first;
    }
  }

  /** What came instead of the challenge (a refusal), or null. */
  Object refusal;

  static TestClient connect(URI uri) throws Exception {
    return new TestClient(uri);
  }

  /** Connects and authenticates; returns the client after AuthOk. */
  static TestClient login(URI uri, DeviceKey key, boolean register) throws Exception {
    TestClient c = connect(uri);
    c.sendFrame(DeviceAuth.answer(c.challenge, key, register));
    c.next(Frame.AuthOk.class);
    return c;
  }

  int requestId() {
    return nextRequest.getAndIncrement();
  }

  void sendFrame(Frame f) throws Exception {
    sendRaw(CODEC.encode(f));
  }

  void sendRaw(byte[] b) throws Exception {
    ws.sendBinary(ByteBuffer.wrap(b), true).get(10, TimeUnit.SECONDS);
  }

  Frame.Ok send(List<DeviceId> to, byte[] payload) throws Exception {
    int id = requestId();
    sendFrame(new Frame.Send(id, to, payload));
    return await(Frame.Ok.class);
  }

  Object poll(long millis) throws InterruptedException {
    return inbox.poll(millis, TimeUnit.MILLISECONDS);
  }

  <T extends Frame> T next(Class<T> type) throws Exception {
    Object o = inbox.poll(10, TimeUnit.SECONDS);
    assertNotNull(o, "no frame within 10 s, expected " + type.getSimpleName());
    return assertInstanceOf(type, o, () -> "got " + o);
  }

  /** The next frame of {@code type}, setting aside others (kept for later {@link #next} calls). */
  <T extends Frame> T await(Class<T> type) throws Exception {
    List<Object> aside = new ArrayList<>();
    try {
      while (true) {
        Object o = inbox.poll(10, TimeUnit.SECONDS);
        assertNotNull(o, "no " + type.getSimpleName() + " within 10 s");
        if (type.isInstance(o)) {
          return type.cast(o);
        }
        aside.add(o);
      }
    } finally {
      List<Object> rest = new ArrayList<>(aside);
      inbox.drainTo(rest);
      inbox.addAll(rest);
    }
  }

  List<Frame.Deliver> deliveries(int n) throws Exception {
    List<Frame.Deliver> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(next(Frame.Deliver.class));
    }
    return out;
  }

  void ack(List<Frame.Deliver> ds) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (Frame.Deliver d : ds) {
      ids.add(d.messageId());
    }
    sendFrame(new Frame.Ack(ids));
  }

  @Override
  public void close() {
    try {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
      closedWith.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      ws.abort();
    }
  }
}
