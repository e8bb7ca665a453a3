package org.sceau.bitmessage.internal;

import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.sceau.bitmessage.BitmessageAddress;
import org.sceau.bitmessage.Identity;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.PublicIdentity;

/** The implementation of {@link Identity}; internal code reaches the private keys through it. */
public final class PrivateIdentity implements Identity {
  private final byte[] signingKey;
  private final byte[] encryptionKey;
  private final PublicIdentity pub;
  private final boolean chan;

  public PrivateIdentity(
      int version,
      long stream,
      byte[] signingKey,
      byte[] encryptionKey,
      PowDifficulty difficulty,
      boolean chan) {
    this.signingKey = signingKey.clone();
    this.encryptionKey = encryptionKey.clone();
    byte[] ps = Secp256k1.publicKey64(signingKey);
    byte[] pe = Secp256k1.publicKey64(encryptionKey);
    this.pub =
        new PublicIdentity(
            BitmessageAddress.fromPublicKeys(version, stream, ps, pe),
            PublicIdentity.DOES_ACK,
            ps,
            pe,
            difficulty);
    this.chan = chan;
  }

  public static PrivateIdentity of(Identity id) {
    if (id instanceof PrivateIdentity p) {
      return p;
    }
    throw new IllegalArgumentException("not an identity created by this library");
  }

  @Override
  public BitmessageAddress address() {
    return pub.address();
  }

  @Override
  public PublicIdentity publicIdentity() {
    return pub;
  }

  @Override
  public Identity withDifficulty(PowDifficulty difficulty) {
    BitmessageAddress a = pub.address();
    return new PrivateIdentity(
        a.version(), a.stream(), signingKey, encryptionKey, difficulty, chan);
  }

  @Override
  public boolean isChan() {
    return chan;
  }

  @Override
  public WifKeys exportWif() {
    return new WifKeys(Wif.encode(signingKey), Wif.encode(encryptionKey));
  }

  public byte[] sign(byte[] data) {
    return Secp256k1.signSha256(signingKey, data);
  }

  public byte[] decrypt(byte[] blob)
      throws org.sceau.bitmessage.MalformedObjectException, org.sceau.bitmessage.BadMacException {
    return Ecies.decrypt(encryptionKey, blob);
  }

  public ECPoint signingPoint() {
    return Secp256k1.publicPoint(signingKey);
  }

  @Override
  public String toString() {
    return "Identity[" + address() + (chan ? ", chan" : "") + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrivateIdentity p
        && p.pub.equals(pub)
        && Arrays.equals(p.signingKey, signingKey)
        && Arrays.equals(p.encryptionKey, encryptionKey);
  }

  @Override
  public int hashCode() {
    return pub.hashCode();
  }
}
