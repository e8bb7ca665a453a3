package org.sceau.bitmessage.internal;

import java.math.BigInteger;
import java.util.Arrays;

/** Wallet Import Format for private keys: base58(0x80 ‖ key ‖ SHA256(SHA256(0x80 ‖ key))[0:4]). */
public final class Wif {
  private Wif() {}

  public static String encode(byte[] priv) {
    byte[] body = Bytes.concat(new byte[] {(byte) 0x80}, priv);
    byte[] check = Arrays.copyOf(Hashes.sha256(Hashes.sha256(body)), 4);
    return Base58.encode(Bytes.concat(body, check));
  }

  /** The 32-byte key, or null if the text is not a valid WIF key. */
  public static byte[] decode(String wif) {
    if (wif == null || wif.length() > 60) {
      return null;
    }
    BigInteger n = Base58.decodeNumber(wif.strip());
    if (n == null) {
      return null;
    }
    byte[] raw = n.toByteArray();
    if (raw.length == 38 && raw[0] == 0) {
      raw = Arrays.copyOfRange(raw, 1, 38);
    }
    if (raw.length != 37 || raw[0] != (byte) 0x80) {
      return null;
    }
    byte[] body = Arrays.copyOf(raw, 33);
    byte[] check = Arrays.copyOf(Hashes.sha256(Hashes.sha256(body)), 4);
    if (!Bytes.constantTimeEquals(check, Arrays.copyOfRange(raw, 33, 37))) {
      return null;
    }
    byte[] key = Arrays.copyOfRange(body, 1, 33);
    return Secp256k1.isValidPrivateKey(key) ? key : null;
  }
}
