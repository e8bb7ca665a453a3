package org.sceau.chat.wire;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A device's Ed25519 signing key for relay authentication. The private half never leaves this
 * object except through {@link #seedForVault()}, which exists so the helper can keep the key in its
 * encrypted vault.
 */
public final class DeviceKey {
  private final Ed25519PrivateKeyParameters privateKey;
  private final DeviceId deviceId;

  private DeviceKey(Ed25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.deviceId = DeviceId.of(privateKey.generatePublicKey().getEncoded());
  }

  /** A fresh random key. */
  public static DeviceKey generate() {
    return new DeviceKey(new Ed25519PrivateKeyParameters(new SecureRandom()));
  }

  /** Restores a key saved with {@link #seedForVault()} (32 bytes). */
  public static DeviceKey fromSeed(byte[] seed) {
    if (seed == null || seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    return new DeviceKey(new Ed25519PrivateKeyParameters(seed, 0));
  }

  /** The 32-byte private seed, only to be stored encrypted (the vault). */
  public byte[] seedForVault() {
    return privateKey.getEncoded();
  }

  public DeviceId deviceId() {
    return deviceId;
  }

  /** An Ed25519 signature (64 bytes) over {@code message}. */
  public byte[] sign(byte[] message) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, privateKey);
    s.update(message, 0, message.length);
    return s.generateSignature();
  }

  @Override
  public String toString() {
    return "DeviceKey(" + deviceId + ")";
  }
}
