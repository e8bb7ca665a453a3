package org.sceau.bitmessage.internal;

import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.sceau.bitmessage.BitmessageAddress;

/**
 * Keys derived from an address alone: whoever knows the address can decrypt its v4 pubkey and its
 * broadcasts, which is the point (only the address is secret-ish, not these keys).
 */
public final class AddressKeys {
  private AddressKeys() {}

  static byte[] addressData(BitmessageAddress a) {
    return new WireWriter(30).varint(a.version()).varint(a.stream()).bytes(a.ripe()).toByteArray();
  }

  /**
   * v4: SHA512(SHA512(version ‖ stream ‖ ripe))[0:32] (encrypts pubkey v4 and broadcast v5); v2/v3:
   * SHA512(version ‖ stream ‖ ripe)[0:32] (encrypts broadcast v4).
   */
  public static byte[] privateKey(BitmessageAddress a) {
    byte[] d =
        a.version() >= 4 ? Hashes.doubleSha512(addressData(a)) : Hashes.sha512(addressData(a));
    return Arrays.copyOf(d, 32);
  }

  public static ECPoint publicKey(BitmessageAddress a) {
    return Secp256k1.publicPoint(privateKey(a));
  }
}
