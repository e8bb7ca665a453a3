package org.sceau.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.sceau.vault.TestVaults.FAST;
import static org.sceau.vault.TestVaults.pass;
import static org.sceau.vault.TestVaults.utf8;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.vault.VaultException.Code;

/** One test per error a user can meet, each checking the stable code and an actionable message. */
class VaultErrorsTest {
  @TempDir Path dir;

  private static VaultException expect(Code code, Executable e) {
    VaultException ex = assertThrows(VaultException.class, e);
    assertEquals(code, ex.code(), ex.getMessage());
    assertFalse(ex.getMessage().isBlank());
    return ex;
  }

  @Test
  void unlockWithoutVaultIsNoVault() {
    expect(Code.NO_VAULT, () -> Vault.at(dir, FAST).unlock(pass("x"), null));
  }

  @Test
  void createTwiceIsVaultExists() throws Exception {
    TestVaults.created(dir).close();
    expect(Code.VAULT_EXISTS, () -> Vault.at(dir, FAST).create(pass("other"), null));
  }

  @Test
  void emptyPassphraseIsInvalidArgument() {
    expect(Code.INVALID_ARGUMENT, () -> Vault.at(dir, FAST).create(new char[0], null));
  }

  @Test
  void wrongPassphraseIsWrongPassphraseAndNothingOpens() throws Exception {
    Vault v = TestVaults.created(dir);
    v.lock();
    expect(Code.WRONG_PASSPHRASE, () -> v.unlock(pass("correct hors"), null));
    assertFalse(v.isUnlocked());
    expect(Code.VAULT_LOCKED, () -> v.store("s").get("k"));
  }

  @Test
  void missingKeyFileIsKeyFileMissing() throws Exception {
    Path key =
        TestVaults.keyFile(dir.getParent(), "vault-" + System.nanoTime() + ".key", utf8("k"));
    Vault v = Vault.at(dir, FAST);
    v.create(pass("correct horse"), key);
    v.lock();
    expect(Code.KEY_FILE_MISSING, () -> v.unlock(pass("correct horse"), null));
    Files.delete(key);
    expect(Code.KEY_FILE_MISSING, () -> v.unlock(pass("correct horse"), key));
  }

  @Test
  void wrongKeyFileIsKeyFileWrong() throws Exception {
    Path key = TestVaults.keyFile(dir, "a.key", utf8("the real key file"));
    Path other = TestVaults.keyFile(dir, "b.key", utf8("another file"));
    Vault v = Vault.at(dir, FAST);
    v.create(pass("correct horse"), key);
    v.lock();
    expect(Code.KEY_FILE_WRONG, () -> v.unlock(pass("correct horse"), other));
    // The right key file with a wrong passphrase is a passphrase problem.
    expect(Code.WRONG_PASSPHRASE, () -> v.unlock(pass("wrong"), key));
    v.unlock(pass("correct horse"), key);
  }

  @Test
  void keyFileForVaultWithoutOneIsKeyFileWrong() throws Exception {
    Vault v = TestVaults.created(dir);
    v.lock();
    Path other = TestVaults.keyFile(dir, "b.key", utf8("another file"));
    expect(Code.KEY_FILE_WRONG, () -> v.unlock(pass("correct horse"), other));
  }

  @Test
  void damagedHeaderIsCorrupted() throws Exception {
    TestVaults.created(dir).close();
    Path header = dir.resolve("vault.header");
    byte[] b = Files.readAllBytes(header);
    b[b.length / 2] ^= 0x01;
    Files.write(header, b);
    expect(Code.CORRUPTED, () -> Vault.at(dir, FAST).unlock(pass("correct horse"), null));
  }

  @Test
  void truncatedHeaderIsCorrupted() throws Exception {
    TestVaults.created(dir).close();
    Path header = dir.resolve("vault.header");
    byte[] b = Files.readAllBytes(header);
    Files.write(header, java.util.Arrays.copyOf(b, b.length - 10));
    expect(Code.CORRUPTED, () -> Vault.at(dir, FAST).unlock(pass("correct horse"), null));
    Files.write(header, new byte[0]);
    expect(Code.CORRUPTED, () -> Vault.at(dir, FAST).unlock(pass("correct horse"), null));
  }

  @Test
  void headerFromNewerVersionIsNewerVersion() throws Exception {
    TestVaults.created(dir).close();
    Path header = dir.resolve("vault.header");
    byte[] b = Files.readAllBytes(header);
    ByteBuffer.wrap(b).putShort(8, (short) 2);
    Files.write(header, b);
    expect(Code.NEWER_VERSION, () -> Vault.at(dir, FAST).unlock(pass("correct horse"), null));
    expect(Code.NEWER_VERSION, () -> Vault.at(dir, FAST).status());
  }

  @Test
  void forgedHugeArgon2MemoryIsRefusedNotAllocated() throws Exception {
    TestVaults.created(dir).close();
    Path header = dir.resolve("vault.header");
    byte[] b = Files.readAllBytes(header);
    ByteBuffer.wrap(b).putInt(11, Integer.MAX_VALUE);
    // Recompute the CRC so only the bound check can refuse it.
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(b, 0, b.length - 4);
    ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    Files.write(header, b);
    expect(Code.CORRUPTED, () -> Vault.at(dir, FAST).unlock(pass("correct horse"), null));
  }

  @Test
  void missingDataFileIsCorrupted() throws Exception {
    TestVaults.created(dir).close();
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("store-")).toList()) {
        Files.delete(p);
      }
    }
    expect(Code.CORRUPTED, () -> Vault.at(dir, FAST).unlock(pass("correct horse"), null));
  }

  @Test
  void lockedVaultAnswersVaultLockedEverywhere() throws Exception {
    Vault v = TestVaults.created(dir);
    RecordStore s = v.store("s");
    v.lock();
    expect(Code.VAULT_LOCKED, () -> s.put("k", utf8("v")));
    expect(Code.VAULT_LOCKED, () -> s.get("k"));
    expect(Code.VAULT_LOCKED, () -> s.list("", 1));
    expect(Code.VAULT_LOCKED, () -> s.append(utf8("v")));
    expect(Code.VAULT_LOCKED, () -> v.inTransaction(tx -> null));
    expect(Code.VAULT_LOCKED, () -> v.backup(dir.resolve("b"), pass("p")));
    expect(Code.VAULT_LOCKED, v::checkIntegrity);
  }

  @Test
  void backupIntoAMissingFolderIsStorageError() throws Exception {
    Vault v = TestVaults.created(dir);
    VaultException e =
        expect(Code.STORAGE_ERROR, () -> v.backup(dir.resolve("no/such/folder/b"), pass("p")));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("folder"));
  }

  @Test
  void badNamespacesKeysAndValuesAreInvalidArguments() throws Exception {
    Vault v = TestVaults.created(dir);
    expect(Code.INVALID_ARGUMENT, () -> v.store("Bad Name"));
    expect(Code.INVALID_ARGUMENT, () -> v.store("s").put("", utf8("v")));
    expect(Code.INVALID_ARGUMENT, () -> v.store("s").put("x".repeat(1025), utf8("v")));
    expect(Code.INVALID_ARGUMENT, () -> v.store("s").put("k", null));
  }

  @Test
  void changePassphraseWithWrongCurrentChangesNothing() throws Exception {
    Vault v = TestVaults.created(dir);
    byte[] before = Files.readAllBytes(dir.resolve("vault.header"));
    expect(
        Code.WRONG_PASSPHRASE, () -> v.changePassphrase(pass("nope"), null, pass("new one"), null));
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        before, Files.readAllBytes(dir.resolve("vault.header")));
  }
}
