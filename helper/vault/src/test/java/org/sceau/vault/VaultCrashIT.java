package org.sceau.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.vault.TestVaults.FAST;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.vault.VaultException.Code;

/**
 * Crash safety: a child JVM writing continuously is killed with SIGKILL; on reopen every write it
 * had acknowledged is there and the store passes SQLite's integrity check.
 */
class VaultCrashIT {
  @TempDir Path dir;

  private Process start(String mode) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CrashWriter.class.getName());
    cmd.add(dir.toString());
    cmd.add(mode);
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Reads ACK lines until {@code target} of them, then SIGKILLs the child; returns the last. */
  private long runAndKill(Process p, long target) throws Exception {
    long last = -1;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          last = Long.parseLong(line.substring(4));
          if (last >= target) {
            // destroyForcibly is SIGKILL on Unix: no shutdown hook, no close, no flush.
            p.destroyForcibly();
            break;
          }
        }
      }
    } finally {
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
    return last;
  }

  @Test
  @Timeout(120)
  void acknowledgedWritesSurviveSigkill() throws Exception {
    Vault setup = Vault.at(dir, FAST);
    setup.create("pw-0".toCharArray(), null);
    setup.close();
    for (int round = 0; round < 3; round++) {
      long acked = runAndKill(start("writes"), 150 + 100L * round);
      assertTrue(acked >= 150, "child acknowledged " + acked);
      Vault v = Vault.at(dir, FAST);
      v.unlock("pw-0".toCharArray(), null);
      v.checkIntegrity();
      for (long i = 0; i <= acked; i++) {
        byte[] got = v.store("crash").get("k" + i).orElseThrow(AssertionError::new).value();
        assertArrayEquals(CrashWriter.value(i), got, "k" + i);
        if (i % 10 == 9) {
          assertTrue(v.store("crash.tx").get("k" + i).isPresent(), "transaction half lost");
        }
      }
      v.close();
    }
  }

  @Test
  @Timeout(120)
  void passphraseChangeKilledMidwayLeavesOldOrNewPassphraseValid() throws Exception {
    Vault setup = Vault.at(dir, FAST);
    setup.create("pw-0".toCharArray(), null);
    setup.close();
    long acked = runAndKill(start("rewrap"), 20);
    Vault v = Vault.at(dir, FAST);
    int opened = 0;
    // The last acknowledged passphrase, or the one being written when the kill came.
    for (long n : new long[] {acked, acked + 1}) {
      try {
        v.unlock(("pw-" + n).toCharArray(), null);
        opened++;
        v.lock();
      } catch (VaultException e) {
        assertEquals(Code.WRONG_PASSPHRASE, e.code());
      }
    }
    assertEquals(1, opened);
  }
}
