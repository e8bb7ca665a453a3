package org.sceau.openpgp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CFBBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.openpgp.PGPException;

/**
 * The bulk CFB decryptor against two independent CFB implementations (the JDK's AES/CFB and BC's
 * CFBBlockCipher), for random keys, IVs, lengths up to 100 KiB and random update() split points.
 */
class CfbDecryptorTest {
  private static final int MAX_LEN = 100 * 1024;

  /** A random case drawn from one seed, so jqwik can shrink and replay it. */
  private record Case(byte[] key, byte[] iv, byte[] ciphertext) {
    static Case draw(Random r) {
      byte[] key = new byte[16 + 8 * r.nextInt(3)];
      r.nextBytes(key);
      byte[] iv = new byte[16];
      if (r.nextBoolean()) {
        r.nextBytes(iv); // OpenPGP's SEIPD uses a zero IV; any IV must work.
      }
      byte[] ct = new byte[length(r)];
      r.nextBytes(ct);
      return new Case(key, iv, ct);
    }

    /** Mostly short lengths around block edges, sometimes up to MAX_LEN. */
    private static int length(Random r) {
      return switch (r.nextInt(4)) {
        case 0 -> r.nextInt(64);
        case 1 -> Math.max(0, 16 * r.nextInt(64) + r.nextInt(3) - 1);
        case 2 -> r.nextInt(4096);
        default -> r.nextInt(MAX_LEN + 1);
      };
    }
  }

  static byte[] jdkCfb(Case c) throws Exception {
    Cipher jdk = Cipher.getInstance("AES/CFB/NoPadding");
    jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(c.key, "AES"), new IvParameterSpec(c.iv));
    return jdk.doFinal(c.ciphertext);
  }

  static byte[] bcCfb(Case c) {
    CFBBlockCipher bc = (CFBBlockCipher) CFBBlockCipher.newInstance(AESEngine.newInstance(), 128);
    bc.init(false, new ParametersWithIV(new KeyParameter(c.key), c.iv));
    byte[] out = new byte[c.ciphertext.length];
    bc.processBytes(c.ciphertext, 0, c.ciphertext.length, out, 0);
    return out;
  }

  /** Random ascending cut points in [0, len], including repeats (empty updates). */
  static int[] cuts(Random r, int len) {
    int[] cuts =
        switch (r.nextInt(3)) {
          case 0 -> new int[0];
          case 1 -> new int[r.nextInt(8)];
          default -> new int[r.nextInt(64)];
        };
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = r.nextInt(len + 1);
    }
    Arrays.sort(cuts);
    return cuts;
  }

  @Property(tries = 300)
  void bulkDecryptionEqualsJdkAndBcCfbForAnySplitOfUpdates(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    Case c = Case.draw(r);
    int[] cuts = cuts(r, c.ciphertext.length);

    CfbDecryptor cfb = new CfbDecryptor(new SecretKeySpec(c.key, "AES"), c.iv);
    byte[] out = new byte[c.ciphertext.length];
    int from = 0;
    for (int cut : cuts) {
      cfb.update(c.ciphertext, from, cut - from, out, from);
      from = cut;
    }
    cfb.update(c.ciphertext, from, c.ciphertext.length - from, out, from);

    byte[] expected = jdkCfb(c);
    assertArrayEquals(expected, out, "against the JDK's AES/CFB/NoPadding");
    assertArrayEquals(bcCfb(c), out, "against BC's CFBBlockCipher");
  }

  @Property(tries = 100)
  void singleBytesAndOddOffsetsDecryptLikeOneCall(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int offset) throws Exception {
    Random r = new Random(seed);
    byte[] key = new byte[32];
    r.nextBytes(key);
    byte[] ct = new byte[r.nextInt(200)];
    r.nextBytes(ct);
    Case c = new Case(key, new byte[16], ct);
    CfbDecryptor cfb = new CfbDecryptor(new SecretKeySpec(key, "AES"), c.iv);
    byte[] in = new byte[offset + ct.length];
    System.arraycopy(ct, 0, in, offset, ct.length);
    byte[] out = new byte[ct.length + 3];
    for (int i = 0; i < ct.length; i++) {
      cfb.update(in, offset + i, 1, out, 3 + i);
    }
    assertArrayEquals(jdkCfb(c), Arrays.copyOfRange(out, 3, out.length));
  }

  /** Hands out what it holds in randomly short pieces, as a partial-length packet stream may. */
  private static final class ChoppyInput extends FilterInputStream {
    private final Random r;
    long delivered;

    ChoppyInput(byte[] data, Random r) {
      super(new ByteArrayInputStream(data));
      this.r = r;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        delivered++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len == 0 ? 0 : 1 + r.nextInt(len));
      if (n > 0) {
        delivered += n;
      }
      return n;
    }
  }

  @Property(tries = 150)
  void decryptingStreamEqualsJdkCfbForAnyReadPattern(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    Case c = Case.draw(r);
    InputStream s =
        CfbDataDecryptor.create(algFor(c.key), c.key)
            .getInputStream(new ChoppyInput(c.ciphertext, r));
    // Only the zero IV is reachable through the OpenPGP decryptor.
    byte[] expected = jdkCfb(new Case(c.key, new byte[16], c.ciphertext));
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[70_000];
    while (true) {
      if (r.nextInt(4) == 0) {
        int b = s.read();
        if (b < 0) {
          break;
        }
        got.write(b);
      } else {
        int off = r.nextInt(8);
        int n = s.read(buf, off, r.nextInt(buf.length - off));
        if (n < 0) {
          break;
        }
        got.write(buf, off, n);
      }
    }
    assertArrayEquals(expected, got.toByteArray());
    assertEquals(-1, s.read());
  }

  @Example
  void readsNoMoreThanPrefixBeforeTheQuickCheck() throws Exception {
    // BC marks the packet stream for IV + 2 check bytes and resets on a failed check.
    byte[] key = new byte[16];
    ChoppyInput src = new ChoppyInput(new byte[100_000], new Random(1));
    InputStream s =
        CfbDataDecryptor.create(SymmetricKeyAlgorithmTags.AES_128, key).getInputStream(src);
    for (int i = 0; i < 18; i++) {
      assertTrue(s.read() >= 0);
    }
    assertTrue(src.delivered <= 18, "read " + src.delivered + " bytes before the check");
  }

  @Example
  void refusesKeysThatDoNotMatchTheAlgorithm() {
    assertThrows(
        PGPException.class,
        () -> CfbDataDecryptor.create(SymmetricKeyAlgorithmTags.AES_256, new byte[16]));
    assertThrows(
        PGPException.class,
        () -> CfbDataDecryptor.create(SymmetricKeyAlgorithmTags.CAST5, new byte[16]));
  }

  @Example
  void refusesSameArrayForInputAndOutput() throws Exception {
    CfbDecryptor cfb = new CfbDecryptor(new SecretKeySpec(new byte[16], "AES"), new byte[16]);
    byte[] b = new byte[32];
    assertThrows(IllegalArgumentException.class, () -> cfb.update(b, 0, 32, b, 0));
  }

  static int algFor(byte[] key) {
    return switch (key.length) {
      case 16 -> SymmetricKeyAlgorithmTags.AES_128;
      case 24 -> SymmetricKeyAlgorithmTags.AES_192;
      default -> SymmetricKeyAlgorithmTags.AES_256;
    };
  }
}
