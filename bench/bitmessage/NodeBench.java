import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.ObjectCodec;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.node.BitmessageNode;
import org.sceau.bitmessage.node.NodeConfig;

/**
 * The Bitmessage node benchmark (issue 9), one role per JVM so that each node's memory is its own:
 *
 * <ul>
 *   <li>{@code gen N FILE}: N objects with a real proof of work at difficulty 1/1 (payload 100–600
 *       bytes, TTL 2–8 hours: the sync must happen within it), written once and reused.
 *   <li>{@code source FILE DIR GO}: a node that publishes every object of FILE once GO exists
 *       (publish = validate + store: the validation rate).
 *   <li>{@code peer DIR PEERPORT N LABEL}: a node dialling PEERPORT, which reports when it holds N
 *       objects (time from its first object, peak and steady resident memory).
 *   <li>{@code hold DIR}: a node restarted on a store of N objects: steady resident memory.
 * </ul>
 *
 * <p>Nodes use difficulty 1/1 so that generating 100 000 objects takes seconds; validating costs
 * the same at any difficulty (one trial per object).
 */
public final class NodeBench {
  static final PowDifficulty BENCH = new PowDifficulty(1, 1);

  static String load() {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/loadavg"))).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  /** VmRSS and VmHWM (peak) of this process, in MiB. */
  static long[] rss() throws IOException {
    long rss = 0;
    long hwm = 0;
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) {
        rss = Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
      } else if (l.startsWith("VmHWM:")) {
        hwm = Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return new long[] {rss, hwm};
  }

  static long heapUsedMib() {
    System.gc();
    Runtime r = Runtime.getRuntime();
    return (r.totalMemory() - r.freeMemory()) >> 20;
  }

  static NodeConfig.Builder config(Path dir) {
    return NodeConfig.builder(dir)
        .listenPort(0)
        .bootstrapPeers(List.of())
        .minimumDifficulty(BENCH)
        .userAgent("/SceauBench:0/");
  }

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "gen" -> gen(Integer.parseInt(a[1]), Path.of(a[2]));
      case "source" -> source(Path.of(a[1]), Path.of(a[2]), Path.of(a[3]));
      case "peer" -> peer(Path.of(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]), a[4]);
      case "hold" -> hold(Path.of(a[1]));
      default -> throw new IllegalArgumentException(a[0]);
    }
  }

  static void gen(int n, Path file) throws Exception {
    long t0 = System.nanoTime();
    long now = System.currentTimeMillis() / 1000;
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService ex = Executors.newFixedThreadPool(threads);
    List<Future<List<byte[]>>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      int count = n / threads + (t < n % threads ? 1 : 0);
      parts.add(ex.submit(() -> {
        SplittableRandom rnd = new SplittableRandom(seed * 7919L + now);
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          byte[] payload = new byte[100 + rnd.nextInt(501)];
          rnd.nextBytes(payload);
          long expires = now + 7200 + rnd.nextInt(6 * 3600);
          BitmessageObject o = new BitmessageObject(0, expires, BitmessageObject.MSG, 1, 1, payload);
          byte[] body = o.encodeWithoutNonce();
          long target = BitmessageNode.powTarget(BENCH, body.length + 8, expires - now + 600);
          byte[] initial = md.digest(body);
          ByteBuffer nb = ByteBuffer.allocate(8);
          for (long nonce = 0; ; nonce++) {
            nb.putLong(0, nonce);
            md.update(nb.array());
            md.update(initial);
            long trial = ByteBuffer.wrap(md.digest(md.digest())).getLong();
            if (Long.compareUnsigned(trial, target) <= 0) {
              out.add(o.withNonce(nonce).encode());
              break;
            }
          }
        }
        return out;
      }));
    }
    long bytes = 0;
    try (DataOutputStream out = new DataOutputStream(
        new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(n);
      for (Future<List<byte[]>> f : parts) {
        for (byte[] o : f.get()) {
          out.writeInt(o.length);
          out.write(o);
          bytes += o.length;
        }
      }
    }
    ex.shutdown();
    System.out.printf("generated %d objects (%d MB, mean %d bytes) in %.1f s%n", n, bytes >> 20,
        bytes / n, (System.nanoTime() - t0) / 1e9);
  }

  static List<BitmessageObject> read(Path file) throws Exception {
    try (DataInputStream in = new DataInputStream(
        new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      int n = in.readInt();
      List<BitmessageObject> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        byte[] o = new byte[in.readInt()];
        in.readFully(o);
        out.add(ObjectCodec.decode(o));
      }
      return out;
    }
  }

  static void source(Path file, Path dir, Path go) throws Exception {
    List<BitmessageObject> objects = read(file);
    try (BitmessageNode node = BitmessageNode.start(config(dir).dandelionPercent(0).build())) {
      System.out.println("PORT " + node.listeningPort());
      while (!Files.exists(go)) {
        Thread.sleep(50);
      }
      long t0 = System.nanoTime();
      long wall0 = System.currentTimeMillis();
      for (BitmessageObject o : objects) {
        node.publish(o);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("START %d%n", wall0);
      System.out.printf("source: published (validated + stored) %d objects in %.2f s = %.0f objects/s   load %s%n",
          objects.size(), s, objects.size() / s, load());
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  static void peer(Path dir, int peerPort, int n, String label) throws Exception {
    try (BitmessageNode node = BitmessageNode.start(
        config(dir).dandelionPercent(0).bootstrapPeers(List.of("127.0.0.1:" + peerPort)).build())) {
      System.out.println("PORT " + node.listeningPort());
      while (node.status().outbound().isEmpty()) {
        Thread.sleep(10);
      }
      System.out.println("CONNECTED");
      long c0 = System.nanoTime();
      while (node.status().inventorySize() == 0) {
        Thread.sleep(1);
      }
      long t0 = System.nanoTime();
      long wall0 = System.currentTimeMillis();
      while (node.status().inventorySize() < n) {
        Thread.sleep(5);
      }
      long end = System.nanoTime();
      double s = (end - t0) / 1e9;
      double fromConnect = (end - c0) / 1e9;
      long[] m = rss();
      System.out.printf("END %d%n", System.currentTimeMillis());
      System.out.printf("%s: %d objects received and validated in %.2f s from its first object = %.0f objects/s (%.2f s from the handshake); peak RSS %d MiB   load %s%n",
          label, n, s, n / s, fromConnect, m[1], load());
      System.out.println("FIRST " + wall0);
      // Let the node finish relaying, then measure at rest.
      while (node.status().syncInProgress()) {
        Thread.sleep(50);
      }
      Thread.sleep(3000);
      long heap = heapUsedMib();
      Thread.sleep(2000);
      m = rss();
      System.out.printf("%s: steady state with %d objects: RSS %d MiB, heap used after GC %d MiB (peak RSS %d MiB)%n",
          label, node.status().inventorySize(), m[0], heap, m[1]);
      System.out.println("DONE");
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  static void hold(Path dir) throws Exception {
    long t0 = System.nanoTime();
    try (BitmessageNode node = BitmessageNode.start(config(dir).targetOutbound(0).build())) {
      double s = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(3000);
      long heap = heapUsedMib();
      Thread.sleep(2000);
      long[] m = rss();
      System.out.printf("node on " + dir.getFileName() + ": %d objects loaded in %.2f s; steady RSS %d MiB, heap used after GC %d MiB   load %s%n",
          node.status().inventorySize(), s, m[0], heap, load());
      System.out.println("JVM: " + ManagementFactory.getRuntimeMXBean().getInputArguments());
    }
  }
}
