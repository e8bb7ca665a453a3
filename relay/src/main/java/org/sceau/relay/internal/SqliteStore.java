package org.sceau.relay.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.ErrorCode;
import org.sceau.chat.wire.GroupId;
import org.sceau.chat.wire.WireException;
import org.sceau.relay.DeliverTemplate;
import org.sceau.relay.Directory;
import org.sceau.relay.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded single-node store: one SQLite file in WAL mode. All writes go through one writer
 * thread that commits whatever has piled up in one transaction (group commit), so many concurrent
 * deposits share one WAL commit; reads use per-thread connections, which WAL lets run beside the
 * writer. One writer also makes ids visible in id order, which {@link MessageQueue} promises.
 */
public final class SqliteStore implements MessageQueue, Directory {
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
  private static final int MAX_BATCH = 1024;

  private final String url;
  private final int mailboxMax;
  private final Connection writer;
  private final BlockingQueue<Op> ops = new ArrayBlockingQueue<>(65536);
  private final Thread writerThread;
  private final List<Connection> readers = new CopyOnWriteArrayList<>();
  // A few pooled read connections: thread-locals would open one per Jetty thread (up to 200).
  private static final int MAX_READERS = 4;
  private final BlockingQueue<Connection> idleReaders = new ArrayBlockingQueue<>(MAX_READERS);
  private final java.util.concurrent.atomic.AtomicInteger openedReaders =
      new java.util.concurrent.atomic.AtomicInteger();

  @FunctionalInterface
  private interface ReadTask<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(ReadTask<T> task) throws SQLException {
    Connection c = idleReaders.poll();
    if (c == null) {
      if (openedReaders.incrementAndGet() <= MAX_READERS) {
        c = openReader();
      } else {
        openedReaders.decrementAndGet();
        try {
          c = idleReaders.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted while waiting for the store");
        }
        if (c == null) {
          throw new SQLException("the store is overloaded");
        }
      }
    }
    try {
      return task.run(c);
    } finally {
      idleReaders.offer(c);
    }
  }

  // Writer-thread only: pending counts per mailbox, loaded lazily, for the quota check.
  private final Map<DeviceId, long[]> counts = new HashMap<>();
  private volatile boolean closed;
  private long nextId; // writer thread only

  private PreparedStatement insertMsg;
  private PreparedStatement deleteMsg;
  private PreparedStatement countMsg;
  private PreparedStatement selectGroup;
  private PreparedStatement upsertGroup;

  public SqliteStore(Path dir, String synchronous, int mailboxMax) throws SQLException {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create the data directory " + dir, e);
    }
    this.url = "jdbc:sqlite:" + dir.resolve("relay.db").toAbsolutePath();
    this.mailboxMax = mailboxMax;
    if (!synchronous.matches("(?i)OFF|NORMAL|FULL|EXTRA")) {
      throw new IllegalArgumentException("store.sync must be NORMAL or FULL");
    }
    writer = DriverManager.getConnection(url, connectionProperties());
    try (Statement s = writer.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=" + synchronous.toUpperCase(java.util.Locale.ROOT));
      s.execute("PRAGMA busy_timeout=5000");
      // Checkpoints (copy the WAL into the database, two fsyncs) run on a background connection
      // (see checkpointLoop) so that the writer thread, which every deposit waits for, does not
      // stall on them: at 2,000 msg/s the writer's own autocheckpoint at 1000 pages ran about ten
      // times a second, each holding back every deposit behind it for the fsyncs. A background
      // PASSIVE checkpoint alone never lets the WAL reset under a constant stream of writes (574 MB
      // after one benchmark), so the writer keeps its own autocheckpoint as a bound, at 8000 pages,
      // by which time the background has already copied most frames. The WAL file is cut back to
      // 64 MB after a checkpoint. Durability is unchanged: a commit is in the WAL either way.
      s.execute("PRAGMA wal_autocheckpoint=8000");
      s.execute("PRAGMA journal_size_limit=67108864");
      s.execute(
          "CREATE TABLE IF NOT EXISTS messages(id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " device BLOB NOT NULL, received INTEGER NOT NULL, frame BLOB NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS messages_by_device ON messages(device, id)");
      s.execute("CREATE INDEX IF NOT EXISTS messages_by_age ON messages(received)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS devices(id BLOB PRIMARY KEY, registered INTEGER NOT NULL)"
              + " WITHOUT ROWID");
      s.execute(
          "CREATE TABLE IF NOT EXISTS key_packages(id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " device BLOB NOT NULL, last_resort INTEGER NOT NULL, kp BLOB NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS kp_by_device ON key_packages(device, last_resort, id)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS groups(id BLOB PRIMARY KEY, epoch INTEGER NOT NULL,"
              + " seq INTEGER NOT NULL, commit_epoch INTEGER NOT NULL) WITHOUT ROWID");
    }
    writer.setAutoCommit(false);
    insertMsg =
        writer.prepareStatement(
            "INSERT INTO messages(id, device, received, frame) VALUES (?,?,?,?)");
    // Ids never go back, even after every message was deleted: AUTOINCREMENT keeps the high-water
    // mark in sqlite_sequence, and explicit ids update it too.
    try (Statement s = writer.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT max(coalesce((SELECT max(id) FROM messages), 0),"
                    + " coalesce((SELECT seq FROM sqlite_sequence WHERE name='messages'), 0))")) {
      rs.next();
      nextId = rs.getLong(1) + 1;
    }
    writer.commit();
    deleteMsg = writer.prepareStatement("DELETE FROM messages WHERE device=? AND id=?");
    countMsg = writer.prepareStatement("SELECT count(*) FROM messages WHERE device=?");
    selectGroup = writer.prepareStatement("SELECT epoch, seq FROM groups WHERE id=?");
    upsertGroup =
        writer.prepareStatement(
            "INSERT INTO groups(id, epoch, seq, commit_epoch) VALUES (?,?,?,?) ON CONFLICT(id)"
                + " DO UPDATE SET epoch=excluded.epoch, seq=excluded.seq");
    writerThread = new Thread(this::writeLoop, "relay-sqlite-writer");
    writerThread.setDaemon(true);
    writerThread.start();
    checkpointer = DriverManager.getConnection(url, connectionProperties());
    try (Statement s = checkpointer.createStatement()) {
      s.execute("PRAGMA busy_timeout=5000");
    }
    checkpointThread = new Thread(this::checkpointLoop, "relay-sqlite-checkpointer");
    checkpointThread.setDaemon(true);
    checkpointThread.start();
  }

  private final Connection checkpointer;
  private final Thread checkpointThread;

  /** Background PASSIVE checkpoints: never block the writer; see the pragmas above. */
  private void checkpointLoop() {
    while (!closed) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      try (Statement s = checkpointer.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(PASSIVE)");
      } catch (SQLException e) {
        if (!closed) {
          log.debug("background checkpoint skipped: {}", e.toString());
        }
      }
    }
  }

  /** The writer assigns ids itself; the driver must not query last_insert_rowid() per update. */
  private static java.util.Properties connectionProperties() {
    org.sqlite.SQLiteConfig c = new org.sqlite.SQLiteConfig();
    c.setGetGeneratedKeys(false);
    return c.toProperties();
  }

  private Connection openReader() {
    try {
      Connection c = DriverManager.getConnection(url, connectionProperties());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout=5000");
      }
      readers.add(c);
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the relay store", e);
    }
  }

  // ------------------------------------------------------------------ writer thread

  /** A unit of work for the writer thread; {@code run} executes inside the batch transaction. */
  private abstract static class Op {
    abstract void run(SqliteStore s) throws Exception;

    /** Called after the batch committed (or with the failure). */
    abstract void done(Throwable failure);
  }

  private <T> CompletableFuture<T> submit(WriterTask<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    submit(
        task,
        (r, t) -> {
          if (t != null) {
            f.completeExceptionally(t);
          } else {
            f.complete(r);
          }
        });
    return f;
  }

  /** Runs {@code task} in the next batch; {@code done} runs on the writer thread after commit. */
  private <T> void submit(WriterTask<T> task, java.util.function.BiConsumer<T, Throwable> done) {
    Op op =
        new Op() {
          T result;
          Throwable refused;

          @Override
          void run(SqliteStore s) throws Exception {
            try {
              result = task.run(s);
            } catch (WireException e) {
              // A refusal (quota, epoch) concerns this request only, not the batch.
              refused = e;
            }
          }

          @Override
          void done(Throwable failure) {
            Throwable t = failure != null ? failure : refused;
            try {
              done.accept(t == null ? result : null, t);
            } catch (RuntimeException e) {
              log.error("store completion callback failed", e);
            }
          }
        };
    if (closed) {
      done.accept(null, new WireException(ErrorCode.INTERNAL, "the relay is stopping"));
      return;
    }
    try {
      if (!ops.offer(op, 5, TimeUnit.SECONDS)) {
        done.accept(null, new WireException(ErrorCode.INTERNAL, "the store is overloaded"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.accept(null, e);
    }
  }

  @FunctionalInterface
  private interface WriterTask<T> {
    T run(SqliteStore s) throws Exception;
  }

  private void writeLoop() {
    List<Op> batch = new ArrayList<>(MAX_BATCH);
    while (!closed || !ops.isEmpty() || !pendingAcks.isEmpty()) {
      try {
        Op first = ops.poll(pendingAcks.isEmpty() ? 200 : ACK_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          ops.drainTo(batch, MAX_BATCH - 1);
        } else if (pendingAcks.isEmpty()) {
          continue;
        }
        Throwable failure = null;
        try {
          // Acks queued before any op of this batch was submitted are drained here, after the
          // ops were taken: a write submitted after an ack commits with it or later.
          applyAcks();
          for (Op op : batch) {
            op.run(this);
          }
          writer.commit();
        } catch (Exception e) {
          failure = new WireException(ErrorCode.INTERNAL, "the relay store failed");
          log.error("store batch failed; rolled back {} operations", batch.size(), e);
          try {
            writer.rollback();
          } catch (SQLException ignored) {
            // already failing
          }
          counts.clear();
        }
        // Replies and pushes of one commit leave in one write per socket (Connection.cork).
        org.sceau.relay.internal.Connection.cork();
        try {
          for (Op op : batch) {
            op.done(failure);
          }
        } finally {
          org.sceau.relay.internal.Connection.uncork();
        }
        batch.clear();
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
      }
    }
  }

  // Writer-thread only.
  private long[] count(DeviceId d) throws SQLException {
    long[] c = counts.get(d);
    if (c == null) {
      countMsg.setBytes(1, d.publicKey());
      try (ResultSet rs = countMsg.executeQuery()) {
        rs.next();
        c = new long[] {rs.getLong(1)};
      }
      counts.put(d, c);
    }
    return c;
  }

  // Writer-thread only.
  private long[] insertAll(List<DeviceId> recipients, byte[] template) throws Exception {
    for (DeviceId d : recipients) {
      if (count(d)[0] >= mailboxMax) {
        throw new WireException(ErrorCode.QUOTA_EXCEEDED, "a recipient's mailbox is full");
      }
    }
    long received = DeliverTemplate.receivedAt(template);
    long[] ids = new long[recipients.size()];
    for (int i = 0; i < ids.length; i++) {
      DeviceId d = recipients.get(i);
      long id = nextId++;
      insertMsg.setLong(1, id);
      insertMsg.setBytes(2, d.publicKey());
      insertMsg.setLong(3, received);
      insertMsg.setBytes(4, template);
      insertMsg.executeUpdate();
      ids[i] = id;
      count(d)[0]++;
    }
    return ids;
  }

  @Override
  public void enqueue(
      List<DeviceId> recipients,
      byte[] template,
      java.util.function.BiConsumer<long[], Throwable> done) {
    submit(s -> s.insertAll(recipients, template), done);
  }

  @Override
  public void enqueueHandshake(
      List<DeviceId> recipients,
      GroupId group,
      long epoch,
      boolean commit,
      byte[] template,
      java.util.function.BiConsumer<HandshakeOutcome, Throwable> done) {
    submit(
        s -> {
          byte[] gid = group.bytes();
          s.selectGroup.setBytes(1, gid);
          long current = epoch;
          long seq = 0;
          try (ResultSet rs = s.selectGroup.executeQuery()) {
            if (rs.next()) {
              current = rs.getLong(1);
              seq = rs.getLong(2);
            }
          }
          if (epoch != current) {
            return HandshakeOutcome.conflict(current);
          }
          long next = commit ? epoch + 1 : epoch;
          seq++;
          DeliverTemplate.setGroupSeq(template, seq);
          long[] ids = s.insertAll(recipients, template);
          s.upsertGroup.setBytes(1, gid);
          s.upsertGroup.setLong(2, next);
          s.upsertGroup.setLong(3, seq);
          s.upsertGroup.setLong(4, epoch);
          s.upsertGroup.executeUpdate();
          return new HandshakeOutcome(true, seq, next, ids);
        },
        done);
  }

  @Override
  public List<Queued> fetch(DeviceId device, long afterId, int max) throws SQLException {
    return read(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT id, frame FROM messages WHERE device=? AND id>? ORDER BY id LIMIT ?")) {
            p.setBytes(1, device.publicKey());
            p.setLong(2, afterId);
            p.setInt(3, max);
            List<Queued> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
              while (rs.next()) {
                long id = rs.getLong(1);
                out.add(new Queued(id, DeliverTemplate.withId(rs.getBytes(2), id)));
              }
            }
            return out;
          }
        });
  }

  /**
   * Deletes ride along with the next batch of writes instead of waking the writer for a commit of
   * their own: profiling at 2,000 msg/s showed the writer thread (one transaction per deposit and
   * one per ack, each with its file locks and WAL write) as half of the relay's CPU. An ack has no
   * reply, so no client waits for this commit; if the relay dies first, the message is redelivered
   * with the same id (at-least-once, as documented). The delay is bounded: a writer that finds acks
   * waiting polls for other work for at most ACK_LINGER_MILLIS, and an idle writer looks at least
   * every 200 ms.
   */
  @Override
  public void ack(DeviceId device, long[] ids) {
    pendingAcks.add(new PendingAck(device, ids));
  }

  private record PendingAck(DeviceId device, long[] ids) {}

  private static final long ACK_LINGER_MILLIS = 20;
  private final java.util.concurrent.ConcurrentLinkedQueue<PendingAck> pendingAcks =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  // Writer-thread only, inside the batch transaction.
  private void applyAcks() throws SQLException {
    PendingAck a;
    while ((a = pendingAcks.poll()) != null) {
      byte[] d = a.device().publicKey();
      long removed = 0;
      for (long id : a.ids()) {
        deleteMsg.setBytes(1, d);
        deleteMsg.setLong(2, id);
        removed += deleteMsg.executeUpdate();
      }
      long[] c = counts.get(a.device());
      if (c != null) {
        c[0] = Math.max(0, c[0] - removed);
      }
    }
  }

  @Override
  public long pending(DeviceId device) throws SQLException {
    return read(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("SELECT count(*) FROM messages WHERE device=?")) {
            p.setBytes(1, device.publicKey());
            try (ResultSet rs = p.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public long purgeReceivedBefore(long cutoffMillis) throws Exception {
    return submit(
            s -> {
              try (PreparedStatement p =
                  s.writer.prepareStatement("DELETE FROM messages WHERE received<?")) {
                p.setLong(1, cutoffMillis);
                long n = p.executeUpdate();
                if (n > 0) {
                  s.counts.clear();
                }
                return n;
              }
            })
        .get(60, TimeUnit.SECONDS);
  }

  @Override
  public void onAvailable(Consumer<DeviceId> listener) {
    // One node: every deposit is seen by the node that holds the recipient's connection.
  }

  @Override
  public void watch(DeviceId device) {}

  @Override
  public void unwatch(DeviceId device) {}

  @Override
  public void announce(DeviceId device) {}

  // ------------------------------------------------------------------ directory

  @Override
  public boolean register(DeviceId device) throws Exception {
    return submit(
            s -> {
              try (PreparedStatement p =
                  s.writer.prepareStatement(
                      "INSERT OR IGNORE INTO devices(id, registered) VALUES (?,?)")) {
                p.setBytes(1, device.publicKey());
                p.setLong(2, System.currentTimeMillis());
                return p.executeUpdate() == 1;
              }
            })
        .get(30, TimeUnit.SECONDS);
  }

  @Override
  public boolean isRegistered(DeviceId device) throws SQLException {
    return read(
        c -> {
          try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM devices WHERE id=?")) {
            p.setBytes(1, device.publicKey());
            try (ResultSet rs = p.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  @Override
  public int publish(DeviceId device, List<byte[]> oneTime, byte[] lastResort, int max)
      throws Exception {
    return submit(
            s -> {
              byte[] d = device.publicKey();
              int have = s.kpCount(s.writer, d);
              if (have + oneTime.size() > max) {
                throw new WireException(
                    ErrorCode.QUOTA_EXCEEDED, "at most " + max + " KeyPackages may be stored");
              }
              try (PreparedStatement ins =
                  s.writer.prepareStatement(
                      "INSERT INTO key_packages(device, last_resort, kp) VALUES (?,?,?)")) {
                for (byte[] kp : oneTime) {
                  ins.setBytes(1, d);
                  ins.setInt(2, 0);
                  ins.setBytes(3, kp);
                  ins.executeUpdate();
                }
                if (lastResort != null) {
                  try (PreparedStatement del =
                      s.writer.prepareStatement(
                          "DELETE FROM key_packages WHERE device=? AND last_resort=1")) {
                    del.setBytes(1, d);
                    del.executeUpdate();
                  }
                  ins.setBytes(1, d);
                  ins.setInt(2, 1);
                  ins.setBytes(3, lastResort);
                  ins.executeUpdate();
                }
              }
              return have + oneTime.size();
            })
        .get(30, TimeUnit.SECONDS);
  }

  private int kpCount(Connection c, byte[] d) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("SELECT count(*) FROM key_packages WHERE device=? AND last_resort=0")) {
      p.setBytes(1, d);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Override
  public Optional<Claimed> claim(DeviceId device) throws Exception {
    return submit(
            s -> {
              byte[] d = device.publicKey();
              try (PreparedStatement p =
                  s.writer.prepareStatement(
                      "SELECT id, last_resort, kp FROM key_packages WHERE device=?"
                          + " ORDER BY last_resort, id LIMIT 1")) {
                p.setBytes(1, d);
                try (ResultSet rs = p.executeQuery()) {
                  if (!rs.next()) {
                    return Optional.<Claimed>empty();
                  }
                  long id = rs.getLong(1);
                  boolean last = rs.getInt(2) == 1;
                  byte[] kp = rs.getBytes(3);
                  if (!last) {
                    try (PreparedStatement del =
                        s.writer.prepareStatement("DELETE FROM key_packages WHERE id=?")) {
                      del.setLong(1, id);
                      del.executeUpdate();
                    }
                  }
                  return Optional.of(new Claimed(kp, last));
                }
              }
            })
        .get(30, TimeUnit.SECONDS);
  }

  @Override
  public int keyPackageCount(DeviceId device) throws SQLException {
    return read(c -> kpCount(c, device.publicKey()));
  }

  @Override
  public void close() {
    closed = true;
    checkpointThread.interrupt();
    try {
      checkpointThread.join(10_000);
      checkpointer.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException ignored) {
      // closing anyway
    }
    try {
      writerThread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Connection c : readers) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    try {
      writer.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
