package org.sceau.bitmessage.node;

import java.util.List;
import java.util.OptionalInt;

/**
 * A snapshot of the node for status displays ({@code bm.status}, {@code sceau bm peers}).
 *
 * @param listeningPort the port peers can connect to, empty when the node does not listen
 * @param outbound established connections the node opened
 * @param inbound established connections peers opened
 * @param knownNodes addresses in the known-nodes store
 * @param inventorySize unexpired objects held
 * @param objectsReceived objects accepted from peers since start
 * @param objectsRelayed objects sent to peers (in answer to getdata) since start
 * @param pendingDownloads objects announced by peers and not yet received
 * @param syncInProgress true while announced objects are still being fetched
 */
public record NodeStatus(
    OptionalInt listeningPort,
    List<Peer> outbound,
    List<Peer> inbound,
    int knownNodes,
    int inventorySize,
    long objectsReceived,
    long objectsRelayed,
    int pendingDownloads,
    boolean syncInProgress) {

  public NodeStatus {
    outbound = List.copyOf(outbound);
    inbound = List.copyOf(inbound);
  }

  /** Which side opened the connection. */
  public enum Direction {
    OUTBOUND,
    INBOUND
  }

  /**
   * One established peer.
   *
   * @param address {@code host:port} as dialled (outbound) or the remote socket address (inbound)
   * @param userAgent the peer's user agent, control characters removed, at most 100 characters
   */
  public record Peer(String address, Direction direction, String userAgent) {}

  /** All established peers. */
  public int connections() {
    return outbound.size() + inbound.size();
  }
}
