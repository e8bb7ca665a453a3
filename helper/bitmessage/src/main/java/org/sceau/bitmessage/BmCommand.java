package org.sceau.bitmessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sceau.bitmessage.internal.Hashes;

/**
 * The {@code sceau bm …} commands that work without a running node. The helper's CLI forwards its
 * arguments here; nothing is printed but the results (addresses one per line, JSON).
 *
 * <pre>
 * bm address new [--version 3|4]
 * bm address --from-passphrase TEXT [--version 3|4] [--count N] [--chan]
 * bm decode            (object bytes on stdin, or an object packet; prints JSON)
 * bm pow-bench [--seconds S]
 * </pre>
 *
 * Note: "address new" prints only the address; keeping its keys is the vault's job, so the helper's
 * wiring stores the identity (this class has no storage).
 */
public final class BmCommand {
  private BmCommand() {}

  /** Runs one command; returns the process exit code (0 ok, 1 bad input, 2 usage). */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    try {
      if (args.length >= 2 && args[0].equals("address") && args[1].equals("new")) {
        Identity id = Identity.random(intOption(args, "--version", 4));
        out.println(id.address());
        return 0;
      }
      if (args.length >= 1
          && args[0].equals("address")
          && option(args, "--from-passphrase") != null) {
        String pass = option(args, "--from-passphrase");
        int count = intOption(args, "--count", 1);
        if (hasFlag(args, "--chan")) {
          out.println(Identity.chan(pass).address());
          return 0;
        }
        for (Identity id : Identity.fromPassphrase(pass, intOption(args, "--version", 4), count)) {
          out.println(id.address());
        }
        return 0;
      }
      if (args.length >= 1 && args[0].equals("decode")) {
        byte[] data = in.readNBytes(PacketCodec.HEADER_LENGTH + PacketCodec.MAX_PAYLOAD + 1);
        if (data.length >= 4 && (data[0] & 0xff) == 0xE9 && (data[1] & 0xff) == 0xBE) {
          Packet p = PacketCodec.decode(data);
          if (!p.command().equals("object")) {
            err.println("not an object packet: " + p.command());
            return 1;
          }
          data = p.payload();
        }
        out.println(ObjectJson.describe(ObjectCodec.decode(data)));
        return 0;
      }
      if (args.length >= 1 && args[0].equals("pow-bench")) {
        double secs = Double.parseDouble(orDefault(option(args, "--seconds"), "3"));
        int cores = Runtime.getRuntime().availableProcessors();
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
          ProofOfWork pow = ProofOfWork.create(threads);
          double rate = rate(pow, secs);
          out.printf(
              Locale.ROOT,
              "{\"threads\":%d,\"simd\":%b,\"trialsPerSecond\":%.0f}%n",
              threads,
              pow.usesSimd(),
              rate);
        }
        return 0;
      }
    } catch (BitmessageException e) {
      err.println(e.code() + ": " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("cannot read input: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    err.println(
        "usage: bm address new [--version 3|4] | bm address --from-passphrase TEXT [--version 3|4]"
            + " [--count N] [--chan] | bm decode < object.bin | bm pow-bench [--seconds S]");
    return 2;
  }

  private static double rate(ProofOfWork pow, double secs) throws InterruptedException {
    byte[] ih = Hashes.sha512(new byte[] {1});
    PowJob warm = pow.start(ih, 0, null);
    Thread.sleep(1000);
    warm.cancel();
    PowJob job = pow.start(ih, 0, null);
    long t0 = System.nanoTime();
    Thread.sleep((long) (secs * 1000));
    long n = job.trials();
    double dt = (System.nanoTime() - t0) / 1e9;
    job.cancel();
    return n / dt;
  }

  private static String option(String[] args, String name) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return null;
  }

  private static boolean hasFlag(String[] args, String name) {
    List<String> l = new ArrayList<>(List.of(args));
    return l.contains(name);
  }

  private static int intOption(String[] args, String name, int def) {
    String v = option(args, name);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number");
    }
  }

  private static String orDefault(String v, String def) {
    return v == null ? def : v;
  }
}
