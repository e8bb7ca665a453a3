import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Round trips of helper.ping through the real bridge process, framed as Thunderbird frames them.
 * Usage: java -cp <sceau classpath> BridgePing.java <bridge launcher> [count]
 */
public class BridgePing {
  public static void main(String[] args) throws Exception {
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    Process p = new ProcessBuilder(args[0], "manifest.json", "sceau@sceau.org").start();
    OutputStream in = p.getOutputStream();
    InputStream out = new BufferedInputStream(p.getInputStream());
    int warm = count / 10;
    long[] us = new long[count - warm];
    for (int i = 0; i < count; i++) {
      byte[] req = ("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"helper.ping\"}").getBytes(StandardCharsets.UTF_8);
      long t0 = System.nanoTime();
      in.write(new byte[] {(byte) req.length, (byte) (req.length >> 8), 0, 0});
      in.write(req);
      in.flush();
      byte[] h = out.readNBytes(4);
      int n = (h[0] & 0xFF) | (h[1] & 0xFF) << 8 | (h[2] & 0xFF) << 16;
      out.readNBytes(n);
      if (i >= warm) us[i - warm] = (System.nanoTime() - t0) / 1000;
    }
    in.close();
    p.waitFor();
    Arrays.sort(us);
    System.out.printf("bridge: %d pings: p50 %d µs, p99 %d µs%n", us.length, us[us.length / 2], us[(int) (us.length * 0.99) - 1]);
  }
}
