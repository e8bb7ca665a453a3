package org.sceau.bench.vault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;

/**
 * The anchor: plain SQLite through JDBC, with the same table, journal (WAL) and durability
 * (synchronous=FULL) as the vault. Uses only java.sql, so it runs on whichever sqlite-jdbc driver
 * is on the classpath (run.sh runs it on xerial's).
 *
 * <p>Usage: SqlBench SIDE DIR RECORDS READS RUNS
 */
public final class SqlBench {
  private SqlBench() {}

  public static void main(String[] args) throws Exception {
    String side = args[0];
    Path dir = Path.of(args[1]);
    int records = Integer.parseInt(args[2]);
    int reads = Integer.parseInt(args[3]);
    int runs = Integer.parseInt(args[4]);
    Files.createDirectories(dir);
    double[] ins = new double[runs];
    double[] batch = new double[runs];
    double[] get = new double[runs];
    double[] batchCpu = new double[runs];
    double[] getCpu = new double[runs];
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    byte[] value = new byte[1024];
    new Random(1).nextBytes(value);
    for (int run = 0; run < runs; run++) {
      Path db = dir.resolve(side + "-" + run + ".db");
      Files.deleteIfExists(db);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=FULL");
          s.execute("PRAGMA temp_store=MEMORY");
          s.execute(
              "CREATE TABLE records(ns TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
                  + " updated INTEGER NOT NULL, PRIMARY KEY(ns, key))");
        }
        String sql =
            "INSERT INTO records(ns, key, value, updated) VALUES(?, ?, ?, ?) ON CONFLICT(ns, key)"
                + " DO UPDATE SET value = excluded.value, updated = excluded.updated";
        try (PreparedStatement p = c.prepareStatement(sql)) {
          long t0 = System.nanoTime();
          for (int i = 0; i < records; i++) {
            p.setString(1, "bench");
            p.setString(2, "k" + i);
            p.setBytes(3, value);
            p.setLong(4, System.currentTimeMillis());
            p.executeUpdate();
          }
          ins[run] = records / ((System.nanoTime() - t0) / 1e9);
          c.setAutoCommit(false);
          t0 = System.nanoTime();
          long c0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < records; i++) {
            p.setString(1, "batch");
            p.setString(2, "k" + i);
            p.setBytes(3, value);
            p.setLong(4, System.currentTimeMillis());
            p.executeUpdate();
            if (i % 100 == 99) {
              c.commit();
            }
          }
          c.commit();
          c.setAutoCommit(true);
          batch[run] = records / ((System.nanoTime() - t0) / 1e9);
          batchCpu[run] = records / ((mx.getCurrentThreadCpuTime() - c0) / 1e9);
        }
        try (PreparedStatement p =
            c.prepareStatement("SELECT value, updated FROM records WHERE ns = ? AND key = ?")) {
          Random r = new Random(run);
          long sink = 0;
          long t0 = System.nanoTime();
          long c0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < reads; i++) {
            p.setString(1, "bench");
            p.setString(2, "k" + r.nextInt(records));
            try (ResultSet rs = p.executeQuery()) {
              rs.next();
              sink += rs.getBytes(1).length;
            }
          }
          get[run] = reads / ((System.nanoTime() - t0) / 1e9);
          getCpu[run] = reads / ((mx.getCurrentThreadCpuTime() - c0) / 1e9);
          if (sink != 1024L * reads) {
            throw new IllegalStateException("bad read");
          }
        }
      }
      Files.deleteIfExists(db);
      Files.deleteIfExists(Path.of(db + "-wal"));
      Files.deleteIfExists(Path.of(db + "-shm"));
    }
    Stats.print(side, "insert_per_s", Stats.median(ins));
    Stats.print(side, "insert_batched100_per_s", Stats.median(batch));
    Stats.print(side, "point_read_per_s", Stats.median(get));
    Stats.print(side, "insert_batched100_per_cpu_s", Stats.median(batchCpu));
    Stats.print(side, "point_read_per_cpu_s", Stats.median(getCpu));
  }
}
