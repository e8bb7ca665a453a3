package org.sceau.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.sceau.app.rpc.Chunks;
import org.sceau.app.rpc.Frames;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.app.server.ChannelStreams;

/**
 * A blocking JSON-RPC client of the helper's socket, for the CLI and tests. One call at a time;
 * notifications that arrive meanwhile go to the listener. Large requests and responses are chunked
 * and reassembled transparently.
 */
public final class HelperClient implements AutoCloseable {
  private final SocketChannel channel;
  private final InputStream in;
  private final OutputStream out;
  private final Chunks.Assembler assembler = new Chunks.Assembler();
  private Consumer<JsonNode> notificationListener = n -> {};
  private long nextId;
  private long nextStream;

  private HelperClient(SocketChannel channel) {
    this.channel = channel;
    this.in = ChannelStreams.in(channel);
    this.out = ChannelStreams.out(channel);
  }

  /**
   * Connects to the helper.
   *
   * @throws HelperUnreachableException if nothing listens on the socket
   */
  public static HelperClient connect(Path socket) throws HelperUnreachableException {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      return new HelperClient(channel);
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Nothing was sent; the socket is simply not there.
        }
      }
      throw new HelperUnreachableException(socket, e);
    }
  }

  public void onNotification(Consumer<JsonNode> listener) {
    this.notificationListener = listener;
  }

  /**
   * Calls a method and waits for its result.
   *
   * @throws RpcException the helper's error, typed
   * @throws IOException if the connection fails
   */
  public JsonNode call(String method, JsonNode params) throws RpcException, IOException {
    long id = ++nextId;
    send(Json.request(id, method, params));
    while (true) {
      JsonNode message = receive();
      if (message == null) {
        throw new IOException("the helper closed the connection");
      }
      JsonNode mid = message.get("id");
      if (mid == null) {
        notificationListener.accept(message);
        continue;
      }
      if (message.has("error")) {
        JsonNode err = message.get("error");
        if (mid.isNull() || mid.asLong() == id) {
          throw new RpcException(
              new RpcError(err.path("code").asInt(), err.path("data").path("type").asText("ERROR")),
              err.path("message").asText(""),
              err.path("data"));
        }
      }
      if (mid.canConvertToLong() && mid.asLong() == id) {
        return message.get("result");
      }
    }
  }

  /** Sends one message, chunked if needed. */
  public void send(JsonNode message) throws IOException {
    byte[] bytes = Json.bytes(message);
    if (bytes.length <= Frames.MAX_FRAME_BYTES) {
      Frames.write(out, bytes);
      return;
    }
    for (byte[] chunk : Chunks.split("c" + (++nextStream), bytes)) {
      Frames.write(out, chunk);
    }
  }

  /** Reads the next whole message (chunks reassembled), or null at end of stream. */
  public JsonNode receive() throws IOException {
    while (true) {
      byte[] frame = Frames.read(in);
      if (frame == null) {
        return null;
      }
      JsonNode node = Json.parse(frame);
      if (!Chunks.isChunk(node)) {
        return node;
      }
      try {
        byte[] whole = assembler.accept(node);
        if (whole != null) {
          return Json.parse(whole);
        }
      } catch (Chunks.BadChunkException e) {
        throw new IOException("the helper sent a malformed chunk: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
