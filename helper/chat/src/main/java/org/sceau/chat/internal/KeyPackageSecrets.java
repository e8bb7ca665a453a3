package org.sceau.chat.internal;

import java.util.ArrayList;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.mls.codec.Extension;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.crypto.MlsCipherSuite;
import org.sceau.chat.ChatException;

/**
 * A KeyPackage this device published, with the private keys needed to join a group from a Welcome
 * that uses it. One-time packages are deleted once used; the last-resort one is kept.
 */
public final class KeyPackageSecrets {
  private static final int MAX = 16 << 10;

  private final byte[] message; // MLSMessage(key_package) as published
  private final byte[] initPriv;
  private final byte[] initPub;
  private final byte[] leafPriv;
  private final byte[] leafPub;
  private final boolean lastResort;

  private KeyPackageSecrets(
      byte[] message,
      byte[] initPriv,
      byte[] initPub,
      byte[] leafPriv,
      byte[] leafPub,
      boolean lastResort) {
    this.message = message;
    this.initPriv = initPriv;
    this.initPub = initPub;
    this.leafPriv = leafPriv;
    this.leafPub = leafPub;
    this.lastResort = lastResort;
  }

  /** A fresh KeyPackage signed with the device key {@code signatureSeed}. */
  public static KeyPackageSecrets generate(byte[] signatureSeed, boolean lastResort)
      throws ChatException {
    try {
      return Mls.locked(
          () -> {
            MlsCipherSuite suite = Mls.suite();
            AsymmetricCipherKeyPair sig = suite.deserializeSignaturePrivateKey(signatureSeed);
            AsymmetricCipherKeyPair init = suite.getHPKE().generatePrivateKey();
            AsymmetricCipherKeyPair leaf = suite.getHPKE().generatePrivateKey();
            KeyPackage kp =
                new KeyPackage(
                    suite,
                    suite.getHPKE().serializePublicKey(init.getPublic()),
                    GroupSession.leafNode(suite, leaf, sig),
                    new ArrayList<Extension>(),
                    suite.serializeSignaturePrivateKey(sig.getPrivate()));
            return new KeyPackageSecrets(
                MLSOutputStream.encode(MLSMessage.keyPackage(kp)),
                suite.getHPKE().serializePrivateKey(init.getPrivate()),
                suite.getHPKE().serializePublicKey(init.getPublic()),
                suite.getHPKE().serializePrivateKey(leaf.getPrivate()),
                suite.getHPKE().serializePublicKey(leaf.getPublic()),
                lastResort);
          });
    } catch (Exception e) {
      throw GroupSession.map(e);
    }
  }

  /** The bytes to publish in the relay's directory. */
  public byte[] published() {
    return message.clone();
  }

  public boolean lastResort() {
    return lastResort;
  }

  /** A stable id for storage: hex of the SHA-256 of the published bytes. */
  public String id() {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(message));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  KeyPackage keyPackage() throws Exception {
    return ((MLSMessage) MLSInputStream.decode(message, MLSMessage.class)).keyPackage;
  }

  byte[] initPrivate() {
    return initPriv.clone();
  }

  AsymmetricCipherKeyPair leafKeyPair() {
    return Mls.suite().getHPKE().deserializePrivateKey(leafPriv, leafPub);
  }

  /** For the store (which the vault encrypts). */
  public byte[] encode() {
    return new Bin.Writer()
        .u8(1)
        .bytes(message)
        .bytes(initPriv)
        .bytes(initPub)
        .bytes(leafPriv)
        .bytes(leafPub)
        .u8(lastResort ? 1 : 0)
        .toByteArray();
  }

  public static KeyPackageSecrets decode(byte[] b) throws ChatException {
    Bin.Reader r = new Bin.Reader(b, ChatException.Code.STATE_CORRUPT);
    if (r.u8() != 1) {
      throw new ChatException(ChatException.Code.STATE_CORRUPT);
    }
    KeyPackageSecrets k =
        new KeyPackageSecrets(
            r.bytes(MAX), r.bytes(128), r.bytes(128), r.bytes(128), r.bytes(128), r.u8() == 1);
    r.end();
    return k;
  }

  /**
   * Parses and verifies a KeyPackage claimed from the directory: framing bounded, signature valid,
   * our ciphersuite. Returns the package and the device it belongs to (its signature key).
   */
  public static Verified verify(byte[] published) throws ChatException {
    MlsFraming.Info info = MlsFraming.check(published);
    if (info.wireFormat() != MlsFraming.WIRE_KEY_PACKAGE) {
      throw new ChatException(ChatException.Code.MALFORMED, "Not an invitation key.");
    }
    try {
      return Mls.locked(
          () -> {
            KeyPackage kp =
                ((MLSMessage) MLSInputStream.decode(published, MLSMessage.class)).keyPackage;
            if (kp.getSuite().getSuiteID() != Mls.SUITE_ID || !kp.verify()) {
              throw new ChatException(
                  ChatException.Code.TAMPERED, "The invitation key's signature is not valid.");
            }
            return new Verified(
                kp, org.sceau.chat.wire.DeviceId.of(kp.getLeafNode().getSignatureKey()));
          });
    } catch (Exception e) {
      throw GroupSession.map(e);
    }
  }

  /** A verified KeyPackage and the device that signed it. */
  public record Verified(KeyPackage keyPackage, org.sceau.chat.wire.DeviceId device) {}
}
