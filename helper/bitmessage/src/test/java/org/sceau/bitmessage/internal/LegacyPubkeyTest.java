package org.sceau.bitmessage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sceau.bitmessage.BadSignatureException;
import org.sceau.bitmessage.BitmessageAddress;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.ObjectReader;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.PublicIdentity;

/** Version 2 pubkeys (unsigned, no difficulty) are still read, as PyBitmessage does. */
class LegacyPubkeyTest {
  @Test
  void readsAnUnsignedV2Pubkey() throws Exception {
    byte[] sk = Secp256k1.publicKey64(Secp256k1.randomPrivateKey());
    byte[] ek = Secp256k1.publicKey64(Secp256k1.randomPrivateKey());
    BitmessageAddress v2 = BitmessageAddress.fromPublicKeys(2, 1, sk, ek);
    byte[] payload =
        new Plaintexts.Pubkey(1, sk, ek, PowDifficulty.DEFAULT, new byte[0]).encode(false);
    BitmessageObject o = new BitmessageObject(0, 1_800_000_000L, 1, 2, 1, payload);
    PublicIdentity p = ObjectReader.readPubkey(o, v2);
    assertEquals(v2, p.address());
    assertEquals(PowDifficulty.DEFAULT, p.difficulty());
    // Someone else's keys under this address's RIPE are refused.
    byte[] other = Secp256k1.publicKey64(Secp256k1.randomPrivateKey());
    byte[] forged =
        new Plaintexts.Pubkey(1, other, ek, PowDifficulty.DEFAULT, new byte[0]).encode(false);
    BitmessageObject f = new BitmessageObject(0, 1_800_000_000L, 1, 2, 1, forged);
    assertThrows(BadSignatureException.class, () -> ObjectReader.readPubkey(f, v2));
  }
}
