package org.sceau.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.vault.TestVaults.FAST;
import static org.sceau.vault.TestVaults.pass;
import static org.sceau.vault.TestVaults.utf8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.vault.VaultException.Code;

class VaultTest {
  @TempDir Path dir;

  @Test
  void createdVaultIsUnlockedAndReopensAfterLock() throws Exception {
    Vault v = Vault.at(dir, FAST);
    assertEquals(VaultStatus.State.ABSENT, v.status().state());
    v.create(pass("correct horse"), null);
    assertEquals(VaultStatus.State.UNLOCKED, v.status().state());
    v.store("test").put("k", utf8("v"));
    v.lock();
    assertEquals(VaultStatus.State.LOCKED, v.status().state());
    v.unlock(pass("correct horse"), null);
    assertArrayEquals(utf8("v"), v.store("test").get("k").orElseThrow().value());
    v.close();

    Vault again = Vault.at(dir, FAST);
    again.unlock(pass("correct horse"), null);
    assertArrayEquals(utf8("v"), again.store("test").get("k").orElseThrow().value());
    assertEquals(FAST.kdf(), again.status().kdf());
    again.close();
  }

  @Test
  void passphraseArraysAreWipedAfterUse() throws Exception {
    char[] p = pass("correct horse");
    Vault v = Vault.at(dir, FAST);
    v.create(p, null);
    for (char c : p) {
      assertEquals('\0', c);
    }
    v.lock();
    char[] wrong = pass("wrong");
    assertThrows(VaultException.class, () -> v.unlock(wrong, null));
    for (char c : wrong) {
      assertEquals('\0', c);
    }
  }

  @Test
  void recordStoreSupportsPutGetDeleteListCountAppend() throws Exception {
    Vault v = TestVaults.created(dir);
    RecordStore s = v.store("openpgp.keys");
    s.put("b/2", utf8("two"));
    s.put("a/1", utf8("one"));
    s.put("b/1", utf8("uno"));
    s.put("b/1", utf8("one again"));
    v.store("other").put("b/3", utf8("elsewhere"));
    assertEquals(3, s.count());
    assertEquals(List.of("b/1", "b/2"), s.keys("b/"));
    assertEquals(List.of("a/1", "b/1", "b/2"), s.keys(""));
    List<Record> bs = s.list("b/", 10);
    assertEquals(2, bs.size());
    assertArrayEquals(utf8("one again"), bs.get(0).value());
    assertEquals(1, s.list("b/", 1).size());
    assertTrue(s.delete("a/1"));
    assertFalse(s.delete("a/1"));
    assertTrue(s.get("a/1").isEmpty());

    RecordStore history = v.store("chat.history");
    String k1 = history.append(utf8("first"));
    String k2 = history.append(utf8("second"));
    assertTrue(k1.compareTo(k2) < 0);
    assertEquals(List.of(k1, k2), history.keys(""));
  }

  @Test
  void typedRepositoryRoundTripsValues() throws Exception {
    Vault v = TestVaults.created(dir);
    Repository<String> names = v.repository("contacts", Codec.utf8());
    names.put("alice", "Alice Liddell");
    assertEquals("Alice Liddell", names.get("alice").orElseThrow());
    assertEquals(List.of("Alice Liddell"), names.list("", 10));
    assertEquals(1, names.count());
  }

  @Test
  void transactionCommitsAllOrNothing() throws Exception {
    Vault v = TestVaults.created(dir);
    v.inTransaction(
        tx -> {
          tx.store("a").put("x", utf8("1"));
          tx.store("b").put("y", utf8("2"));
          return null;
        });
    VaultException boom =
        assertThrows(
            VaultException.class,
            () ->
                v.inTransaction(
                    tx -> {
                      tx.store("a").put("z", utf8("3"));
                      throw new VaultException(Code.INVALID_ARGUMENT, "stop");
                    }));
    assertEquals(Code.INVALID_ARGUMENT, boom.code());
    assertTrue(v.store("a").get("x").isPresent());
    assertTrue(v.store("b").get("y").isPresent());
    assertTrue(v.store("a").get("z").isEmpty());
  }

  @Test
  void manyThreadsWriteAndReadConcurrently() throws Exception {
    Vault v = TestVaults.created(dir);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      Set<String> appended = ConcurrentHashMap.newKeySet();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    String k = thread + "-" + i;
                    v.store("conc").put(k, utf8(k));
                    assertArrayEquals(utf8(k), v.store("conc").get(k).orElseThrow().value());
                    appended.add(v.store("log").append(utf8(k)));
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertEquals(400, v.store("conc").count());
      assertEquals(400, appended.size());
      assertEquals(400, new HashSet<>(v.store("log").keys("")).size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void locksItselfWhenIdleAndTellsListeners() throws Exception {
    Vault v = Vault.at(dir, FAST.withIdleTimeout(Duration.ofMillis(200)));
    AtomicReference<VaultListener.LockReason> reason = new AtomicReference<>();
    v.addListener(
        new VaultListener() {
          @Override
          public void locked(LockReason r) {
            reason.set(r);
          }
        });
    v.create(pass("correct horse"), null);
    v.store("s").put("k", utf8("v"));
    // Bounded wait for the timer; no assertion on how long it took.
    for (int i = 0; i < 250 && v.isUnlocked(); i++) {
      Thread.sleep(20);
    }
    assertFalse(v.isUnlocked());
    assertEquals(VaultListener.LockReason.IDLE, reason.get());
    VaultException e = assertThrows(VaultException.class, () -> v.store("s").get("k"));
    assertEquals(Code.VAULT_LOCKED, e.code());
    v.unlock(pass("correct horse"), null);
    assertTrue(v.store("s").get("k").isPresent());
    v.close();
  }

  @Test
  void aNewIdleTimeoutAppliesAtOnceToAnOpenVault() throws Exception {
    Vault v = Vault.at(dir, FAST.withIdleTimeout(Duration.ZERO));
    v.create(pass("correct horse"), null);
    assertEquals(Duration.ZERO, v.status().idleTimeout());
    v.setIdleTimeout(Duration.ofMillis(200));
    assertEquals(Duration.ofMillis(200), v.status().idleTimeout());
    // Bounded wait for the timer started by the change; no assertion on how long it took.
    for (int i = 0; i < 250 && v.isUnlocked(); i++) {
      Thread.sleep(20);
    }
    assertFalse(v.isUnlocked(), "locked by the new delay without a new unlock");
    // Back to never: an unlocked vault then stays open.
    v.unlock(pass("correct horse"), null);
    v.setIdleTimeout(Duration.ZERO);
    Thread.sleep(400);
    assertTrue(v.isUnlocked());
    v.close();
  }

  @Test
  void changePassphraseRewrapsOnlyTheHeader() throws Exception {
    Vault v = TestVaults.created(dir);
    v.store("s").put("k", utf8("v"));
    v.changePassphrase(pass("correct horse"), null, pass("battery staple"), null);
    v.lock();
    assertEquals(
        Code.WRONG_PASSPHRASE,
        assertThrows(VaultException.class, () -> v.unlock(pass("correct horse"), null)).code());
    v.unlock(pass("battery staple"), null);
    assertTrue(v.store("s").get("k").isPresent());
  }

  @Test
  void keyFileCanBeAddedAndRemoved() throws Exception {
    Vault v = TestVaults.created(dir);
    v.store("s").put("k", utf8("v"));
    Path usb = TestVaults.keyFile(dir, "usb.key", new byte[] {1, 2, 3, 4, 5});
    v.changePassphrase(pass("correct horse"), null, pass("correct horse"), usb);
    v.lock();
    assertTrue(v.status().keyFileRequired());
    assertEquals(
        Code.KEY_FILE_MISSING,
        assertThrows(VaultException.class, () -> v.unlock(pass("correct horse"), null)).code());
    v.unlock(pass("correct horse"), usb);
    v.changePassphrase(pass("correct horse"), usb, pass("correct horse"), null);
    v.lock();
    assertFalse(v.status().keyFileRequired());
    v.unlock(pass("correct horse"), null);
    assertTrue(v.store("s").get("k").isPresent());
  }

  @Test
  void changePassphraseCanRaiseArgon2Parameters() throws Exception {
    TestVaults.created(dir).close();
    KdfParams stronger = new KdfParams(2048, 2, 1);
    Vault v = Vault.at(dir, FAST.withKdf(stronger));
    v.changePassphrase(pass("correct horse"), null, pass("correct horse"), null);
    assertEquals(stronger, v.status().kdf());
    v.unlock(pass("correct horse"), null);
  }

  @Test
  void depositsWhileLockedWaitSealedAndAreStoredAtUnlock() throws Exception {
    Vault v = TestVaults.created(dir);
    v.lock();
    v.deposit("bm.inbox", "msg-1", utf8("arrived while locked"));
    assertEquals(1, v.status().pendingDeposits());
    try (var files = Files.walk(dir.resolve("pending"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content =
            new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(content.contains("arrived while locked"));
        assertFalse(content.contains("bm.inbox"));
      }
    }
    v.unlock(pass("correct horse"), null);
    assertArrayEquals(
        utf8("arrived while locked"), v.store("bm.inbox").get("msg-1").orElseThrow().value());
    assertEquals(0, v.status().pendingDeposits());
    v.deposit("bm.inbox", "msg-2", utf8("while open"));
    assertTrue(v.store("bm.inbox").get("msg-2").isPresent());
  }

  @Test
  void defaultArgon2ParametersCreateAndUnlock() throws Exception {
    Vault v = Vault.at(dir, VaultOptions.defaults());
    v.create(pass("correct horse"), null);
    v.lock();
    v.unlock(pass("correct horse"), null);
    assertEquals(KdfParams.defaults(), v.status().kdf());
    assertEquals(new KdfParams(65536, 3, 1), v.status().kdf());
    v.close();
  }
}
