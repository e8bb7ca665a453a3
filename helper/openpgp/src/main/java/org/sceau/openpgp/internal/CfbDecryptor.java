package org.sceau.openpgp.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.NoSuchProviderException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;

/**
 * AES in plain CFB mode (full-block feedback, no OpenPGP resync: what SEIPDv1 uses), decryption
 * only, computed in bulk.
 *
 * <p>Why: CFB <em>encryption</em> is serial, but decryption is not, since P_i = C_i XOR
 * E_K(C_{i-1}) with C_{-1} = IV. The JDK 17 {@code AES/CFB} cipher still decrypts one block per
 * call (about 450 MB/s here), while one {@code AES/ECB} call over the ciphertext shifted by one
 * block runs the pipelined AES-NI/VAES intrinsic (several GB/s). So each {@link #update} runs ECB
 * over "previous block || C_0 .. C_{n-2}" and XORs the result with C_0 .. C_{n-1}.
 *
 * <p>State kept across calls: {@code register} holds the previous ciphertext block when at a block
 * boundary, otherwise the ciphertext bytes of the started block, whose keystream is in {@code
 * keystream}. Not thread-safe; one instance per message.
 */
final class CfbDecryptor {
  static final int BLOCK = 16;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final Cipher ecb;
  private final byte[] register = new byte[BLOCK];
  private final byte[] keystream = new byte[BLOCK];
  private int pos;

  /**
   * @param key an AES key (128, 192 or 256 bits)
   * @param iv the 16-byte initial vector (all zero in OpenPGP SEIPDv1)
   */
  CfbDecryptor(SecretKey key, byte[] iv) throws GeneralSecurityException {
    if (iv.length != BLOCK) {
      throw new IllegalArgumentException("IV must be " + BLOCK + " bytes");
    }
    ecb = aesEcb();
    ecb.init(Cipher.ENCRYPT_MODE, key);
    System.arraycopy(iv, 0, register, 0, BLOCK);
  }

  /** SunJCE by name: a provider registered ahead of it (BC's) would lose the AES-NI intrinsics. */
  private static Cipher aesEcb() throws GeneralSecurityException {
    try {
      return Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
    } catch (NoSuchProviderException e) {
      return Cipher.getInstance("AES/ECB/NoPadding");
    }
  }

  /**
   * Decrypts {@code len} bytes of {@code in} from {@code inOff} into {@code out} at {@code outOff}.
   * Any length is accepted; a started block is continued by the next call. {@code in} and {@code
   * out} must be different arrays (the keystream is written into {@code out} first).
   */
  void update(byte[] in, int inOff, int len, byte[] out, int outOff) {
    Objects.checkFromIndexSize(inOff, len, in.length);
    Objects.checkFromIndexSize(outOff, len, out.length);
    if (in == out) {
      throw new IllegalArgumentException("in and out must be different arrays");
    }
    try {
      if (pos != 0) {
        int n = Math.min(len, BLOCK - pos);
        finishBytes(in, inOff, n, out, outOff);
        inOff += n;
        outOff += n;
        len -= n;
        if (len == 0) {
          return;
        }
      }
      // At a block boundary: register is the previous ciphertext block.
      int full = len & -BLOCK;
      if (full > 0) {
        ecb.update(register, 0, BLOCK, out, outOff);
        if (full > BLOCK) {
          ecb.update(in, inOff, full - BLOCK, out, outOff + BLOCK);
        }
        System.arraycopy(in, inOff + full - BLOCK, register, 0, BLOCK);
        xor(in, inOff, out, outOff, full);
        inOff += full;
        outOff += full;
        len -= full;
      }
      if (len > 0) {
        ecb.update(register, 0, BLOCK, keystream, 0);
        finishBytes(in, inOff, len, out, outOff);
      }
    } catch (GeneralSecurityException e) {
      // ShortBufferException cannot happen: every output range was checked above.
      throw new IllegalStateException("AES/ECB failed", e);
    }
  }

  /** Byte-wise CFB within the started block; {@code n <= BLOCK - pos}. */
  private void finishBytes(byte[] in, int inOff, int n, byte[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      byte c = in[inOff + i];
      out[outOff + i] = (byte) (c ^ keystream[pos + i]);
      register[pos + i] = c;
    }
    pos = (pos + n) & (BLOCK - 1);
  }

  /**
   * out[i] ^= in[i], eight bytes at a time: C2 does not vectorise the byte loop when the two
   * offsets differ, and that loop cost more than the AES itself.
   */
  private static void xor(byte[] in, int inOff, byte[] out, int outOff, int len) {
    int i = 0;
    for (; i <= len - 8; i += 8) {
      long x = (long) LONGS.get(in, inOff + i) ^ (long) LONGS.get(out, outOff + i);
      LONGS.set(out, outOff + i, x);
    }
    for (; i < len; i++) {
      out[outOff + i] = (byte) (out[outOff + i] ^ in[inOff + i]);
    }
  }

  /** Forgets the feedback state (it is derived from ciphertext, but no need to keep it). */
  void destroy() {
    Arrays.fill(register, (byte) 0);
    Arrays.fill(keystream, (byte) 0);
  }
}
