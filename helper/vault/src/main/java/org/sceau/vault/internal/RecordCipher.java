package org.sceau.vault.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.sceau.vault.VaultException;
import org.sceau.vault.VaultException.Code;

/**
 * Seals each stored value: {@code 0x01 | 12-byte nonce | AES-256-GCM(value)}, associated data =
 * namespace and key, under a key derived (HKDF-SHA256) from the data key. A value moved to another
 * key, or any modified byte, fails to open: CORRUPTED. Not thread-safe (one per Store).
 */
final class RecordCipher implements AutoCloseable {
  private static final byte VERSION = 1;
  private static final byte[] INFO =
      "sceau-vault record key v1".getBytes(StandardCharsets.US_ASCII);
  final byte[] key;
  private final SecretKeySpec spec;
  private final Cipher gcm;

  RecordCipher(byte[] dataKey) {
    key = new byte[32];
    HKDFBytesGenerator h = new HKDFBytesGenerator(new SHA256Digest());
    h.init(new HKDFParameters(dataKey, null, INFO));
    h.generateBytes(key, 0, 32);
    // The JDK copies the key into SecretKeySpec and cannot wipe it (JDK 17): it becomes garbage
    // at lock, like the driver's own copy of the data key.
    spec = new SecretKeySpec(key, "AES");
    try {
      gcm = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] seal(String ns, String k, byte[] value) {
    byte[] nonce = Secrets.random(Gcm.NONCE);
    try {
      gcm.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(128, nonce));
      gcm.updateAAD(aad(ns, k));
      byte[] out = new byte[1 + Gcm.NONCE + value.length + Gcm.TAG];
      out[0] = VERSION;
      System.arraycopy(nonce, 0, out, 1, Gcm.NONCE);
      gcm.doFinal(value, 0, value.length, out, 1 + Gcm.NONCE);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] open(String ns, String k, byte[] sealed) throws VaultException {
    if (sealed == null || sealed.length < 1 + Gcm.NONCE + Gcm.TAG || sealed[0] != VERSION) {
      throw corrupted(null);
    }
    try {
      gcm.init(
          Cipher.DECRYPT_MODE,
          spec,
          new GCMParameterSpec(128, Arrays.copyOfRange(sealed, 1, 1 + Gcm.NONCE)));
      gcm.updateAAD(aad(ns, k));
      return gcm.doFinal(sealed, 1 + Gcm.NONCE, sealed.length - 1 - Gcm.NONCE);
    } catch (AEADBadTagException e) {
      throw corrupted(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] aad(String ns, String k) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] n = ns.getBytes(StandardCharsets.UTF_8);
    b.write(n.length >> 8);
    b.write(n.length);
    b.writeBytes(n);
    b.writeBytes(k.getBytes(StandardCharsets.UTF_8));
    return b.toByteArray();
  }

  private static VaultException corrupted(Exception cause) {
    return new VaultException(
        Code.CORRUPTED,
        "A stored item is damaged or was modified: restore the vault from a backup.",
        cause);
  }

  @Override
  public void close() {
    Secrets.wipe(key);
  }
}
