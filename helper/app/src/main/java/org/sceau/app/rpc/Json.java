package org.sceau.app.rpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON configuration of the RPC: bounded parsing, JSON-RPC 2.0 message shapes. */
public final class Json {
  /** Nesting deeper than this is refused (stack safety); no method needs more than a handful. */
  static final int MAX_DEPTH = 64;

  public static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          // A reassembled message may carry one big string (an attachment).
                          .maxStringLength(Chunks.MAX_MESSAGE_BYTES)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(byte[] bytes) throws IOException {
    JsonNode node = MAPPER.readTree(bytes);
    if (node == null || node.isMissingNode()) {
      throw new IOException("empty message");
    }
    return node;
  }

  public static ObjectNode request(Object id, String method, JsonNode params) {
    ObjectNode n = object().put("jsonrpc", "2.0");
    n.set("id", MAPPER.valueToTree(id));
    n.put("method", method);
    n.set("params", params == null ? object() : params);
    return n;
  }

  public static ObjectNode notification(String method, JsonNode params) {
    ObjectNode n = object().put("jsonrpc", "2.0").put("method", method);
    n.set("params", params == null ? object() : params);
    return n;
  }

  public static ObjectNode result(JsonNode id, JsonNode result) {
    ObjectNode n = object().put("jsonrpc", "2.0");
    n.set("id", id);
    n.set("result", result);
    return n;
  }

  public static ObjectNode error(JsonNode id, RpcError error, String message, JsonNode data) {
    ObjectNode err = object().put("code", error.code()).put("message", message);
    ObjectNode d = object().put("type", error.type());
    if (data != null && data.isObject()) {
      d.setAll((ObjectNode) data);
    }
    err.set("data", d);
    ObjectNode n = object().put("jsonrpc", "2.0");
    n.set("id", id);
    n.set("error", err);
    return n;
  }
}
