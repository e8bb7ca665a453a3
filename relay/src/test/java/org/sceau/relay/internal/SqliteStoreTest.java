package org.sceau.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.relay.DeliverTemplate;
import org.sceau.relay.MessageQueue;

class SqliteStoreTest {
  @TempDir Path dir;

  @Test
  void completionsRunOnTheWriterInCommitOrderWhateverThreadEnqueued() throws Exception {
    // The live push path relies on this: a completion on the caller's thread could hand a newer
    // id to the pump before an older one, and the older one would be skipped.
    try (SqliteStore s = new SqliteStore(dir, "NORMAL", 100_000)) {
      DeviceId to = DeviceKey.generate().deviceId();
      byte[] t = DeliverTemplate.message(DeviceKey.generate().deviceId(), 1, new byte[8]);
      List<Long> order = java.util.Collections.synchronizedList(new ArrayList<>());
      List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
      int perThread = 300;
      CountDownLatch done = new CountDownLatch(4 * perThread);
      List<Thread> senders = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    s.enqueue(
                        List.of(to),
                        t,
                        (ids, err) -> {
                          order.add(ids[0]);
                          threads.add(Thread.currentThread().getName());
                          done.countDown();
                        });
                  }
                });
        senders.add(th);
        th.start();
      }
      assertTrue(done.await(30, TimeUnit.SECONDS));
      for (int i = 1; i < order.size(); i++) {
        assertTrue(order.get(i) > order.get(i - 1), "commit order at " + i);
      }
      assertTrue(threads.stream().allMatch(n -> n.equals("relay-sqlite-writer")));
      List<MessageQueue.Queued> all = s.fetch(to, 0, 2000);
      assertEquals(4 * perThread, all.size());
      assertEquals(order.get(0), all.get(0).id());
    }
  }

  @Test
  void anAckIsCommittedNoLaterThanAnyWriteSubmittedAfterIt() throws Exception {
    // Acks ride along with the next batch instead of a commit of their own; a write submitted
    // after an ack (here the next deposit) must find the ack committed, which RelayRestartIT and
    // the mailbox quota rely on.
    DeviceId to = DeviceKey.generate().deviceId();
    try (SqliteStore s = new SqliteStore(dir, "NORMAL", 3)) {
      byte[] t = DeliverTemplate.message(DeviceKey.generate().deviceId(), 1, new byte[8]);
      long[] ids = new long[3];
      for (int i = 0; i < 3; i++) {
        java.util.concurrent.CompletableFuture<long[]> f =
            new java.util.concurrent.CompletableFuture<>();
        s.enqueue(List.of(to), t, (r, e) -> complete(f, r, e));
        ids[i] = f.get(10, TimeUnit.SECONDS)[0];
      }
      assertEquals(3, s.pending(to));
      s.ack(to, new long[] {ids[0], ids[1]});
      // The mailbox was full (quota 3): this deposit is accepted only if the ack came first.
      java.util.concurrent.CompletableFuture<long[]> f =
          new java.util.concurrent.CompletableFuture<>();
      s.enqueue(List.of(to), t, (r, e) -> complete(f, r, e));
      long fourth = f.get(10, TimeUnit.SECONDS)[0];
      assertEquals(2, s.pending(to));
      List<MessageQueue.Queued> left = s.fetch(to, 0, 10);
      assertEquals(List.of(ids[2], fourth), left.stream().map(MessageQueue.Queued::id).toList());
      // An ack with nothing after it is still committed within a bounded delay, and on close.
      s.ack(to, new long[] {ids[2]});
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (s.pending(to) != 1 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(1, s.pending(to));
      s.ack(to, new long[] {fourth});
    }
    try (SqliteStore s = new SqliteStore(dir, "NORMAL", 3)) {
      assertEquals(0, s.pending(to)); // the last ack, with no write after it, was flushed on close
    }
  }

  private static <T> void complete(java.util.concurrent.CompletableFuture<T> f, T r, Throwable e) {
    if (e != null) {
      f.completeExceptionally(e);
    } else {
      f.complete(r);
    }
  }
}
