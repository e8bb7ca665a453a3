package org.sceau.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.sceau.app.rpc.Caller;
import org.sceau.app.rpc.Chunks;
import org.sceau.app.rpc.Dispatcher;
import org.sceau.app.rpc.Frames;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client on the socket: a reader thread that frames, reassembles and validates, an executor
 * that runs the methods, and a write lock so that the chunks of one message never interleave with
 * another frame.
 */
final class Connection implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  static final String HELLO = "helper.hello";

  private final long number;
  private final SocketChannel channel;
  private final Dispatcher dispatcher;
  private final Executor executor;
  private final Runnable onClose;
  private final InputStream in;
  private final OutputStream out;
  private final Object writeLock = new Object();
  private final AtomicLong streams = new AtomicLong();
  private volatile Caller caller = Caller.CLI;
  private volatile boolean open = true;

  Connection(
      long number,
      SocketChannel channel,
      Dispatcher dispatcher,
      Executor executor,
      Runnable onClose) {
    this.number = number;
    this.channel = channel;
    this.dispatcher = dispatcher;
    this.executor = executor;
    this.onClose = onClose;
    this.in = ChannelStreams.in(channel);
    this.out = ChannelStreams.out(channel);
  }

  Caller caller() {
    return caller;
  }

  @Override
  public void run() {
    Chunks.Assembler assembler = new Chunks.Assembler();
    long frames = 0;
    try {
      while (open) {
        byte[] frame;
        try {
          frame = Frames.read(in);
        } catch (Frames.FrameTooLargeException e) {
          // The stream cannot be resynchronised after a bad length: say why, then hang up.
          LOG.warn("connection {}: frame of {} bytes refused; closing", number, e.length());
          send(
              Json.error(
                  NullNode.instance,
                  RpcError.FRAME_TOO_LARGE,
                  "A message of "
                      + e.length()
                      + " bytes is over the 1 MiB frame limit; large messages must be chunked.",
                  null));
          lingerThenClose();
          break;
        }
        if (frame == null) {
          break;
        }
        frames++;
        JsonNode node;
        try {
          node = Dispatcher.parse(frame);
        } catch (Dispatcher.Rejected r) {
          send(r.response());
          continue;
        }
        if (Chunks.isChunk(node)) {
          byte[] whole;
          try {
            whole = assembler.accept(node);
          } catch (Chunks.BadChunkException e) {
            send(Json.error(NullNode.instance, RpcError.BAD_CHUNK, e.getMessage(), null));
            continue;
          }
          if (whole == null) {
            continue;
          }
          try {
            node = Dispatcher.parse(whole);
          } catch (Dispatcher.Rejected r) {
            send(r.response());
            continue;
          }
        }
        handle(node, frames == 1);
      }
    } catch (IOException e) {
      LOG.debug("connection {} ended: {}", number, e.getClass().getSimpleName());
    } finally {
      close();
    }
  }

  private void handle(JsonNode node, boolean first) {
    Dispatcher.Request request;
    try {
      request = Dispatcher.validate(node);
    } catch (Dispatcher.Rejected r) {
      send(r.response());
      return;
    }
    if (HELLO.equals(request.method())) {
      hello(request, first);
      return;
    }
    Caller who = caller;
    executor.execute(() -> dispatcher.dispatch(request, who).ifPresent(this::send));
  }

  /**
   * The bridge announces the add-on before it forwards anything from Thunderbird; a hello anywhere
   * else is refused, so traffic from the add-on cannot upgrade itself to CLI rights.
   */
  private void hello(Dispatcher.Request request, boolean first) {
    Optional<String> client =
        Optional.ofNullable(request.params().path("client").textValue())
            .filter(c -> c.equals("addon") || c.equals("cli"));
    if (!first || client.isEmpty()) {
      if (!request.isNotification()) {
        send(
            Json.error(
                request.id(),
                RpcError.FORBIDDEN,
                "helper.hello is only accepted as a connection's first message.",
                null));
      }
      return;
    }
    caller = client.get().equals("addon") ? Caller.ADDON : Caller.CLI;
    LOG.info("connection {} is {}", number, caller);
    if (!request.isNotification()) {
      send(Json.result(request.id(), Json.object().put("caller", caller.name())));
    }
  }

  /** Sends one message, chunked when it is larger than a frame. Safe from any thread. */
  void send(JsonNode message) {
    byte[] bytes = Json.bytes(message);
    synchronized (writeLock) {
      if (!open) {
        return;
      }
      try {
        if (bytes.length <= Frames.MAX_FRAME_BYTES) {
          Frames.write(out, bytes);
        } else if (bytes.length <= Chunks.MAX_MESSAGE_BYTES) {
          String stream = "h" + streams.incrementAndGet();
          for (byte[] chunk : Chunks.split(stream, bytes)) {
            Frames.write(out, chunk);
          }
        } else {
          JsonNode id = message.path("id");
          Frames.write(
              out,
              Json.bytes(
                  Json.error(
                      id.isMissingNode() ? NullNode.instance : id,
                      RpcError.FRAME_TOO_LARGE,
                      "The result is larger than 64 MiB and cannot be sent.",
                      null)));
        }
      } catch (IOException e) {
        LOG.debug("connection {}: write failed: {}", number, e.getClass().getSimpleName());
        closeQuietly();
      }
    }
  }

  /**
   * Closing a Unix socket that still holds unread bytes resets the peer, which would then lose the
   * error we just sent. Half-close, discard a bounded amount of what the peer still sends, and
   * close after two seconds at the latest.
   */
  private void lingerThenClose() {
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      return;
    }
    java.util.concurrent.CompletableFuture.delayedExecutor(2, java.util.concurrent.TimeUnit.SECONDS)
        .execute(this::closeQuietly);
    byte[] sink = new byte[8192];
    long drained = 0;
    try {
      int n;
      while (drained < Frames.MAX_FRAME_BYTES && (n = in.read(sink, 0, sink.length)) > 0) {
        drained += n;
      }
    } catch (IOException e) {
      // Closed by the timer or by the peer: either way, done.
    }
  }

  void close() {
    boolean wasOpen;
    synchronized (writeLock) {
      wasOpen = open;
      open = false;
    }
    closeQuietly();
    if (wasOpen) {
      onClose.run();
    }
  }

  private void closeQuietly() {
    open = false;
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing a socket that already failed.
    }
  }
}
