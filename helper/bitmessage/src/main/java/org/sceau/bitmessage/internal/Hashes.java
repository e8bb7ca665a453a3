package org.sceau.bitmessage.internal;

import java.util.Arrays;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** The hash functions the protocol uses, from Bouncy Castle (the JDK has no RIPEMD-160). */
public final class Hashes {
  private Hashes() {}

  private static byte[] run(Digest d, byte[]... parts) {
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }

  public static byte[] sha512(byte[]... parts) {
    return run(new SHA512Digest(), parts);
  }

  public static byte[] sha512(byte[] data, int off, int len) {
    SHA512Digest d = new SHA512Digest();
    d.update(data, off, len);
    byte[] out = new byte[64];
    d.doFinal(out, 0);
    return out;
  }

  public static byte[] doubleSha512(byte[]... parts) {
    return sha512(sha512(parts));
  }

  public static byte[] sha256(byte[]... parts) {
    return run(new SHA256Digest(), parts);
  }

  public static byte[] ripemd160(byte[]... parts) {
    return run(new RIPEMD160Digest(), parts);
  }

  public static byte[] hmacSha256(byte[] key, byte[] data, int off, int len) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    mac.update(data, off, len);
    byte[] out = new byte[32];
    mac.doFinal(out, 0);
    return out;
  }

  /** SHA512(SHA512(data))[0:32]: the inventory vector of an object. */
  public static byte[] inventoryHash(byte[] object) {
    return Arrays.copyOf(doubleSha512(object), 32);
  }
}
