package org.sceau.app.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one JSON-RPC 2.0 message into its response. Pure: no I/O, so it is tested without sockets.
 * Requests without an id are notifications and get no response, as JSON-RPC 2.0 says. Batches are
 * refused: one request per frame keeps the chunking rules simple.
 */
public final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final MethodRegistry registry;

  public Dispatcher(MethodRegistry registry) {
    this.registry = registry;
  }

  /** A parsed message that is a valid request or notification. */
  public record Request(JsonNode id, String method, JsonNode params) {
    public boolean isNotification() {
      return id == null;
    }
  }

  /** Parse errors and invalid requests, already shaped as a response. */
  public static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient JsonNode response;

    Rejected(JsonNode response) {
      super(null, null, false, false);
      this.response = response;
    }

    public JsonNode response() {
      return response;
    }
  }

  /** Parses bytes into a JSON tree, or a PARSE_ERROR response. */
  public static JsonNode parse(byte[] message) throws Rejected {
    try {
      return Json.parse(message);
    } catch (IOException e) {
      throw new Rejected(
          Json.error(
              NullNode.instance,
              RpcError.PARSE_ERROR,
              "The message is not valid JSON; it was ignored.",
              null));
    }
  }

  /** Checks the JSON-RPC 2.0 request shape. */
  public static Request validate(JsonNode node) throws Rejected {
    if (node.isArray()) {
      throw invalid(NullNode.instance, "Batch requests are not supported: send one per frame.");
    }
    if (!node.isObject()) {
      throw invalid(NullNode.instance, "A request must be a JSON object.");
    }
    JsonNode id = node.get("id");
    JsonNode responseId = id == null ? NullNode.instance : id;
    if (id != null && !(id.isTextual() || id.isIntegralNumber() || id.isNull())) {
      throw invalid(NullNode.instance, "The request id must be a string or an integer.");
    }
    if (!"2.0".equals(node.path("jsonrpc").asText(null))) {
      throw invalid(responseId, "Only JSON-RPC 2.0 is spoken here (\"jsonrpc\": \"2.0\").");
    }
    JsonNode method = node.get("method");
    if (method == null || !method.isTextual() || method.asText().isEmpty()) {
      throw invalid(responseId, "The request has no method name.");
    }
    JsonNode params = node.get("params");
    if (params != null && !params.isObject() && !params.isArray() && !params.isNull()) {
      throw invalid(responseId, "params must be an object or an array.");
    }
    return new Request(
        id, method.asText(), params == null || params.isNull() ? Json.object() : params);
  }

  /**
   * Calls the method. Never throws: every failure becomes an error response.
   *
   * @return the response, or empty for a notification
   */
  public Optional<JsonNode> dispatch(Request request, Caller caller) {
    JsonNode id = request.id() == null ? NullNode.instance : request.id();
    JsonNode response;
    Optional<MethodRegistry.Entry> entry = registry.find(request.method());
    if (entry.isEmpty()) {
      response =
          Json.error(
              id,
              RpcError.METHOD_NOT_FOUND,
              "The helper has no method \"" + abbreviate(request.method()) + "\".",
              null);
    } else if (entry.get().access() == Access.CLI_ONLY && caller != Caller.CLI) {
      response =
          Json.error(
              id,
              RpcError.FORBIDDEN,
              "Only the sceau command line may call " + request.method() + ".",
              null);
    } else {
      try {
        response = Json.result(id, orNull(entry.get().method().call(caller, request.params())));
      } catch (RpcException e) {
        response = Json.error(id, e.error(), e.getMessage(), e.data());
      } catch (RuntimeException e) {
        // The exception's message may quote user data: log its type and where, never its text.
        StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        LOG.error("{} failed: {} at {}", request.method(), e.getClass().getName(), at);
        response =
            Json.error(
                id,
                RpcError.INTERNAL_ERROR,
                "The helper failed to run " + request.method() + "; see the helper's log.",
                null);
      }
    }
    return request.isNotification() ? Optional.empty() : Optional.of(response);
  }

  private static JsonNode orNull(JsonNode node) {
    return node == null ? NullNode.instance : node;
  }

  private static Rejected invalid(JsonNode id, String message) {
    return new Rejected(Json.error(id, RpcError.INVALID_REQUEST, message, null));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
