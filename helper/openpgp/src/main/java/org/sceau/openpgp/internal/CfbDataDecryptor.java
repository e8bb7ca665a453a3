package org.sceau.openpgp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.operator.PGPDataDecryptor;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;

/**
 * BC's data-decryptor for SEIPDv1 with AES, backed by {@link CfbDecryptor} (bulk CFB over the JDK's
 * AES/ECB) and the JDK's SHA-1 for the MDC. It replaces BC's JCE decryptor, which runs the JDK's
 * block-at-a-time {@code AES/CFB} behind a 512-byte {@code CipherInputStream}.
 */
final class CfbDataDecryptor implements PGPDataDecryptor {
  private final byte[] key;

  private CfbDataDecryptor(byte[] key) {
    this.key = key.clone();
  }

  @Override
  public InputStream getInputStream(InputStream in) {
    try {
      return new DecryptingStream(
          in, new CfbDecryptor(new SecretKeySpec(key, "AES"), new byte[CfbDecryptor.BLOCK]));
    } catch (GeneralSecurityException e) {
      // AES/ECB is mandatory in every JDK; a bad key length cannot come from a parsed session key.
      throw new IllegalStateException("AES unavailable", e);
    }
  }

  @Override
  public int getBlockSize() {
    return CfbDecryptor.BLOCK;
  }

  @Override
  public PGPDigestCalculator getIntegrityCalculator() {
    return new Sha1Calculator();
  }

  /**
   * Decrypts what it reads. Large reads decrypt straight into the caller's array (one copy less);
   * small ones go through a buffer.
   */
  static final class DecryptingStream extends InputStream {
    private static final int BUFFER = 64 * 1024;

    /**
     * BC marks the packet stream for "IV + 2 check bytes" and resets it when the check fails (to
     * try another passphrase), so nothing beyond that is read until the check bytes are out.
     */
    private static final int PREFIX = CfbDecryptor.BLOCK + 2;

    private final InputStream in;
    private final CfbDecryptor cfb;
    private final byte[] cipherBuf = new byte[BUFFER];
    private final byte[] plainBuf = new byte[BUFFER];
    private int plainStart;
    private int plainEnd;
    private long consumed;
    private boolean eof;

    DecryptingStream(InputStream in, CfbDecryptor cfb) {
      this.in = in;
      this.cfb = cfb;
    }

    /** Reads ciphertext and decrypts up to {@code len} bytes into {@code out}; -1 at the end. */
    private int decryptInto(byte[] out, int off, int len) throws IOException {
      if (eof) {
        return -1;
      }
      int want = Math.min(len, cipherBuf.length);
      if (consumed < PREFIX) {
        want = (int) Math.min(want, PREFIX - consumed);
      }
      int n = in.read(cipherBuf, 0, want);
      if (n < 0) {
        eof = true;
        return -1;
      }
      consumed += n;
      cfb.update(cipherBuf, 0, n, out, off);
      return n;
    }

    @Override
    public int read() throws IOException {
      while (plainStart == plainEnd) {
        int n = decryptInto(plainBuf, 0, plainBuf.length);
        if (n < 0) {
          return -1;
        }
        plainStart = 0;
        plainEnd = n;
      }
      return plainBuf[plainStart++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (plainStart < plainEnd) {
        int n = Math.min(len, plainEnd - plainStart);
        System.arraycopy(plainBuf, plainStart, b, off, n);
        plainStart += n;
        return n;
      }
      int n;
      do {
        n = decryptInto(b, off, len);
      } while (n == 0);
      return n;
    }

    @Override
    public int available() throws IOException {
      return plainEnd - plainStart;
    }

    @Override
    public void close() throws IOException {
      cfb.destroy();
      in.close();
    }
  }

  /** The MDC's SHA-1 on the JDK (SHA-NI intrinsic where the CPU has it). */
  static final class Sha1Calculator implements PGPDigestCalculator {
    private final MessageDigest md;

    Sha1Calculator() {
      try {
        md = MessageDigest.getInstance("SHA-1");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("SHA-1 unavailable", e);
      }
    }

    @Override
    public int getAlgorithm() {
      return HashAlgorithmTags.SHA1;
    }

    @Override
    public OutputStream getOutputStream() {
      return new OutputStream() {
        @Override
        public void write(int b) {
          md.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          md.update(b, off, len);
        }
      };
    }

    @Override
    public byte[] getDigest() {
      return md.digest();
    }

    @Override
    public void reset() {
      md.reset();
    }
  }

  /** A decryptor for SEIPDv1 with AES-{@code alg}; a key of the wrong length is refused. */
  static PGPDataDecryptor create(int alg, byte[] key) throws PGPException {
    int expected =
        switch (alg) {
          case SymmetricKeyAlgorithmTags.AES_128 -> 16;
          case SymmetricKeyAlgorithmTags.AES_192 -> 24;
          case SymmetricKeyAlgorithmTags.AES_256 -> 32;
          default -> throw new PGPException("not an AES algorithm: " + alg);
        };
    if (key.length != expected) {
      throw new PGPException("session key length does not match the AES variant");
    }
    return new CfbDataDecryptor(key);
  }
}
