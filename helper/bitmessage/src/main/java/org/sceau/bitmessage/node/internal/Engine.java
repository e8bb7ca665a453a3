package org.sceau.bitmessage.node.internal;

import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.node.NodeConfig;
import org.sceau.bitmessage.node.NodeStatus;
import org.sceau.bitmessage.node.PeerAddress;

/** The node's machinery behind {@link org.sceau.bitmessage.node.BitmessageNode}. */
public final class Engine {
  private final NodeConfig config;

  private Engine(NodeConfig config) {
    this.config = config;
  }

  public static Engine start(NodeConfig config) throws IOException {
    return new Engine(config);
  }

  public NodeStatus status() {
    return new NodeStatus(OptionalInt.empty(), List.of(), List.of(), 0, 0, 0, 0, 0, false);
  }

  public int listeningPort() {
    return -1;
  }

  public void connect(PeerAddress peer) {}

  public void publish(BitmessageObject object) {}

  public AutoCloseable subscribe(Consumer<BitmessageObject> listener) {
    return () -> {};
  }

  public void forEachObject(Consumer<BitmessageObject> visitor) {}

  public void close() {}
}
