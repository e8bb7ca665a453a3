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
}
