package org.sceau.app.rpc;

/**
 * A typed JSON-RPC error: the numeric {@code code} JSON-RPC requires, and a stable {@code type}
 * name that clients switch on and translate (the English message is the fallback text).
 * Capabilities define their own constants next to their methods, in the -32000..-32099 server range
 * or below -33000.
 */
public record RpcError(int code, String type) {
  public static final RpcError PARSE_ERROR = new RpcError(-32700, "PARSE_ERROR");
  public static final RpcError INVALID_REQUEST = new RpcError(-32600, "INVALID_REQUEST");
  public static final RpcError METHOD_NOT_FOUND = new RpcError(-32601, "METHOD_NOT_FOUND");
  public static final RpcError INVALID_PARAMS = new RpcError(-32602, "INVALID_PARAMS");
  public static final RpcError INTERNAL_ERROR = new RpcError(-32603, "INTERNAL_ERROR");
  public static final RpcError FORBIDDEN = new RpcError(-32001, "FORBIDDEN");
  public static final RpcError FRAME_TOO_LARGE = new RpcError(-32002, "FRAME_TOO_LARGE");
  public static final RpcError HELPER_UNREACHABLE = new RpcError(-32003, "HELPER_UNREACHABLE");
  public static final RpcError BAD_CHUNK = new RpcError(-32004, "BAD_CHUNK");
  public static final RpcError SHUTTING_DOWN = new RpcError(-32005, "SHUTTING_DOWN");
  public static final RpcError VAULT_LOCKED = new RpcError(-32010, "VAULT_LOCKED");

  public RpcError {
    if (type == null || !type.matches("[A-Z][A-Z0-9_]*")) {
      throw new IllegalArgumentException("error type must be UPPER_SNAKE_CASE");
    }
  }
}
