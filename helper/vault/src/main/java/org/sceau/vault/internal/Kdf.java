package org.sceau.vault.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.sceau.vault.KdfParams;
import org.sceau.vault.VaultException;
import org.sceau.vault.VaultException.Code;

/** Argon2id key derivation from passphrase and optional key file. */
public final class Kdf {
  /** A key file larger than this is refused: it is hashed in full on every unlock. */
  public static final long MAX_KEY_FILE_BYTES = 64L * 1024 * 1024;

  private Kdf() {}

  /**
   * Derives a 256-bit key-encryption key. The key file's SHA-256 is Argon2's secret input K, so
   * without the file no passphrase guess can even be tested.
   *
   * @param context distinguishes uses (vault header vs backup) so one derivation never serves two
   */
  public static byte[] deriveKek(
      char[] passphrase, byte[] keyFileDigest, byte[] salt, KdfParams p, String context) {
    byte[] pass = Secrets.utf8(passphrase);
    Argon2Parameters.Builder b =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withIterations(p.iterations())
            .withMemoryAsKB(p.memoryKiB())
            .withParallelism(p.parallelism())
            .withSalt(salt)
            .withAdditional(context.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    if (keyFileDigest != null) {
      b.withSecret(keyFileDigest);
    }
    Argon2Parameters params = b.build();
    byte[] kek = new byte[32];
    try {
      Argon2BytesGenerator g = new Argon2BytesGenerator();
      g.init(params);
      g.generateBytes(pass, kek);
    } finally {
      params.clear();
      Secrets.wipe(pass);
    }
    return kek;
  }

  /** SHA-256 of a key file's contents; the caller wipes it. */
  public static byte[] keyFileDigest(Path keyFile) throws VaultException {
    try (InputStream in = Files.newInputStream(keyFile)) {
      if (Files.size(keyFile) > MAX_KEY_FILE_BYTES) {
        throw new VaultException(
            Code.INVALID_ARGUMENT, "The key file is larger than 64 MiB: choose a smaller file.");
      }
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
        total += n;
      }
      Secrets.wipe(buf);
      if (total == 0) {
        throw new VaultException(
            Code.KEY_FILE_WRONG, "The key file is empty: choose a file with content.");
      }
      return md.digest();
    } catch (NoSuchFileException e) {
      throw new VaultException(
          Code.KEY_FILE_MISSING,
          "The key file " + keyFile + " was not found: plug in the device that holds it.");
    } catch (IOException e) {
      throw new VaultException(
          Code.KEY_FILE_MISSING, "The key file " + keyFile + " could not be read.", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A short check value for a key file, stored in the header, so that a wrong key file is reported
   * as such rather than as a wrong passphrase. Only 4 bytes of a salted hash: it identifies a file
   * the user holds, it does not help guess one.
   */
  public static byte[] keyFileCheck(byte[] keyFileDigest, byte[] salt) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update("sceau-vault-keyfile-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      md.update(salt);
      md.update(keyFileDigest);
      return java.util.Arrays.copyOf(md.digest(), 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
