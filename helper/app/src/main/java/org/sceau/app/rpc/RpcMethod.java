package org.sceau.app.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One JSON-RPC method the helper serves. Implementations validate their own params and report every
 * failure a user could act on as an {@link RpcException} with a typed {@link RpcError}; any other
 * exception becomes {@link RpcError#INTERNAL_ERROR} and is logged without its message (it might
 * hold secrets).
 */
@FunctionalInterface
public interface RpcMethod {
  /**
   * @param caller who is calling (CLI or the Thunderbird bridge)
   * @param params the request's {@code params}, never null (an empty object when absent)
   * @return the result, or null for JSON {@code null}
   */
  JsonNode call(Caller caller, JsonNode params) throws RpcException;
}
