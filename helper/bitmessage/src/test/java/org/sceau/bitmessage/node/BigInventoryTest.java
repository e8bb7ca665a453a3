package org.sceau.bitmessage.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.bitmessage.node.NodeFixtures.config;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.bitmessage.Packet;
import org.sceau.bitmessage.WireMessage;
import org.sceau.bitmessage.node.internal.HashKey;
import org.sceau.bitmessage.node.internal.InventoryStore;

/** A node holding more than one inv's worth of objects announces them in ≤ 50 000-entry invs. */
@Timeout(60)
class BigInventoryTest {
  @TempDir Path dir;

  @Test
  void sendsItsInventoryInInvsOfAtMostFiftyThousand() throws Exception {
    int n = WireMessage.MAX_INVENTORY + 1234;
    long expires = NodeFixtures.now() + 3600;
    // Filled through the store (the node trusts what it stored): no proof of work to wait for.
    try (InventoryStore store = InventoryStore.open(dir, 1_000_000)) {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      for (int i = 0; i < n; i++) {
        byte[] o =
            ByteBuffer.allocate(30)
                .putLong(i)
                .putLong(expires)
                .putInt(2)
                .put((byte) 1)
                .put((byte) 1)
                .array();
        byte[] vector = Arrays.copyOf(md.digest(md.digest(o)), 32);
        store.put(HashKey.of(vector), o, expires);
      }
    }
    try (BitmessageNode node = BitmessageNode.start(config(dir).build());
        RawPeer p = new RawPeer(node.listeningPort()).handshake()) {
      assertEquals(n, node.status().inventorySize());
      Set<HashKey> announced = new HashSet<>();
      int invs = 0;
      while (announced.size() < n) {
        Packet inv = p.expect("inv", Duration.ofSeconds(10));
        WireMessage.Inv m = (WireMessage.Inv) WireMessage.decode(inv);
        assertTrue(m.hashes().size() <= WireMessage.MAX_INVENTORY);
        m.hashes().forEach(h -> announced.add(HashKey.of(h)));
        invs++;
      }
      assertEquals(2, invs);
      assertEquals(n, announced.size());
    }
  }
}
