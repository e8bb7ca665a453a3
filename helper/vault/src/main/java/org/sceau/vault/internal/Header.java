package org.sceau.vault.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.sceau.vault.KdfParams;
import org.sceau.vault.VaultException;
import org.sceau.vault.VaultException.Code;

/**
 * The small unencrypted file next to the store: format version, Argon2id parameters, salt, key-file
 * flag and check, the store's file name, the inbox public key and the wrapped data key. Everything
 * before the nonce is the AES-GCM associated data of the wrap, so it cannot be changed without the
 * next unlock failing; a CRC32 at the end tells accidental damage apart from a wrong passphrase.
 *
 * <pre>
 * "SCEAUVLT" | u16 version=1 | u8 kdf=1 (Argon2id v1.3) | u32 memoryKiB | u32 iterations |
 * u8 parallelism | 16 salt | u8 flags (bit 0: key file) | 4 key-file check | u8 n | n bytes store
 * file name (ASCII) | 32 inbox X25519 public key | 12 nonce | 48 wrapped data key | u32 CRC32
 * </pre>
 */
public record Header(
    KdfParams kdf,
    byte[] salt,
    boolean keyFile,
    byte[] keyFileCheck,
    String storeName,
    byte[] inboxPublicKey,
    byte[] nonce,
    byte[] wrappedKey) {

  public static final int VERSION = 1;
  public static final int MAX_SIZE = 1024;
  private static final byte[] MAGIC = "SCEAUVLT".getBytes(StandardCharsets.US_ASCII);
  private static final int KDF_ARGON2ID = 1;

  /** The bytes covered by the wrap's associated data. */
  public byte[] associatedData() {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bos);
      out.write(MAGIC);
      out.writeShort(VERSION);
      out.writeByte(KDF_ARGON2ID);
      out.writeInt(kdf.memoryKiB());
      out.writeInt(kdf.iterations());
      out.writeByte(kdf.parallelism());
      out.write(salt);
      out.writeByte(keyFile ? 1 : 0);
      out.write(keyFileCheck);
      byte[] name = storeName.getBytes(StandardCharsets.US_ASCII);
      out.writeByte(name.length);
      out.write(name);
      out.write(inboxPublicKey);
      return bos.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] encode() {
    byte[] aad = associatedData();
    ByteBuffer b = ByteBuffer.allocate(aad.length + nonce.length + wrappedKey.length + 4);
    b.put(aad).put(nonce).put(wrappedKey);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  public static Header parse(byte[] bytes) throws VaultException {
    if (bytes.length < MAGIC.length + 2
        || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw corrupted();
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.position(MAGIC.length);
    int version = b.getShort() & 0xffff;
    if (version > VERSION) {
      throw new VaultException(
          Code.NEWER_VERSION,
          "This vault was written by a newer version of Sceau (format "
              + version
              + "): update Sceau to open it.");
    }
    if (version != VERSION || bytes.length > MAX_SIZE || bytes.length < 4) {
      throw corrupted();
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
      throw corrupted();
    }
    try {
      if (b.get() != KDF_ARGON2ID) {
        throw corrupted();
      }
      int mem = b.getInt();
      int it = b.getInt();
      int par = b.get() & 0xff;
      KdfParams kdf;
      try {
        kdf = new KdfParams(mem, it, par);
      } catch (IllegalArgumentException e) {
        throw corrupted();
      }
      byte[] salt = get(b, 16);
      int flags = b.get() & 0xff;
      if ((flags & ~1) != 0) {
        throw corrupted();
      }
      byte[] check = get(b, 4);
      int nameLen = b.get() & 0xff;
      String name = new String(get(b, nameLen), StandardCharsets.US_ASCII);
      if (!name.matches("store-[0-9a-f]{16}\\.db")) {
        throw corrupted();
      }
      byte[] inbox = get(b, 32);
      byte[] nonce = get(b, Gcm.NONCE);
      byte[] wrapped = get(b, 32 + Gcm.TAG);
      if (b.remaining() != 4) {
        throw corrupted();
      }
      return new Header(kdf, salt, (flags & 1) != 0, check, name, inbox, nonce, wrapped);
    } catch (BufferUnderflowException e) {
      throw corrupted();
    }
  }

  private static byte[] get(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static VaultException corrupted() {
    return new VaultException(
        Code.CORRUPTED,
        "The vault header is damaged or truncated: restore the vault from a backup.");
  }
}
