package org.sceau.bitmessage.internal;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.math.ec.ECPoint;
import org.sceau.bitmessage.BadMacException;
import org.sceau.bitmessage.MalformedObjectException;

/**
 * ECIES exactly as PyBitmessage's pyelliptic lays it out:
 *
 * <pre>
 * IV[16] ‖ 0x02CA ‖ len(R.x) ‖ R.x ‖ len(R.y) ‖ R.y ‖ AES-256-CBC(key_e, IV, m) ‖ HMAC-SHA256(key_m, all before)
 * key_e ‖ key_m = SHA-512(x(r·K))
 * </pre>
 *
 * The MAC is checked, in constant time, before anything is decrypted.
 */
public final class Ecies {
  public static final int CURVE_SECP256K1 = 0x02CA;

  /** IV + curve + 2 lengths + minimal coordinates + one AES block + MAC. */
  public static final int MIN_LENGTH = 16 + 2 + 2 + 1 + 2 + 1 + 16 + 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ecies() {}

  public static byte[] encrypt(ECPoint recipient, byte[] plaintext) {
    byte[] iv = new byte[16];
    RANDOM.nextBytes(iv);
    return encrypt(recipient, plaintext, Secp256k1.randomPrivateKey(), iv);
  }

  /** Encryption with a given ephemeral key and IV: only for reproducible test vectors. */
  public static byte[] encrypt(
      ECPoint recipient, byte[] plaintext, byte[] ephemeralPriv, byte[] iv) {
    ECPoint r = Secp256k1.publicPoint(ephemeralPriv);
    byte[] key = Hashes.sha512(Secp256k1.ecdhX(ephemeralPriv, recipient));
    byte[] c = aes(true, Arrays.copyOf(key, 32), iv, plaintext);
    // pyelliptic writes the coordinates with BN_bn2bin: leading zero bytes dropped.
    byte[] rx = stripLeadingZeros(r.getAffineXCoord().getEncoded());
    byte[] ry = stripLeadingZeros(r.getAffineYCoord().getEncoded());
    WireWriter w = new WireWriter(16 + 6 + rx.length + ry.length + c.length + 32);
    w.bytes(iv).u16(CURVE_SECP256K1).u16(rx.length).bytes(rx).u16(ry.length).bytes(ry).bytes(c);
    byte[] body = w.toByteArray();
    byte[] mac = Hashes.hmacSha256(Arrays.copyOfRange(key, 32, 64), body, 0, body.length);
    Arrays.fill(key, (byte) 0);
    return Bytes.concat(body, mac);
  }

  public static byte[] decrypt(byte[] priv, byte[] blob)
      throws MalformedObjectException, BadMacException {
    if (blob.length < MIN_LENGTH) {
      throw new MalformedObjectException("encrypted payload too short");
    }
    WireReader r = new WireReader(blob, 0, blob.length - 32);
    r.skip(16, "IV");
    if (r.u16("curve type") != CURVE_SECP256K1) {
      throw new MalformedObjectException("encrypted payload is not for secp256k1");
    }
    int xl = r.u16("R.x length");
    if (xl == 0 || xl > 32) {
      throw new MalformedObjectException("bad ephemeral key length");
    }
    byte[] x = r.bytes(xl, "R.x");
    int yl = r.u16("R.y length");
    if (yl == 0 || yl > 32) {
      throw new MalformedObjectException("bad ephemeral key length");
    }
    byte[] y = r.bytes(yl, "R.y");
    int cStart = r.position();
    int cLen = r.remaining();
    if (cLen == 0 || cLen % 16 != 0) {
      throw new MalformedObjectException("ciphertext is not a whole number of AES blocks");
    }
    byte[] point = new byte[65];
    point[0] = 4;
    System.arraycopy(x, 0, point, 33 - xl, xl);
    System.arraycopy(y, 0, point, 65 - yl, yl);
    ECPoint ephemeral = Secp256k1.decodePoint(point);
    byte[] key = Hashes.sha512(Secp256k1.ecdhX(priv, ephemeral));
    try {
      byte[] mac = Hashes.hmacSha256(Arrays.copyOfRange(key, 32, 64), blob, 0, blob.length - 32);
      if (!Bytes.constantTimeEquals(mac, Arrays.copyOfRange(blob, blob.length - 32, blob.length))) {
        throw new BadMacException("encrypted payload is not for this key, or was altered");
      }
      byte[] iv = Arrays.copyOf(blob, 16);
      try {
        return aes(
            false, Arrays.copyOf(key, 32), iv, Arrays.copyOfRange(blob, cStart, cStart + cLen));
      } catch (IllegalStateException e) {
        throw new MalformedObjectException("bad padding in an authenticated payload");
      }
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] aes(boolean encrypt, byte[] key, byte[] iv, byte[] in) {
    BufferedBlockCipher c =
        new PaddedBufferedBlockCipher(
            CBCBlockCipher.newInstance(AESEngine.newInstance()), new PKCS7Padding());
    c.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
    byte[] out = new byte[c.getOutputSize(in.length)];
    int n = c.processBytes(in, 0, in.length, out, 0);
    try {
      n += c.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("padding");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  static byte[] stripLeadingZeros(byte[] b) {
    int i = 0;
    while (i < b.length - 1 && b[i] == 0) {
      i++;
    }
    return Arrays.copyOfRange(b, i, b.length);
  }
}
