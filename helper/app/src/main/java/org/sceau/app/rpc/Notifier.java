package org.sceau.app.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** Pushes JSON-RPC notifications (no id) to every connected client. */
@FunctionalInterface
public interface Notifier {
  void notifyAll(String method, JsonNode params);
}
