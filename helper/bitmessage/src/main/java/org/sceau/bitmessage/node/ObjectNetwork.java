package org.sceau.bitmessage.node;

import java.util.function.Consumer;
import org.sceau.bitmessage.BitmessageObject;

/**
 * The seam between the peer-to-peer node (which moves objects) and the user's side of Bitmessage
 * (which makes and reads them). The node implements it; the mailbox uses it.
 *
 * <p>Guarantees: an object handed to {@link #publish} has been validated like one from a peer and
 * stays in the inventory until it expires; it reaches every peer eventually (Dandelion stem first
 * when one is available, otherwise announced to every connected peer and to peers that connect
 * later) — it is never stuck waiting for a new connection. Listeners see each newly accepted object
 * exactly once per process, whether it came from a peer or from {@link #publish}.
 */
public interface ObjectNetwork {

  /**
   * Hands an own object (proof of work already done) to the network.
   *
   * @throws IllegalArgumentException if the object would be refused by peers (insufficient proof of
   *     work, expired, too large, wrong stream): a bug on our side, never silently dropped
   */
  void publish(BitmessageObject object);

  /**
   * Registers {@code listener} for every object newly accepted into the inventory. It is called on
   * a node thread and must return quickly (hand the work to another executor).
   *
   * @return closing it unregisters the listener
   */
  AutoCloseable subscribe(Consumer<BitmessageObject> listener);

  /**
   * Visits every unexpired object in the inventory: how the mailbox catches up with what arrived
   * while the vault was locked (the node relays without the vault; reading needs it).
   */
  void forEachObject(Consumer<BitmessageObject> visitor);
}
