package org.sceau.net;

import java.io.IOException;

/**
 * A connection could not be made: the host (or the proxy) refused, timed out, or the proxy answered
 * with an error. The message names which, and never contains data sent on the connection.
 */
public final class UnreachableException extends IOException {

  /** Why, in terms a caller can branch on. */
  public enum Reason {
    /** The destination could not be reached (directly, or the proxy says so). */
    HOST_UNREACHABLE,
    /** The proxy itself did not answer or broke the SOCKS5 exchange. */
    PROXY_UNREACHABLE,
    /** The proxy refused: authentication, rule set, or an unsupported request. */
    PROXY_REFUSED,
    /** The host name is unknown (resolved locally or by the proxy). */
    UNKNOWN_HOST
  }

  private final Reason reason;

  public UnreachableException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
