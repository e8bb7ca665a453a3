package org.sceau.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.vault.TestVaults.FAST;
import static org.sceau.vault.TestVaults.pass;
import static org.sceau.vault.TestVaults.utf8;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.vault.VaultException.Code;

class BackupRestoreTest {
  @TempDir Path root;

  private Path data() {
    return root.resolve("data");
  }

  /** A vault with small and large values (several backup segments) and a sequence. */
  private Vault filled() throws Exception {
    Vault v = Vault.at(data(), FAST);
    v.create(pass("correct horse"), null);
    Random r = new Random(42);
    for (int i = 0; i < 30; i++) {
      byte[] big = new byte[i == 7 ? 300_000 : 100 + i];
      r.nextBytes(big);
      v.store("openpgp.keys").put("key-" + i, big);
    }
    v.store("chat.history").append(utf8("hello"));
    v.store("chat.history").append(utf8("world"));
    v.store("settings").put("proxy", utf8("socks5://127.0.0.1:9050"));
    return v;
  }

  private static void assertSameContent(Vault a, Vault b) throws Exception {
    for (String ns : List.of("openpgp.keys", "chat.history", "settings")) {
      List<Record> x = a.store(ns).list("", 1000);
      List<Record> y = b.store(ns).list("", 1000);
      assertEquals(x, y, ns);
    }
  }

  @Test
  void backupWipeRestoreRoundTripsEverything() throws Exception {
    Path backup = root.resolve("vault.backup");
    Vault original = filled();
    original.backup(backup, pass("backup pass"));
    // A reference copy of the content to compare against after the wipe.
    Path refDir = root.resolve("ref");
    Vault ref = Vault.at(refDir, FAST);
    ref.restore(backup, pass("backup pass"), null);
    original.close();

    try (var files = Files.walk(data())) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertFalse(Files.exists(data()));

    Vault restored = Vault.at(data(), FAST);
    assertEquals(VaultStatus.State.ABSENT, restored.status().state());
    restored.restore(backup, pass("backup pass"), null);
    assertTrue(restored.isUnlocked());
    assertSameContent(ref, restored);
    assertEquals(300_000, restored.store("openpgp.keys").get("key-7").orElseThrow().value().length);
    restored.lock();
    restored.unlock(pass("backup pass"), null);
    assertSameContent(ref, restored);
    restored.checkIntegrity();
    // The sequence continues after the restored entries.
    String next = restored.store("chat.history").append(utf8("again"));
    assertEquals(3, restored.store("chat.history").count());
    assertTrue(next.endsWith("3"));
  }

  @Test
  void backupReplacesAnOlderBackupButNoOtherFile() throws Exception {
    Vault v = filled();
    Path backup = root.resolve("b");
    v.backup(backup, pass("one"));
    v.backup(backup, pass("two"));
    Path precious = Files.writeString(root.resolve("notes.txt"), "my notes");
    VaultException e = assertThrows(VaultException.class, () -> v.backup(precious, pass("three")));
    assertEquals(Code.INVALID_ARGUMENT, e.code());
    assertEquals("my notes", Files.readString(precious));
  }

  @Test
  void restoreOverAnOpenVaultReplacesItsContent() throws Exception {
    Path backup = root.resolve("b");
    Vault v = filled();
    v.backup(backup, pass("backup pass"));
    v.store("settings").put("added-later", utf8("x"));
    v.store("openpgp.keys").delete("key-1");
    v.restore(backup, pass("backup pass"), null);
    assertTrue(v.store("settings").get("added-later").isEmpty());
    assertTrue(v.store("openpgp.keys").get("key-1").isPresent());
    try (var files = Files.list(data())) {
      assertEquals(1, files.filter(p -> p.getFileName().toString().endsWith(".db")).count());
    }
  }

  @Test
  void restoreCanSetAKeyFile() throws Exception {
    Path backup = root.resolve("b");
    Vault v = filled();
    v.backup(backup, pass("backup pass"));
    v.close();
    Path key = TestVaults.keyFile(root, "usb.key", utf8("key file content"));
    Vault w = Vault.at(root.resolve("other"), FAST);
    w.restore(backup, pass("backup pass"), key);
    w.lock();
    assertEquals(
        Code.KEY_FILE_MISSING,
        assertThrows(VaultException.class, () -> w.unlock(pass("backup pass"), null)).code());
    w.unlock(pass("backup pass"), key);
  }

  private Vault backupThenDamage(Path backup, java.util.function.UnaryOperator<byte[]> damage)
      throws Exception {
    Vault v = filled();
    v.backup(backup, pass("backup pass"));
    Files.write(backup, damage.apply(Files.readAllBytes(backup)));
    return v;
  }

  private void assertRestoreFailsAndChangesNothing(Vault v, Path backup, char[] p, Code code)
      throws Exception {
    byte[] header = Files.readAllBytes(data().resolve("vault.header"));
    List<Record> before = v.store("openpgp.keys").list("", 1000);
    VaultException e = assertThrows(VaultException.class, () -> v.restore(backup, p, null));
    assertEquals(code, e.code(), e.getMessage());
    assertArrayEquals(header, Files.readAllBytes(data().resolve("vault.header")));
    assertTrue(v.isUnlocked());
    assertEquals(before, v.store("openpgp.keys").list("", 1000));
    try (var files = Files.list(data())) {
      assertEquals(1, files.filter(f -> f.getFileName().toString().endsWith(".db")).count());
    }
  }

  @Test
  void wrongBackupPassphraseIsWrongPassphrase() throws Exception {
    Path backup = root.resolve("b");
    Vault v = backupThenDamage(backup, b -> b);
    assertRestoreFailsAndChangesNothing(v, backup, pass("not it"), Code.WRONG_PASSPHRASE);
  }

  @Test
  void truncatedBackupIsCorruptedAndChangesNothing() throws Exception {
    Path backup = root.resolve("b");
    Vault v = backupThenDamage(backup, b -> Arrays.copyOf(b, b.length - 100));
    assertRestoreFailsAndChangesNothing(v, backup, pass("backup pass"), Code.CORRUPTED);
  }

  @Test
  void backupCutAtASegmentBoundaryIsCorrupted() throws Exception {
    Path backup = root.resolve("b");
    // Header (47 bytes) + first full segment (5 + 65536 + 16): a valid prefix without the last.
    Vault v = backupThenDamage(backup, b -> Arrays.copyOf(b, 47 + 5 + 65536 + 16));
    assertRestoreFailsAndChangesNothing(v, backup, pass("backup pass"), Code.CORRUPTED);
  }

  @Test
  void flippedByteInBackupIsCorruptedAndChangesNothing() throws Exception {
    Path backup = root.resolve("b");
    Vault v =
        backupThenDamage(
            backup,
            b -> {
              b[b.length / 2] ^= 0x04;
              return b;
            });
    assertRestoreFailsAndChangesNothing(v, backup, pass("backup pass"), Code.CORRUPTED);
  }

  @Test
  void trailingBytesAfterBackupAreCorrupted() throws Exception {
    Path backup = root.resolve("b");
    Vault v =
        backupThenDamage(
            backup,
            b -> {
              byte[] c = Arrays.copyOf(b, b.length + 3);
              return c;
            });
    assertRestoreFailsAndChangesNothing(v, backup, pass("backup pass"), Code.CORRUPTED);
  }

  @Test
  void backupFromNewerVersionIsNewerVersion() throws Exception {
    Path backup = root.resolve("b");
    Vault v =
        backupThenDamage(
            backup,
            b -> {
              ByteBuffer.wrap(b).putShort(8, (short) 9);
              return b;
            });
    assertRestoreFailsAndChangesNothing(v, backup, pass("backup pass"), Code.NEWER_VERSION);
  }

  @Test
  void notABackupIsCorrupted() throws Exception {
    Path backup = root.resolve("b");
    Vault v = backupThenDamage(backup, b -> utf8("just some text file, not a backup at all"));
    assertRestoreFailsAndChangesNothing(v, backup, pass("backup pass"), Code.CORRUPTED);
  }

  @Test
  void restoreOverLockedVaultWithPendingDepositsIsRefused() throws Exception {
    Path backup = root.resolve("b");
    Vault v = filled();
    v.backup(backup, pass("backup pass"));
    v.lock();
    v.deposit("bm.inbox", "m1", utf8("waiting"));
    VaultException e =
        assertThrows(VaultException.class, () -> v.restore(backup, pass("backup pass"), null));
    assertEquals(Code.VAULT_LOCKED, e.code());
    v.unlock(pass("correct horse"), null);
    v.restore(backup, pass("backup pass"), null);
  }

  @Test
  void depositsSurviveARestoreOverAnOpenVault() throws Exception {
    Path backup = root.resolve("b");
    Vault v = filled();
    v.backup(backup, pass("backup pass"));
    v.restore(backup, pass("backup pass"), null);
    v.lock();
    v.deposit("bm.inbox", "m1", utf8("after restore"));
    v.unlock(pass("backup pass"), null);
    assertArrayEquals(utf8("after restore"), v.store("bm.inbox").get("m1").orElseThrow().value());
  }
}
