package org.sceau.vault.internal;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM with a 96-bit nonce and 128-bit tag (JDK provider: AES-NI where present). */
public final class Gcm {
  public static final int NONCE = 12;
  public static final int TAG = 16;

  private Gcm() {}

  public static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    return run(Cipher.ENCRYPT_MODE, key, nonce, aad, plaintext, 0, plaintext.length);
  }

  /**
   * @throws AEADBadTagException when the key is wrong or the data was modified
   */
  public static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ct, int off, int len)
      throws AEADBadTagException {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      if (aad != null) {
        c.updateAAD(aad);
      }
      return c.doFinal(ct, off, len);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] run(
      int mode, byte[] key, byte[] nonce, byte[] aad, byte[] in, int off, int len) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      if (aad != null) {
        c.updateAAD(aad);
      }
      return c.doFinal(in, off, len);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
