package org.sceau.app.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A failure reported to the caller as a JSON-RPC error object. The message is shown to the user as
 * is: it must say what to do, and must never contain a secret or plaintext.
 */
public class RpcException extends Exception {
  private static final long serialVersionUID = 1L;
  private final RpcError error;
  private final transient JsonNode data;

  public RpcException(RpcError error, String userMessage) {
    this(error, userMessage, null);
  }

  public RpcException(RpcError error, String userMessage, JsonNode data) {
    super(userMessage, null, false, false);
    this.error = error;
    this.data = data;
  }

  public RpcError error() {
    return error;
  }

  /** Extra machine-readable detail for the client, or null. */
  public JsonNode data() {
    return data;
  }
}
