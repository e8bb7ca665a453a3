package org.sceau.net.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.sceau.net.Outbound;
import org.sceau.net.ProxySettings;
import org.sceau.net.UnreachableException;
import org.sceau.net.UnreachableException.Reason;

/**
 * SOCKS5 CONNECT (RFC 1928), with RFC 1929 user/password when an isolation token is set.
 *
 * <p>Written out rather than using {@code java.net.Proxy.Type.SOCKS} because the JDK's client
 * silently falls back to SOCKS4 and reads system-wide proxy properties; here the destination always
 * travels as a name (address type 3 for names, 1/4 for literals) and any deviation is an error.
 */
public final class Socks5Outbound implements Outbound {

  private static final int VERSION = 5;
  private static final int NO_AUTH = 0;
  private static final int USER_PASS = 2;
  private static final int NO_ACCEPTABLE = 0xff;

  private final ProxySettings proxy;
  private final int timeoutMillis;

  public Socks5Outbound(ProxySettings proxy, Duration timeout) {
    if (!proxy.enabled()) {
      throw new IllegalArgumentException("no proxy configured");
    }
    this.proxy = proxy;
    this.timeoutMillis = Math.toIntExact(timeout.toMillis());
  }

  @Override
  public Socket connect(String host, int port) throws IOException {
    Ports.check(port);
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    if (name.length == 0 || name.length > 255) {
      throw new UnreachableException(
          Reason.UNKNOWN_HOST, "host name must be 1 to 255 ASCII characters", null);
    }
    Socket socket = new Socket();
    boolean ok = false;
    try {
      try {
        // The proxy's own address is configured as a literal or a local name (e.g. localhost).
        socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), timeoutMillis);
      } catch (IOException e) {
        throw new UnreachableException(
            Reason.PROXY_UNREACHABLE, "cannot reach the proxy at " + proxy, e);
      }
      socket.setSoTimeout(timeoutMillis);
      handshake(socket, host, name, port);
      socket.setSoTimeout(0);
      ok = true;
      return socket;
    } catch (SocketTimeoutException e) {
      throw new UnreachableException(
          Reason.PROXY_UNREACHABLE, "the proxy at " + proxy + " did not answer in time", e);
    } catch (EOFException e) {
      throw new UnreachableException(
          Reason.PROXY_UNREACHABLE, "the proxy at " + proxy + " closed the connection", e);
    } finally {
      if (!ok) {
        socket.close();
      }
    }
  }

  private void handshake(Socket socket, String host, byte[] name, int port) throws IOException {
    OutputStream out = socket.getOutputStream();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    boolean auth = proxy.isolation().isPresent();
    out.write(
        auth ? new byte[] {VERSION, 2, NO_AUTH, USER_PASS} : new byte[] {VERSION, 1, NO_AUTH});
    out.flush();
    int version = in.readUnsignedByte();
    int method = in.readUnsignedByte();
    if (version != VERSION) {
      throw new UnreachableException(
          Reason.PROXY_UNREACHABLE, proxy + " is not a SOCKS5 proxy", null);
    }
    if (method == USER_PASS && auth) {
      authenticate(out, in, proxy.isolation().get());
    } else if (method != NO_AUTH) {
      throw new UnreachableException(
          Reason.PROXY_REFUSED,
          method == NO_ACCEPTABLE
              ? "the proxy at " + proxy + " requires authentication Sceau does not offer"
              : "the proxy at " + proxy + " chose an unsupported authentication method",
          null);
    }
    byte[] request = new byte[7 + name.length];
    request[0] = VERSION;
    request[1] = 1; // CONNECT
    request[2] = 0;
    request[3] = 3; // domain name: the proxy resolves it, so no DNS query leaves this machine
    request[4] = (byte) name.length;
    System.arraycopy(name, 0, request, 5, name.length);
    request[5 + name.length] = (byte) (port >>> 8);
    request[6 + name.length] = (byte) port;
    out.write(request);
    out.flush();
    int replyVersion = in.readUnsignedByte();
    int reply = in.readUnsignedByte();
    in.readUnsignedByte(); // reserved
    int addressType = in.readUnsignedByte();
    if (replyVersion != VERSION) {
      throw new UnreachableException(
          Reason.PROXY_UNREACHABLE, "the proxy at " + proxy + " broke the SOCKS5 exchange", null);
    }
    skipBoundAddress(in, addressType);
    if (reply != 0) {
      throw refusal(reply, host, port);
    }
  }

  private void authenticate(OutputStream out, DataInputStream in, String token) throws IOException {
    byte[] user = token.getBytes(StandardCharsets.UTF_8);
    if (user.length > 255) {
      throw new IllegalArgumentException("isolation token too long");
    }
    // Tor ignores the password but RFC 1929 requires one of at least one byte.
    byte[] message = new byte[3 + user.length + 1];
    message[0] = 1;
    message[1] = (byte) user.length;
    System.arraycopy(user, 0, message, 2, user.length);
    message[2 + user.length] = 1;
    message[3 + user.length] = 'x';
    out.write(message);
    out.flush();
    in.readUnsignedByte();
    if (in.readUnsignedByte() != 0) {
      throw new UnreachableException(
          Reason.PROXY_REFUSED,
          "the proxy at " + proxy + " refused the isolation credentials",
          null);
    }
  }

  private static void skipBoundAddress(DataInputStream in, int addressType) throws IOException {
    int length =
        switch (addressType) {
          case 1 -> 4;
          case 4 -> 16;
          case 3 -> in.readUnsignedByte();
          default ->
              throw new UnreachableException(
                  Reason.PROXY_UNREACHABLE,
                  "the proxy answered with an unknown address type",
                  null);
        };
    skipFully(in, length + 2);
  }

  private static void skipFully(InputStream in, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      if (in.read() < 0) {
        throw new EOFException();
      }
    }
  }

  private UnreachableException refusal(int reply, String host, int port) {
    String target = host + ":" + port;
    return switch (reply) {
      case 2 ->
          new UnreachableException(
              Reason.PROXY_REFUSED, "the proxy's rules do not allow " + target, null);
      case 3, 4, 5, 6 ->
          new UnreachableException(
              Reason.HOST_UNREACHABLE, "the proxy could not reach " + target, null);
      case 7, 8 ->
          new UnreachableException(
              Reason.PROXY_REFUSED, "the proxy does not support this request for " + target, null);
      // Tor answers 1 (general failure) for names it cannot resolve as well.
      default ->
          new UnreachableException(
              Reason.HOST_UNREACHABLE, "the proxy failed to connect to " + target, null);
    };
  }

  @Override
  public boolean proxied() {
    return true;
  }

  @Override
  public String describe() {
    return "socks5 " + proxy.host() + ":" + proxy.port();
  }
}
