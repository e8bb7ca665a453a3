package org.sceau.net.internal;

import java.net.Socket;
import org.sceau.net.Outbound;
import org.sceau.net.UnreachableException;
import org.sceau.net.UnreachableException.Reason;

/** Refuses every connection: a proxy was asked for and cannot be used. */
public final class RefusingOutbound implements Outbound {

  private final String why;

  public RefusingOutbound(String why) {
    this.why = why;
  }

  @Override
  public Socket connect(String host, int port) throws UnreachableException {
    throw new UnreachableException(Reason.PROXY_REFUSED, why, null);
  }

  @Override
  public boolean proxied() {
    // Callers must behave as under a proxy: no listening socket, no local name resolution.
    return true;
  }

  @Override
  public String describe() {
    return "refusing: " + why;
  }
}
