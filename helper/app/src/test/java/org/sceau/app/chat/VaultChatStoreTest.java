package org.sceau.app.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.chat.ChatException;
import org.sceau.vault.Vault;

class VaultChatStoreTest {
  @TempDir Path dir;

  @Test
  void writesAreAtomicAndKeysAreListedInOrder() throws Exception {
    try (Vault vault = Vault.at(dir, ChatCapabilityTest.FAST)) {
      vault.create("pass".toCharArray(), null);
      VaultChatStore store = new VaultChatStore(vault);
      store.write(
          Map.of(
              "conv/02/state", new byte[] {2}, "conv/01/state", new byte[] {1}, "x", new byte[1]),
          Set.of());
      assertEquals(List.of("conv/01/state", "conv/02/state"), store.keys("conv/"));
      store.write(Map.of("conv/03/state", new byte[] {3}), Set.of("conv/01/state", "x"));
      assertEquals(List.of("conv/02/state", "conv/03/state"), store.keys("conv/"));
      assertTrue(store.get("x").isEmpty());
      assertArrayEquals(new byte[] {3}, store.get("conv/03/state").orElseThrow());
      // A key both written and deleted is written (as InMemoryChatStore does).
      store.write(Map.of("k", new byte[] {9}), Set.of("k"));
      assertArrayEquals(new byte[] {9}, store.get("k").orElseThrow());
    }
  }

  @Test
  void aLockedVaultIsAStoreFailureNotData() throws Exception {
    try (Vault vault = Vault.at(dir, ChatCapabilityTest.FAST)) {
      vault.create("pass".toCharArray(), null);
      VaultChatStore store = new VaultChatStore(vault);
      store.put("k", new byte[] {1});
      vault.lock();
      assertEquals(
          ChatException.Code.STORE_FAILED,
          assertThrows(ChatException.class, () -> store.get("k")).code());
      assertEquals(
          ChatException.Code.STORE_FAILED,
          assertThrows(ChatException.class, () -> store.put("k", new byte[] {2})).code());
    }
  }

  @Test
  void groupStateAndDeviceKeyAreNotOnDiskInClear() throws Exception {
    byte[] marker = "CHAT-STATE-MARKER-5f1c2e".getBytes(StandardCharsets.US_ASCII);
    try (Vault vault = Vault.at(dir, ChatCapabilityTest.FAST)) {
      vault.create("pass".toCharArray(), null);
      VaultChatStore store = new VaultChatStore(vault);
      for (int i = 0; i < 50; i++) {
        store.write(Map.of("conv/" + i + "/state", marker, "device/key", marker), Set.of());
      }
      vault.lock();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(contains(Files.readAllBytes(f), marker), f.toString());
      }
    }
  }

  static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
