package org.sceau.bitmessage.node.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryStoreTest {
  private final SecureRandom rnd = new SecureRandom();
  @TempDir Path dir;

  private byte[] object(int len) {
    byte[] o = new byte[len];
    rnd.nextBytes(o);
    return o;
  }

  private static HashKey key(byte[] o) {
    return HashKey.of(Digests.inventoryHash(o));
  }

  @Test
  void keepsObjectsAcrossReopenAndCutsATornTail() throws IOException {
    byte[] a = object(500);
    byte[] b = object(700);
    try (InventoryStore s = InventoryStore.open(dir, 100)) {
      assertTrue(s.put(key(a), a, 2000));
      assertFalse(s.put(key(a), a, 2000), "already held");
      assertTrue(s.put(key(b), b, 3000));
    }
    long size = Files.size(dir.resolve("inventory.log"));
    // A crash in the middle of the next append: half a record at the end.
    try (FileChannel ch =
        FileChannel.open(dir.resolve("inventory.log"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 9}), size);
    }
    try (InventoryStore s = InventoryStore.open(dir, 100)) {
      assertEquals(2, s.size());
      assertArrayEquals(a, s.get(key(a)));
      assertArrayEquals(b, s.get(key(b)));
      assertEquals(3000, s.expires(key(b)));
      assertEquals(List.of(key(b)), s.unexpired(2500, k -> false));
    }
    assertEquals(size, Files.size(dir.resolve("inventory.log")), "torn tail cut off");
  }

  @Test
  void corruptRecordEndsTheLoadThere() throws IOException {
    byte[] a = object(300);
    byte[] b = object(300);
    try (InventoryStore s = InventoryStore.open(dir, 100)) {
      s.put(key(a), a, 2000);
      s.put(key(b), b, 2000);
    }
    try (FileChannel ch =
        FileChannel.open(dir.resolve("inventory.log"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {42}), 48 + 300 + 48 + 10);
    }
    try (InventoryStore s = InventoryStore.open(dir, 100)) {
      assertEquals(1, s.size());
      assertNull(s.get(key(b)));
    }
  }

  @Test
  void cleanupDropsLongExpiredObjectsAndCompactsTheLog() throws IOException {
    List<byte[]> old = new ArrayList<>();
    byte[] keep = object(1000);
    try (InventoryStore s = InventoryStore.open(dir, 10_000)) {
      for (int i = 0; i < 3000; i++) {
        byte[] o = object(1000);
        old.add(o);
        s.put(key(o), o, 1000);
      }
      s.put(key(keep), keep, 100_000);
      long before = Files.size(dir.resolve("inventory.log"));
      // Expired, but within the 3-hour grace: kept.
      assertEquals(0, s.cleanup(1000 + InventoryStore.KEEP_AFTER_EXPIRY));
      assertEquals(3000, s.cleanup(1001 + InventoryStore.KEEP_AFTER_EXPIRY));
      assertEquals(1, s.size());
      assertTrue(Files.size(dir.resolve("inventory.log")) < before / 100, "log rewritten");
      assertArrayEquals(keep, s.get(key(keep)));
      byte[] more = object(200);
      s.put(key(more), more, 100_000);
    }
    try (InventoryStore s = InventoryStore.open(dir, 10_000)) {
      assertEquals(2, s.size());
      assertArrayEquals(keep, s.get(key(keep)));
      assertNull(s.get(key(old.get(0))));
    }
  }

  @Test
  void randomFilesNeverFailTheLoad() throws IOException {
    for (int i = 0; i < 200; i++) {
      Path d = dir.resolve("r" + i);
      Files.createDirectories(d);
      byte[] junk = object(rnd.nextInt(400));
      if (junk.length > 4 && i % 2 == 0) {
        // Plausible lengths, to get past the first check.
        junk[0] = 0;
        junk[1] = 0;
        junk[2] = 0;
      }
      Files.write(d.resolve("inventory.log"), junk);
      Files.write(d.resolve("knownnodes.txt"), junk);
      try (InventoryStore s = InventoryStore.open(d, 10)) {
        assertEquals(0, s.size());
      }
      assertEquals(0, Files.size(d.resolve("inventory.log")));
      KnownNodes.open(d, 10);
    }
  }

  @Test
  void knownNodesAreBoundedAndSkipDamagedLines() throws IOException {
    Files.writeString(
        dir.resolve("knownnodes.txt"), "1.2.3.4:8444 100\ngarbage\n[::1]:x 5\n5.6.7.8:8444 200\n");
    KnownNodes k = KnownNodes.open(dir, 3);
    assertEquals(2, k.size());
    k.add(new org.sceau.bitmessage.node.PeerAddress("9.9.9.9", 8444), 300);
    k.add(new org.sceau.bitmessage.node.PeerAddress("9.9.9.8", 8444), 400);
    assertEquals(3, k.size());
    assertFalse(
        k.contains(new org.sceau.bitmessage.node.PeerAddress("1.2.3.4", 8444)), "oldest dropped");
    k.save();
    assertEquals(3, KnownNodes.open(dir, 3).size());
  }

  @Test
  void boundedBySoonestExpiringEviction() throws IOException {
    try (InventoryStore s = InventoryStore.open(dir, 100)) {
      List<byte[]> all = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        byte[] o = object(100);
        all.add(o);
        s.put(key(o), o, 1000 + i);
      }
      assertTrue(s.size() <= 100);
      assertTrue(s.size() >= 90);
      assertNull(s.get(key(all.get(0))), "the soonest-expiring went first");
      assertArrayEquals(all.get(149), s.get(key(all.get(149))));
    }
  }
}
