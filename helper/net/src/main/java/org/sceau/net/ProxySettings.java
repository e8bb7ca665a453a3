package org.sceau.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where outgoing connections go: nowhere special ({@link #NONE}) or a SOCKS5 proxy such as Tor.
 *
 * <p>{@code isolation} is an optional user name/password sent with RFC 1929 authentication; Tor
 * uses distinct credentials to put streams on distinct circuits ({@code IsolateSOCKSAuth}), so a
 * capability can keep its traffic unlinkable from another's.
 */
public record ProxySettings(String host, int port, Optional<String> isolation) {

  public static final ProxySettings NONE = new ProxySettings("", 0, Optional.empty());

  public ProxySettings {
    if (!host.isEmpty() && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("proxy port must be between 1 and 65535");
    }
    if (isolation.isPresent() && isolation.get().length() > 255) {
      throw new IllegalArgumentException("proxy isolation token is longer than 255 characters");
    }
  }

  public static ProxySettings socks5(String host, int port) {
    return new ProxySettings(host, port, Optional.empty());
  }

  /** The same proxy, with streams isolated under {@code token} (Tor: a separate circuit). */
  public ProxySettings isolatedAs(String token) {
    return enabled() ? new ProxySettings(host, port, Optional.of(token)) : this;
  }

  public boolean enabled() {
    return !host.isEmpty();
  }

  /**
   * Parses {@code socks5://host:port} (also {@code socks5h://}, the curl spelling of the same
   * thing: names resolved by the proxy) or the empty string / {@code none} for no proxy.
   *
   * @throws IllegalArgumentException with a message saying what form is expected
   */
  public static ProxySettings parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty() || t.equalsIgnoreCase("none")) {
      return NONE;
    }
    try {
      URI uri = new URI(t);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
      if (!scheme.equals("socks5") && !scheme.equals("socks5h")) {
        throw new IllegalArgumentException(
            "only SOCKS5 proxies are supported; write socks5://HOST:PORT (Tor: socks5://127.0.0.1:9050)");
      }
      if (uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("the proxy needs a host and a port: socks5://HOST:PORT");
      }
      return new ProxySettings(uri.getHost(), uri.getPort(), Optional.empty());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a proxy address; write socks5://HOST:PORT", e);
    }
  }

  @Override
  public String toString() {
    return enabled() ? "socks5://" + host + ":" + port : "none";
  }
}
