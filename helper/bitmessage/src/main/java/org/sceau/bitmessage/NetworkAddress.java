package org.sceau.bitmessage;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A peer address: IPv6 (IPv4 as {@code ::ffff:a.b.c.d}) and port, with the services it offers;
 * {@code time} and {@code stream} are set in {@code addr} entries only (0 in {@code version}).
 */
public record NetworkAddress(long time, long stream, long services, byte[] ip, int port) {
  public static final long NODE_NETWORK = 1;
  public static final long NODE_SSL = 2;
  public static final long NODE_DANDELION = 8;

  public NetworkAddress {
    if (ip.length != 16) {
      throw new IllegalArgumentException("ip must be 16 bytes (IPv6 or IPv4-mapped)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
    if (stream < 0 || stream > 0xffffffffL) {
      throw new IllegalArgumentException("stream is a u32");
    }
    ip = ip.clone();
  }

  @Override
  public byte[] ip() {
    return ip.clone();
  }

  /** An IPv4 or IPv6 literal as a 16-byte address. */
  public static byte[] ipBytes(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 16) {
      return b;
    }
    byte[] out = new byte[16];
    out[10] = (byte) 0xff;
    out[11] = (byte) 0xff;
    System.arraycopy(b, 0, out, 12, 4);
    return out;
  }

  public InetAddress inetAddress() {
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkAddress n
        && n.time == time
        && n.stream == stream
        && n.services == services
        && Arrays.equals(n.ip, ip)
        && n.port == port;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ip) * 31 + port;
  }
}
