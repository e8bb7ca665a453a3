package org.sceau.vault.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * Sealed deposits: what arrives while the vault is locked (a chat or Bitmessage message) is
 * encrypted to the vault's inbox X25519 public key (kept in the header) and written next to the
 * store; only the private key, kept inside the encrypted store, opens it at the next unlock.
 *
 * <p>Sealed item: 32-byte ephemeral public key | 12-byte nonce | AES-256-GCM(HKDF-SHA256(X25519
 * shared secret, salt = ephemeral || recipient public key)), plaintext = u16 n, namespace, u16 n,
 * key, value.
 */
public final class Inbox {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] INFO = "sceau-vault-deposit-v1".getBytes(StandardCharsets.US_ASCII);

  /** A decrypted deposit. */
  public record Item(String namespace, String key, byte[] value) {}

  private Inbox() {}

  /** Returns {private key, public key}. */
  public static byte[][] newKeyPair() {
    X25519PrivateKeyParameters priv = new X25519PrivateKeyParameters(RANDOM);
    return new byte[][] {priv.getEncoded(), priv.generatePublicKey().getEncoded()};
  }

  public static byte[] seal(byte[] recipientPublic, String ns, String key, byte[] value) {
    X25519PrivateKeyParameters eph = new X25519PrivateKeyParameters(RANDOM);
    byte[] ephPub = eph.generatePublicKey().getEncoded();
    byte[] k = derive(eph, recipientPublic, ephPub, recipientPublic);
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(bos);
      BackupFormat.writeString(d, ns);
      BackupFormat.writeString(d, key);
      d.write(value);
      byte[] pt = bos.toByteArray();
      byte[] nonce = Secrets.random(Gcm.NONCE);
      byte[] ct = Gcm.seal(k, nonce, ephPub, pt);
      Secrets.wipe(pt);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(ephPub);
      out.write(nonce);
      out.write(ct);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      Secrets.wipe(k);
    }
  }

  /**
   * @throws AEADBadTagException when the item was damaged or sealed to another key
   */
  public static Item open(byte[] privateKey, byte[] sealed) throws AEADBadTagException {
    if (sealed.length < 32 + Gcm.NONCE + Gcm.TAG) {
      throw new AEADBadTagException("too short");
    }
    X25519PrivateKeyParameters priv = new X25519PrivateKeyParameters(privateKey, 0);
    byte[] ephPub = Arrays.copyOfRange(sealed, 0, 32);
    byte[] myPub = priv.generatePublicKey().getEncoded();
    byte[] k = derive(priv, ephPub, ephPub, myPub);
    byte[] nonce = Arrays.copyOfRange(sealed, 32, 32 + Gcm.NONCE);
    try {
      byte[] pt =
          Gcm.open(k, nonce, ephPub, sealed, 32 + Gcm.NONCE, sealed.length - 32 - Gcm.NONCE);
      DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(pt));
      String ns = BackupFormat.readString(d, 4 * 64);
      String key = BackupFormat.readString(d, 4 * 1024);
      byte[] value = d.readAllBytes();
      Secrets.wipe(pt);
      return new Item(ns, key, value);
    } catch (IOException e) {
      throw new AEADBadTagException("malformed");
    } finally {
      Secrets.wipe(k);
    }
  }

  private static byte[] derive(
      X25519PrivateKeyParameters priv, byte[] peerPublic, byte[] ephPub, byte[] recipientPub) {
    X25519Agreement a = new X25519Agreement();
    a.init(priv);
    byte[] shared = new byte[32];
    a.calculateAgreement(new X25519PublicKeyParameters(peerPublic, 0), shared, 0);
    byte[] salt = new byte[64];
    System.arraycopy(ephPub, 0, salt, 0, 32);
    System.arraycopy(recipientPub, 0, salt, 32, 32);
    HKDFBytesGenerator h = new HKDFBytesGenerator(new SHA256Digest());
    h.init(new HKDFParameters(shared, salt, INFO));
    byte[] k = new byte[32];
    h.generateBytes(k, 0, 32);
    Secrets.wipe(shared);
    return k;
  }
}
