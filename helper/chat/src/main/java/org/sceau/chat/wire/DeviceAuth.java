package org.sceau.chat.wire;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The challenge/response that authenticates a relay connection. The client signs {@link
 * #transcript} with its device key; the relay checks it with {@link #verify}. The transcript binds
 * a context label, the register flag, the connection's fresh nonce and the device key, so a
 * signature is good for one connection only (a replay on another connection meets another nonce).
 */
public final class DeviceAuth {
  private static final byte[] LABEL = "sceau-relay-auth-v1\0".getBytes(StandardCharsets.US_ASCII);

  private DeviceAuth() {}

  /** The bytes to sign in answer to {@code challenge}. */
  public static byte[] transcript(Frame.Challenge challenge, DeviceId device, boolean register) {
    byte[] nonce = challenge.nonce();
    if (nonce.length != Frame.Challenge.NONCE_LENGTH) {
      throw new IllegalArgumentException("nonce must be 32 bytes");
    }
    byte[] out = new byte[LABEL.length + 1 + nonce.length + DeviceId.LENGTH];
    System.arraycopy(LABEL, 0, out, 0, LABEL.length);
    out[LABEL.length] = (byte) (register ? 1 : 0);
    System.arraycopy(nonce, 0, out, LABEL.length + 1, nonce.length);
    System.arraycopy(device.rawUnsafe(), 0, out, LABEL.length + 1 + nonce.length, DeviceId.LENGTH);
    return out;
  }

  /** The client's answer to {@code challenge}, signed by {@code key}. */
  public static Frame.Authenticate answer(
      Frame.Challenge challenge, DeviceKey key, boolean register) {
    return new Frame.Authenticate(
        register, key.deviceId(), key.sign(transcript(challenge, key.deviceId(), register)));
  }

  /**
   * Whether {@code auth} is a valid answer to {@code challenge}. Ed25519 verification per RFC 8032
   * (Bouncy Castle); a key that is not a valid curve point simply fails.
   */
  public static boolean verify(Frame.Challenge challenge, Frame.Authenticate auth) {
    try {
      Ed25519Signer v = new Ed25519Signer();
      v.init(false, new Ed25519PublicKeyParameters(auth.device().rawUnsafe(), 0));
      byte[] t = transcript(challenge, auth.device(), auth.register());
      v.update(t, 0, t.length);
      return v.verifySignature(auth.signature());
    } catch (RuntimeException e) {
      return false;
    }
  }
}
