package org.sceau.bitmessage.node;

import java.io.IOException;
import java.util.function.Consumer;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.node.internal.Engine;
import org.sceau.bitmessage.node.internal.Validator;

/**
 * A peer of the Bitmessage network (protocol 3, stream 1): keeps {@link NodeConfig#targetOutbound}
 * outbound connections and accepts inbound ones, validates every object (proof of work against
 * {@link NodeConfig#minimumDifficulty}, expiry, size, stream) before storing and relaying it, keeps
 * the inventory in its own store under {@link NodeConfig#dataDir} (it relays while the vault is
 * locked and survives restarts), and sends own objects through Dandelion++ as PyBitmessage does —
 * except that an own object is announced to every peer, including peers that connect later, when no
 * stem is available.
 *
 * <p>Privacy: every connection is opened through {@link NodeConfig#outbound}; when it is proxied
 * the node opens no listening socket and never resolves a host name itself.
 *
 * <p>Threads: one reader and one writer platform thread per peer plus a maintenance thread; a slow
 * peer fills only its own bounded send queue and is disconnected when that overflows.
 *
 * <pre>{@code
 * try (BitmessageNode node = BitmessageNode.start(NodeConfig.builder(dir).build())) {
 *   node.subscribe(o -> mailbox.offer(o));
 *   node.publish(finishedObject);
 * }
 * }</pre>
 */
public final class BitmessageNode implements ObjectNetwork, AutoCloseable {
  private final Engine engine;

  private BitmessageNode(Engine engine) {
    this.engine = engine;
  }

  /**
   * Opens the stores, starts listening (unless proxied or {@link NodeConfig.Builder#noListen}) and
   * starts connecting to the bootstrap peers and known nodes. Returns without waiting for peers.
   *
   * @throws IOException if the data directory or the listening port cannot be opened
   */
  public static BitmessageNode start(NodeConfig config) throws IOException {
    return new BitmessageNode(Engine.start(config));
  }

  /** A snapshot of connections, inventory and sync state. */
  public NodeStatus status() {
    return engine.status();
  }

  /** The port the node accepts peers on, or -1 when it does not listen. */
  public int listeningPort() {
    return engine.listeningPort();
  }

  /**
   * Adds a manual peer and connects to it in the background (through the configured {@link
   * org.sceau.net.Outbound}; a name is passed unresolved). Returns immediately; see {@link
   * #status}.
   */
  public void connect(String host, int port) {
    engine.connect(new PeerAddress(host, port));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException after {@link #close}
   */
  @Override
  public void publish(BitmessageObject object) {
    engine.publish(object);
  }

  @Override
  public AutoCloseable subscribe(Consumer<BitmessageObject> listener) {
    return engine.subscribe(listener);
  }

  @Override
  public void forEachObject(Consumer<BitmessageObject> visitor) {
    engine.forEachObject(visitor);
  }

  /**
   * The proof-of-work target (unsigned) a node with minimum difficulty {@code d} demands of an
   * object: the protocol formula of {@link PowDifficulty#target} but with {@code d} taken as given,
   * not raised to the network's 1000/1000 — so that test networks can use a tiny difficulty. With
   * the default difficulty both agree.
   *
   * @param objectLength the object's length including its 8-byte nonce
   * @param ttlSeconds expiresTime − now (values under 300 count as 300)
   */
  public static long powTarget(PowDifficulty d, long objectLength, long ttlSeconds) {
    return Validator.target(d, objectLength, ttlSeconds);
  }

  /** Disconnects every peer, stops listening and flushes the stores. */
  @Override
  public void close() {
    engine.close();
  }
}
