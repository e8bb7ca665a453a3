package org.sceau.vault.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.sceau.vault.KdfParams;
import org.sceau.vault.VaultException;

/** Parsers of on-disk formats accept anything and fail only with typed errors. */
class ParserPropertiesTest {
  private static final KdfParams FAST = new KdfParams(64, 1, 1);

  @Property(tries = 300)
  void headerParseOfArbitraryBytesIsTypedOrValid(@ForAll @Size(max = 400) byte[] bytes) {
    try {
      assertNotNull(Header.parse(bytes));
    } catch (VaultException e) {
      assertNotNull(e.code());
    }
  }

  @Property(tries = 200)
  void headerWithOneFlippedByteNeverParsesSilentlyWrong(
      @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    Header h =
        new Header(
            FAST,
            new byte[16],
            false,
            new byte[4],
            "store-0123456789abcdef.db",
            new byte[32],
            new byte[12],
            new byte[48]);
    byte[] b = h.encode();
    b[where % b.length] ^= (byte) mask;
    try {
      Header.parse(b);
      throw new AssertionError("a damaged header parsed");
    } catch (VaultException e) {
      assertNotNull(e.code());
    }
  }

  @Provide
  Arbitrary<byte[]> backupPrefixes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
  }

  @Property(tries = 100)
  void backupReaderOfArbitraryBytesIsTyped(@ForAll("backupPrefixes") byte[] tail) {
    // Starts like a backup so the reader gets past the magic and into the bounded fields.
    byte[] b = new byte[8 + tail.length];
    System.arraycopy(BackupFormat.MAGIC, 0, b, 0, 8);
    System.arraycopy(tail, 0, b, 8, tail.length);
    try (BackupFormat.Reader r =
        BackupFormat.Reader.open(new ByteArrayInputStream(b), "pw".toCharArray())) {
      r.readAllBytes();
      throw new AssertionError("random bytes decrypted");
    } catch (VaultException e) {
      assertNotNull(e.code());
    } catch (BackupFormat.VaultIoException e) {
      assertNotNull(e.vaultException().code());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Property(tries = 30)
  void backupStreamRoundTripsAndRejectsAnyFlip(
      @ForAll @Size(max = 150_000) byte[] payload,
      @ForAll @IntRange(min = 0, max = 1 << 20) int where)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (BackupFormat.Writer w = new BackupFormat.Writer(out, "pw".toCharArray(), FAST)) {
      new DataOutputStream(w).write(payload);
    }
    byte[] file = out.toByteArray();
    try (BackupFormat.Reader r =
        BackupFormat.Reader.open(new ByteArrayInputStream(file), "pw".toCharArray())) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(payload, r.readAllBytes());
    }
    file[where % file.length] ^= 1;
    try (BackupFormat.Reader r =
        BackupFormat.Reader.open(new ByteArrayInputStream(file), "pw".toCharArray())) {
      r.readAllBytes();
      throw new AssertionError("a flipped backup decrypted");
    } catch (VaultException e) {
      assertNotNull(e.code());
    } catch (BackupFormat.VaultIoException e) {
      assertNotNull(e.vaultException().code());
    }
  }
}
