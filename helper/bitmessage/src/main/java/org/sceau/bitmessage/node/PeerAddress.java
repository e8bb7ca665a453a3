package org.sceau.bitmessage.node;

/**
 * A peer as {@code host:port}: a DNS name or an IP literal ({@code [::1]:8444} for IPv6). Names
 * stay names: whoever opens the connection resolves them (the proxy, when one is configured).
 */
public record PeerAddress(String host, int port) {
  public PeerAddress {
    if (host == null || host.isEmpty() || host.length() > 255) {
      throw new IllegalArgumentException("peer host must be 1..255 characters");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("peer port out of range");
    }
  }

  /** Parses {@code host:port} or {@code [v6]:port}. */
  public static PeerAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("peer must be host:port: " + hostPort);
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("peer port is not a number: " + hostPort);
    }
    return new PeerAddress(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
