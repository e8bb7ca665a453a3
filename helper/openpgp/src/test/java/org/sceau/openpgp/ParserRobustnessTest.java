package org.sceau.openpgp;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Hostile input (random bytes, cut or flipped real messages) only ever yields typed errors. */
class ParserRobustnessTest {
  static final byte[] MESSAGE;

  static {
    try {
      ByteArrayOutputStream ct = new ByteArrayOutputStream();
      MessageEncryptor.builder()
          .to(TestKeys.BOB.key().certificate())
          .signWith(TestKeys.BOB.key(), Passphrase.none())
          .encoding(Encoding.BINARY)
          .build()
          .encrypt(new ByteArrayInputStream("payload".getBytes()), ct);
      MESSAGE = ct.toByteArray();
    } catch (OpenPgpException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Property(tries = 200)
  void randomBytesAreNeverACertificate(@ForAll @Size(max = 2048) byte[] data) {
    try {
      Keys.readCertificate(data);
    } catch (OpenPgpException e) {
      assertNotNull(e.code());
    }
  }

  @Property(tries = 200)
  void damagedMessagesFailWithTypedErrors(
      @ForAll @Size(max = 400) int cut, @ForAll int position, @ForAll byte mask) {
    byte[] m = MESSAGE.clone();
    int p = Math.floorMod(position, m.length);
    m[p] ^= (mask == 0 ? 1 : mask);
    byte[] in = java.util.Arrays.copyOf(m, Math.max(1, m.length - Math.floorMod(cut, 400)));
    try {
      MessageDecryptor.builder()
          .withKey(TestKeys.BOB.key(), Passphrase.none())
          .verifyWith(TestKeys.BOB.key().certificate())
          .build()
          .decrypt(new ByteArrayInputStream(in), new ByteArrayOutputStream());
    } catch (OpenPgpException e) {
      assertNotNull(e.code());
    }
  }
}
