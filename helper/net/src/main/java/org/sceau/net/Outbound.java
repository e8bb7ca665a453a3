package org.sceau.net;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.sceau.net.internal.DirectOutbound;
import org.sceau.net.internal.Socks5Outbound;

/**
 * The helper's one way to open an outgoing TCP connection. Every capability that talks to the
 * network (SMTP, WKD and key servers, Bitmessage peers, the chat relay) takes an {@code Outbound}
 * instead of creating sockets, so that a proxy setting applies to all of them at once.
 *
 * <p>Guarantee when {@link #proxied()} is true: the connection goes through the SOCKS5 proxy and
 * the host name is sent to the proxy as a name (SOCKS5 address type 3), so it is never resolved on
 * this machine; if the proxy cannot be reached the call fails, it never falls back to a direct
 * connection. Callers must then also refrain from listening for inbound connections and from
 * resolving names themselves.
 *
 * <pre>{@code
 * Outbound out = Outbound.from(ProxySettings.parse("socks5://127.0.0.1:9050"));
 * try (Socket s = out.connect("example.org", 443)) { ... }
 * }</pre>
 */
public interface Outbound {

  /** Default time allowed for the TCP connect (and, through a proxy, the SOCKS5 exchange). */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Opens a connection to {@code host:port}. {@code host} is a DNS name or an IP literal.
   *
   * @throws UnreachableException with a message naming the host (or the proxy) that failed
   */
  Socket connect(String host, int port) throws IOException;

  /** True when connections go through a proxy. */
  boolean proxied();

  /**
   * A short description for status displays, e.g. {@code "direct"} or {@code "socks5
   * 127.0.0.1:9050"}.
   */
  String describe();

  /**
   * An Outbound that refuses every connection with {@code why}: what a capability gets when the
   * user asked for a proxy that cannot be used, so that nothing falls back to direct connections.
   */
  static Outbound refusing(String why) {
    return new org.sceau.net.internal.RefusingOutbound(why);
  }

  /** Direct connections, names resolved by this machine. */
  static Outbound direct() {
    return new DirectOutbound(DEFAULT_TIMEOUT);
  }

  /**
   * The factory for the given settings: direct when {@code settings} is {@link ProxySettings#NONE}.
   */
  static Outbound from(ProxySettings settings) {
    return from(settings, DEFAULT_TIMEOUT);
  }

  static Outbound from(ProxySettings settings, Duration timeout) {
    return settings.enabled() ? new Socks5Outbound(settings, timeout) : new DirectOutbound(timeout);
  }
}
