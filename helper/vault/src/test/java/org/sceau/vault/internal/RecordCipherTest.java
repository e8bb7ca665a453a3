package org.sceau.vault.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sceau.vault.VaultException;
import org.sceau.vault.VaultException.Code;

class RecordCipherTest {
  private final RecordCipher c = new RecordCipher(new byte[32]);
  private final byte[] v = "value".getBytes(StandardCharsets.UTF_8);

  @Test
  void roundTrips() throws Exception {
    assertArrayEquals(v, c.open("ns", "k", c.seal("ns", "k", v)));
  }

  @Test
  void valueMovedToAnotherKeyOrNamespaceIsCorrupted() {
    byte[] sealed = c.seal("ns", "k", v);
    assertEquals(
        Code.CORRUPTED,
        assertThrows(VaultException.class, () -> c.open("ns", "k2", sealed)).code());
    assertEquals(
        Code.CORRUPTED, assertThrows(VaultException.class, () -> c.open("nt", "k", sealed)).code());
    // The (ns, key) encoding is unambiguous: "a"+"bc" is not "ab"+"c".
    byte[] abc = c.seal("a", "bc", v);
    assertThrows(VaultException.class, () -> c.open("ab", "c", abc));
  }

  @Test
  void anyFlippedBitIsCorrupted() {
    byte[] sealed = c.seal("ns", "k", v);
    for (int i = 0; i < sealed.length; i++) {
      byte[] t = sealed.clone();
      t[i] ^= 1;
      assertEquals(
          Code.CORRUPTED, assertThrows(VaultException.class, () -> c.open("ns", "k", t)).code());
    }
  }

  @Test
  void closeWipesTheRecordKey() {
    RecordCipher d =
        new RecordCipher(
            new byte[] {
              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
              17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
            });
    d.close();
    assertArrayEquals(new byte[32], d.key);
  }
}
