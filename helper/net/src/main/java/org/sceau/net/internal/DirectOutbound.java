package org.sceau.net.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.sceau.net.Outbound;
import org.sceau.net.UnreachableException;
import org.sceau.net.UnreachableException.Reason;

/** Plain TCP; names resolved by this machine's resolver. */
public final class DirectOutbound implements Outbound {

  private final int timeoutMillis;

  public DirectOutbound(Duration timeout) {
    this.timeoutMillis = Math.toIntExact(timeout.toMillis());
  }

  @Override
  public Socket connect(String host, int port) throws IOException {
    Ports.check(port);
    InetSocketAddress target = new InetSocketAddress(host, port);
    if (target.isUnresolved()) {
      throw new UnreachableException(Reason.UNKNOWN_HOST, "unknown host " + host, null);
    }
    Socket socket = new Socket();
    try {
      socket.connect(target, timeoutMillis);
      return socket;
    } catch (UnknownHostException e) {
      socket.close();
      throw new UnreachableException(Reason.UNKNOWN_HOST, "unknown host " + host, e);
    } catch (SocketTimeoutException e) {
      socket.close();
      throw new UnreachableException(
          Reason.HOST_UNREACHABLE, "timed out connecting to " + host + ":" + port, e);
    } catch (IOException e) {
      socket.close();
      throw new UnreachableException(
          Reason.HOST_UNREACHABLE, "cannot connect to " + host + ":" + port, e);
    }
  }

  @Override
  public boolean proxied() {
    return false;
  }

  @Override
  public String describe() {
    return "direct";
  }
}
