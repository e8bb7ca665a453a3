package org.sceau.bitmessage.mailbox;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.ProofOfWork;
import org.sceau.bitmessage.mailbox.internal.PowTarget;
import org.sceau.bitmessage.node.ObjectNetwork;

/**
 * A test double of the seam (the node is tested with real sockets elsewhere): one shared inventory
 * that every mailbox attached to it sees, checking each published object's proof of work against
 * the minimum like a node would. Unit tests of the mailbox's own logic only.
 */
final class LocalNetwork {
  private final PowDifficulty minimum;
  private final Map<String, BitmessageObject> inventory = new LinkedHashMap<>();
  private final List<Consumer<BitmessageObject>> listeners = new CopyOnWriteArrayList<>();
  final List<BitmessageObject> published = new CopyOnWriteArrayList<>();
  volatile boolean online = true;

  private final java.time.Clock clock;

  LocalNetwork(PowDifficulty minimum, java.time.Clock clock) {
    this.minimum = minimum;
    this.clock = clock;
  }

  /** One mailbox's view: publishing, listening and the inventory. */
  ObjectNetwork endpoint() {
    return new ObjectNetwork() {
      @Override
      public void publish(BitmessageObject o) {
        long now = clock.millis() / 1000;
        byte[] bytes = o.encode();
        long target = PowTarget.target(minimum, bytes.length, o.expiresTime() - now);
        if (Long.compareUnsigned(ProofOfWork.trialValue(bytes), target) > 0) {
          throw new IllegalArgumentException("insufficient proof of work");
        }
        published.add(o);
        String h = HexFormat.of().formatHex(o.inventoryHash());
        synchronized (inventory) {
          if (inventory.putIfAbsent(h, o) != null) {
            return;
          }
        }
        listeners.forEach(l -> l.accept(o));
      }

      @Override
      public AutoCloseable subscribe(Consumer<BitmessageObject> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
      }

      @Override
      public void forEachObject(Consumer<BitmessageObject> visitor) {
        List<BitmessageObject> copy;
        synchronized (inventory) {
          long now = clock.millis() / 1000;
          inventory.values().removeIf(o -> o.expiresTime() < now);
          copy = List.copyOf(inventory.values());
        }
        copy.forEach(visitor);
      }
    };
  }
}
