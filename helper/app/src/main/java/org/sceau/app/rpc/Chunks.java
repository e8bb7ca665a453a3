package org.sceau.app.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages larger than one frame travel as an ordered series of {@code rpc.chunk} notifications:
 *
 * <pre>{"jsonrpc":"2.0","method":"rpc.chunk",
 *  "params":{"stream":"r7","seq":0,"count":8,"size":5242880,"data":"&lt;base64&gt;"}}</pre>
 *
 * The receiver concatenates the decoded {@code data} of seq 0..count-1 of one stream and handles
 * the result as one JSON-RPC message (request, response or notification). Base64 keeps the slices
 * byte-exact whatever the UTF-8 in the message; 640 KiB of raw bytes per chunk keeps each frame
 * under {@link Frames#MAX_FRAME_BYTES}. A receiver bounds the total size before it buffers
 * anything.
 */
public final class Chunks {
  public static final String METHOD = "rpc.chunk";

  /** Raw bytes per chunk: base64 (4/3) plus the envelope stays well under 1 MiB. */
  public static final int CHUNK_RAW_BYTES = 640 * 1024;

  /** The largest message that may be reassembled (a 25 MB attachment as base64 in JSON fits). */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  /** How many partial streams one connection may have open at once. */
  public static final int MAX_OPEN_STREAMS = 4;

  private Chunks() {}

  /** Splits an encoded message into chunk frames (already encoded as JSON bytes). */
  public static List<byte[]> split(String stream, byte[] message) {
    return split(stream, message, CHUNK_RAW_BYTES);
  }

  /** As {@link #split(String, byte[])} with smaller slices (tests and fixtures). */
  static List<byte[]> split(String stream, byte[] message, int chunkRawBytes) {
    if (chunkRawBytes < 1 || chunkRawBytes > CHUNK_RAW_BYTES) {
      throw new IllegalArgumentException("chunk size out of range");
    }
    if (message.length > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("message over " + MAX_MESSAGE_BYTES + " bytes");
    }
    int count = Math.max(1, (message.length + chunkRawBytes - 1) / chunkRawBytes);
    Base64.Encoder b64 = Base64.getEncoder();
    List<byte[]> frames = new ArrayList<>(count);
    for (int seq = 0; seq < count; seq++) {
      int from = seq * chunkRawBytes;
      int to = Math.min(message.length, from + chunkRawBytes);
      byte[] slice = java.util.Arrays.copyOfRange(message, from, to);
      ObjectNode params =
          Json.object()
              .put("stream", stream)
              .put("seq", seq)
              .put("count", count)
              .put("size", message.length)
              .put("data", b64.encodeToString(slice));
      frames.add(Json.bytes(Json.notification(METHOD, params)));
    }
    return frames;
  }

  /** Whether a parsed frame is a chunk rather than a whole message. */
  public static boolean isChunk(JsonNode frame) {
    return frame.isObject() && METHOD.equals(frame.path("method").asText(null));
  }

  /** A chunk that breaks the rules; the stream it belonged to is dropped. */
  public static final class BadChunkException extends Exception {
    private static final long serialVersionUID = 1L;

    BadChunkException(String message) {
      super(message, null, false, false);
    }
  }

  /** Reassembles chunk streams on one connection. Not thread-safe: one reader per connection. */
  public static final class Assembler {
    private final int maxMessageBytes;
    private final Map<String, Partial> open = new HashMap<>();

    public Assembler() {
      this(MAX_MESSAGE_BYTES);
    }

    public Assembler(int maxMessageBytes) {
      this.maxMessageBytes = maxMessageBytes;
    }

    private static final class Partial {
      final int count;
      final int size;
      int next;
      final ByteArrayOutputStream bytes;

      Partial(int count, int size) {
        this.count = count;
        this.size = size;
        this.bytes = new ByteArrayOutputStream(Math.min(size, 4 * CHUNK_RAW_BYTES));
      }
    }

    /**
     * Takes one chunk frame.
     *
     * @return the whole message once its last chunk arrived, else null
     */
    public byte[] accept(JsonNode chunk) throws BadChunkException {
      JsonNode p = chunk.path("params");
      String stream = p.path("stream").isTextual() ? p.path("stream").asText() : null;
      if (stream == null || stream.isEmpty() || stream.length() > 64) {
        throw new BadChunkException("chunk without a valid stream name");
      }
      try {
        return acceptIn(stream, p);
      } catch (BadChunkException e) {
        open.remove(stream);
        throw e;
      }
    }

    private byte[] acceptIn(String stream, JsonNode p) throws BadChunkException {
      if (!p.path("seq").canConvertToInt()
          || !p.path("count").canConvertToInt()
          || !p.path("size").canConvertToInt()
          || !p.path("data").isTextual()) {
        throw new BadChunkException(
            "chunk needs integer seq, count, size and a base64 data string");
      }
      int seq = p.get("seq").intValue();
      int count = p.get("count").intValue();
      int size = p.get("size").intValue();
      if (size < 0 || size > maxMessageBytes) {
        throw new BadChunkException("chunked message of " + size + " bytes is over the limit");
      }
      if (count < 1 || (long) count * CHUNK_RAW_BYTES < size || count > Math.max(1, size)) {
        throw new BadChunkException("chunk count " + count + " does not fit size " + size);
      }
      Partial partial = open.get(stream);
      if (partial == null) {
        if (seq != 0) {
          throw new BadChunkException("stream " + stream + " did not start with seq 0");
        }
        if (open.size() >= MAX_OPEN_STREAMS) {
          throw new BadChunkException("too many chunked messages in progress");
        }
        partial = new Partial(count, size);
        open.put(stream, partial);
      } else if (partial.count != count || partial.size != size || partial.next != seq) {
        throw new BadChunkException("chunk out of order in stream " + stream);
      }
      byte[] data;
      try {
        data = Base64.getDecoder().decode(p.get("data").asText());
      } catch (IllegalArgumentException e) {
        throw new BadChunkException("chunk data is not base64");
      }
      if (data.length > CHUNK_RAW_BYTES || partial.bytes.size() + data.length > size) {
        throw new BadChunkException("chunk data longer than announced");
      }
      partial.bytes.write(data, 0, data.length);
      partial.next++;
      if (partial.next < count) {
        return null;
      }
      open.remove(stream);
      if (partial.bytes.size() != size) {
        throw new BadChunkException("chunked message shorter than announced");
      }
      return partial.bytes.toByteArray();
    }
  }
}
