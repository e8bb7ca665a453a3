package org.sceau.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.vault.TestVaults.FAST;
import static org.sceau.vault.TestVaults.pass;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.vault.VaultException.Code;

/**
 * Flipping one byte of the store, or cutting it short, gives a typed CORRUPTED error at unlock or
 * at read, never different data.
 */
class TamperTest {
  private static final int N = 400;
  @TempDir Path dir;

  private Path storeFile() throws Exception {
    try (var files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("store-[0-9a-f]+\\.db"))
          .findFirst()
          .orElseThrow();
    }
  }

  private static byte[] value(int i) {
    byte[] v = new byte[700];
    java.util.Arrays.fill(v, (byte) i);
    return v;
  }

  private void fill() throws Exception {
    Vault v = TestVaults.created(dir);
    // One transaction: one fsync instead of N (the content is what matters here).
    v.inTransaction(
        tx -> {
          for (int i = 0; i < N; i++) {
            tx.store("t").put(String.format("k%05d", i), value(i));
          }
          return null;
        });
    v.close();
  }

  /** Reads everything; every value that comes back must be the one written. */
  private void readAllExpectingCorruption() {
    VaultException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            VaultException.class,
            () -> {
              Vault v = Vault.at(dir, FAST);
              try {
                v.unlock(pass("correct horse"), null);
                for (int i = 0; i < N; i++) {
                  var r = v.store("t").get(String.format("k%05d", i));
                  assertTrue(r.isPresent());
                  assertArrayEquals(value(i), r.get().value());
                }
                v.checkIntegrity();
              } finally {
                v.close();
              }
            });
    assertEquals(Code.CORRUPTED, e.code(), e.getMessage());
  }

  @Test
  void flippedByteInTheMiddleIsCorruptedNeverWrongData() throws Exception {
    fill();
    Path db = storeFile();
    try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
      long pos = f.length() / 2;
      f.seek(pos);
      int b = f.read();
      f.seek(pos);
      f.write(b ^ 0x10);
    }
    readAllExpectingCorruption();
  }

  @Test
  void flippedByteInFirstPageIsCorruptedAtUnlock() throws Exception {
    fill();
    Path db = storeFile();
    try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
      f.seek(100);
      int b = f.read();
      f.seek(100);
      f.write(b ^ 0x01);
    }
    Vault v = Vault.at(dir, FAST);
    VaultException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            VaultException.class, () -> v.unlock(pass("correct horse"), null));
    assertEquals(Code.CORRUPTED, e.code());
    // Never a partial open.
    org.junit.jupiter.api.Assertions.assertFalse(v.isUnlocked());
    assertEquals(VaultStatus.State.LOCKED, v.status().state());
  }

  @Test
  void truncatedStoreIsCorrupted() throws Exception {
    fill();
    Path db = storeFile();
    try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    readAllExpectingCorruption();
  }

  @Test
  void emptiedStoreIsCorruptedNotANewEmptyVault() throws Exception {
    fill();
    Files.write(storeFile(), new byte[0]);
    VaultException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            VaultException.class, () -> Vault.at(dir, FAST).unlock(pass("correct horse"), null));
    assertEquals(Code.CORRUPTED, e.code());
  }
}
