package org.sceau.app.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One capability of the helper (vault, openpgp, bitmessage, chat…) as the RPC server sees it. The
 * app wires each by hand in {@code org.sceau.app.HelperMain}; a capability registers its methods
 * under its own namespace ({@code vault.*}, {@code keys.*}, …).
 */
public interface Capability extends AutoCloseable {
  /** Short name, shown in {@code helper.status}: "vault", "openpgp", … */
  String name();

  /** Adds this capability's methods. Called once, before the socket accepts connections. */
  void register(MethodRegistry registry, Notifier notifier);

  /** A small status object for {@code helper.status}, or null. Must be cheap and hold no secret. */
  default JsonNode status() {
    return null;
  }

  /** Called on shutdown, in reverse registration order; must wipe any key material held. */
  @Override
  default void close() {}
}
