package org.sceau.bench.vault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Random;
import org.sceau.vault.KdfParams;
import org.sceau.vault.RecordStore;
import org.sceau.vault.Vault;
import org.sceau.vault.VaultOptions;

/**
 * The vault side: unlock time at default Argon2id parameters, then 1 KB record inserts and point
 * reads through the public RecordStore API (page encryption + per-record AES-GCM).
 *
 * <p>Usage: VaultBench DIR RECORDS READS RUNS UNLOCKS
 */
public final class VaultBench {
  private VaultBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int records = Integer.parseInt(args[1]);
    int reads = Integer.parseInt(args[2]);
    int runs = Integer.parseInt(args[3]);
    int unlocks = Integer.parseInt(args[4]);
    VaultOptions opts = new VaultOptions(Duration.ZERO, KdfParams.defaults());

    Path u = dir.resolve("unlock");
    wipe(u);
    Vault uv = Vault.at(u, opts);
    uv.create("bench passphrase".toCharArray(), null);
    uv.lock();
    uv.unlock("bench passphrase".toCharArray(), null); // warm-up (JIT, native library load)
    uv.lock();
    double[] unlock = new double[unlocks];
    for (int i = 0; i < unlocks; i++) {
      long t0 = System.nanoTime();
      uv.unlock("bench passphrase".toCharArray(), null);
      unlock[i] = (System.nanoTime() - t0) / 1e6;
      uv.lock();
    }
    uv.close();
    wipe(u);
    Stats.print("vault", "unlock_ms_median", Stats.median(unlock));

    double[] ins = new double[runs];
    double[] batch = new double[runs];
    double[] get = new double[runs];
    double[] batchCpu = new double[runs];
    double[] getCpu = new double[runs];
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    byte[] value = new byte[1024];
    new Random(1).nextBytes(value);
    // Cheap Argon2 for the data runs: only the record path is measured there.
    VaultOptions fast = new VaultOptions(Duration.ZERO, new KdfParams(1024, 1, 1));
    for (int run = 0; run < runs; run++) {
      Path d = dir.resolve("vault-" + run);
      wipe(d);
      Vault v = Vault.at(d, fast);
      v.create("bench passphrase".toCharArray(), null);
      RecordStore s = v.store("bench");
      long t0 = System.nanoTime();
      for (int i = 0; i < records; i++) {
        s.put("k" + i, value);
      }
      ins[run] = records / ((System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      long c0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < records; i += 100) {
        int from = i;
        v.inTransaction(
            tx -> {
              RecordStore b = tx.store("batch");
              for (int j = from; j < Math.min(from + 100, records); j++) {
                b.put("k" + j, value);
              }
              return null;
            });
      }
      batch[run] = records / ((System.nanoTime() - t0) / 1e9);
      batchCpu[run] = records / ((mx.getCurrentThreadCpuTime() - c0) / 1e9);
      Random r = new Random(run);
      long sink = 0;
      t0 = System.nanoTime();
      c0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < reads; i++) {
        sink += s.get("k" + r.nextInt(records)).orElseThrow().value().length;
      }
      get[run] = reads / ((System.nanoTime() - t0) / 1e9);
      getCpu[run] = reads / ((mx.getCurrentThreadCpuTime() - c0) / 1e9);
      if (sink != 1024L * reads) {
        throw new IllegalStateException("bad read");
      }
      v.close();
      wipe(d);
    }
    Stats.print("vault", "insert_per_s", Stats.median(ins));
    Stats.print("vault", "insert_batched100_per_s", Stats.median(batch));
    Stats.print("vault", "point_read_per_s", Stats.median(get));
    Stats.print("vault", "insert_batched100_per_cpu_s", Stats.median(batchCpu));
    Stats.print("vault", "point_read_per_cpu_s", Stats.median(getCpu));
  }

  private static void wipe(Path d) throws Exception {
    if (Files.exists(d)) {
      try (var w = Files.walk(d)) {
        w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
