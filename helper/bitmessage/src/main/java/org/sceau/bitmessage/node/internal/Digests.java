package org.sceau.bitmessage.node.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * SHA-512 through the JDK (intrinsic on x86-64), one instance per thread: the node hashes every
 * received object (inventory vector, proof of work, packet checksum), so this is its hot path.
 */
final class Digests {
  private static final ThreadLocal<MessageDigest> SHA512 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-512");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("the JDK always has SHA-512", e);
            }
          });

  private Digests() {}

  static byte[] sha512(byte[] data, int off, int len) {
    MessageDigest md = SHA512.get();
    md.update(data, off, len);
    return md.digest();
  }

  /** SHA512(SHA512(object))[0:32]. */
  static byte[] inventoryHash(byte[] object) {
    MessageDigest md = SHA512.get();
    byte[] first = md.digest(object);
    return Arrays.copyOf(md.digest(first), 32);
  }

  /** The proof-of-work trial value of a complete object (nonce in its first 8 bytes). */
  static long trialValue(byte[] object) {
    MessageDigest md = SHA512.get();
    md.update(object, 8, object.length - 8);
    byte[] initial = md.digest();
    md.update(object, 0, 8);
    md.update(initial);
    byte[] h = md.digest(md.digest());
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    return v;
  }

  /** The first 4 bytes of SHA512(payload): the packet checksum. */
  static byte[] checksum(byte[] payload) {
    return Arrays.copyOf(SHA512.get().digest(payload), 4);
  }
}
