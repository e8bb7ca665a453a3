package org.sceau.vault;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process for {@link VaultCrashIT}: writes (or rewraps) forever and prints "ACK n" after each
 * call returns, until the parent kills it with SIGKILL.
 */
public final class CrashWriter {
  private CrashWriter() {}

  static byte[] value(long i) {
    return ("value " + i + " " + "x".repeat((int) (i % 700))).getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String mode = args[1];
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Vault v = Vault.at(dir, TestVaults.FAST);
    if (mode.equals("writes")) {
      v.unlock("pw-0".toCharArray(), null);
      for (long i = 0; ; i++) {
        if (i % 10 == 9) {
          long n = i;
          // Some writes in multi-record transactions too.
          v.inTransaction(
              tx -> {
                tx.store("crash").put("k" + n, value(n));
                tx.store("crash.tx").put("k" + n, value(n));
                return null;
              });
        } else {
          v.store("crash").put("k" + i, value(i));
        }
        out.println("ACK " + i);
      }
    } else {
      for (long i = 0; ; i++) {
        v.changePassphrase(("pw-" + i).toCharArray(), null, ("pw-" + (i + 1)).toCharArray(), null);
        out.println("ACK " + (i + 1));
      }
    }
  }
}
