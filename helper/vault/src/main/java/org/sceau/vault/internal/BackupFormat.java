package org.sceau.vault.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.sceau.vault.KdfParams;
import org.sceau.vault.VaultException;
import org.sceau.vault.VaultException.Code;

/**
 * The backup file: a header, then the dump in AES-256-GCM segments (the STREAM construction: the
 * nonce carries the segment index and a last-segment flag, so reordering, dropping or truncating
 * segments fails authentication). Documented in docs/vault-backup.md.
 */
public final class BackupFormat {
  public static final int VERSION = 1;
  public static final int SEGMENT = 64 * 1024;
  static final byte[] MAGIC = "SCEAUBAK".getBytes(StandardCharsets.US_ASCII);
  static final String CONTEXT = "sceau-vault-backup-v1";
  private static final int HEADER_LEN = 8 + 2 + 1 + 4 + 4 + 1 + 16 + 7 + 4;

  private BackupFormat() {}

  /** An OutputStream that encrypts what is written to it into {@code out}. */
  public static final class Writer extends OutputStream {
    private final OutputStream out;
    private final byte[] key;
    private final byte[] header;
    private final byte[] prefix;
    private final byte[] buf = new byte[SEGMENT];
    private int fill;
    private int index;
    private boolean closed;

    public Writer(OutputStream out, char[] passphrase, KdfParams kdf) throws IOException {
      this.out = out;
      byte[] salt = Secrets.random(16);
      this.prefix = Secrets.random(7);
      ByteBuffer h = ByteBuffer.allocate(HEADER_LEN);
      h.put(MAGIC).putShort((short) VERSION).put((byte) 1);
      h.putInt(kdf.memoryKiB()).putInt(kdf.iterations()).put((byte) kdf.parallelism());
      h.put(salt).put(prefix).putInt(SEGMENT);
      this.header = h.array();
      this.key = Kdf.deriveKek(passphrase, null, salt, kdf, CONTEXT);
      out.write(header);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (fill == SEGMENT) {
          flushSegment(false);
        }
        int n = Math.min(len, SEGMENT - fill);
        System.arraycopy(b, off, buf, fill, n);
        fill += n;
        off += n;
        len -= n;
      }
    }

    private void flushSegment(boolean last) throws IOException {
      byte[] pt = Arrays.copyOf(buf, fill);
      byte[] ct = Gcm.seal(key, nonce(prefix, index, last), header, pt);
      Secrets.wipe(pt);
      DataOutputStream d = new DataOutputStream(out);
      d.writeByte(last ? 1 : 0);
      d.writeInt(ct.length);
      d.write(ct);
      index++;
      fill = 0;
    }

    /** Writes the last segment; does not close the underlying stream. */
    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        flushSegment(true);
        out.flush();
        Secrets.wipe(key, buf);
      }
    }
  }

  /** Decrypts a backup; any damage, truncation or wrong passphrase is reported as it is read. */
  public static final class Reader extends InputStream {
    private final DataInputStream in;
    private final byte[] key;
    private final byte[] header;
    private final byte[] prefix;
    private byte[] seg = new byte[0];
    private int pos;
    private int index;
    private boolean sawLast;

    private Reader(DataInputStream in, byte[] header, byte[] key, byte[] prefix) {
      this.in = in;
      this.header = header;
      this.key = key;
      this.prefix = prefix;
    }

    /**
     * Reads and checks the header and derives the key; the first segment is authenticated at once
     * so a wrong passphrase is reported here, before anything is written.
     */
    public static Reader open(InputStream raw, char[] passphrase) throws VaultException {
      DataInputStream in = new DataInputStream(raw);
      byte[] header = new byte[HEADER_LEN];
      try {
        in.readFully(header, 0, 10);
        ByteBuffer h = ByteBuffer.wrap(header);
        byte[] magic = new byte[8];
        h.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
          throw new VaultException(
              Code.CORRUPTED, "This file is not a Sceau vault backup, or it is damaged.");
        }
        int version = h.getShort() & 0xffff;
        if (version > VERSION) {
          throw new VaultException(
              Code.NEWER_VERSION,
              "This backup was written by a newer version of Sceau (format "
                  + version
                  + "): update Sceau to restore it.");
        }
        if (version != VERSION) {
          throw corrupted();
        }
        in.readFully(header, 10, HEADER_LEN - 10);
        if (h.get() != 1) {
          throw corrupted();
        }
        KdfParams kdf;
        try {
          kdf = new KdfParams(h.getInt(), h.getInt(), h.get() & 0xff);
        } catch (IllegalArgumentException e) {
          throw corrupted();
        }
        byte[] salt = new byte[16];
        h.get(salt);
        byte[] prefix = new byte[7];
        h.get(prefix);
        if (h.getInt() != SEGMENT) {
          throw corrupted();
        }
        byte[] key = Kdf.deriveKek(passphrase, null, salt, kdf, CONTEXT);
        Reader r = new Reader(in, header, key, prefix);
        try {
          r.nextSegment();
        } catch (AEADBadTagException e) {
          Secrets.wipe(key);
          throw new VaultException(
              Code.WRONG_PASSPHRASE, "This passphrase does not open the backup: check it.");
        }
        return r;
      } catch (EOFException e) {
        throw corrupted();
      } catch (IOException e) {
        throw new VaultException(Code.STORAGE_ERROR, "The backup file could not be read.", e);
      }
    }

    private void nextSegment() throws IOException, AEADBadTagException {
      int last = in.readUnsignedByte();
      int len = in.readInt();
      if ((last & ~1) != 0 || len < Gcm.TAG || len > SEGMENT + Gcm.TAG) {
        throw new VaultIoException(corrupted());
      }
      byte[] ct = new byte[len];
      in.readFully(ct);
      if (index == Integer.MAX_VALUE) {
        throw new VaultIoException(corrupted());
      }
      byte[] pt = Gcm.open(key, nonce(prefix, index, last == 1), header, ct, 0, ct.length);
      if (last == 0 && pt.length != SEGMENT) {
        throw new VaultIoException(corrupted());
      }
      Secrets.wipe(seg);
      seg = pt;
      pos = 0;
      index++;
      if (last == 1) {
        sawLast = true;
        if (in.read() != -1) {
          throw new VaultIoException(corrupted());
        }
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (pos == seg.length) {
        if (sawLast) {
          return -1;
        }
        try {
          nextSegment();
        } catch (EOFException e) {
          throw new VaultIoException(corrupted());
        } catch (AEADBadTagException e) {
          throw new VaultIoException(corrupted());
        }
      }
      int n = Math.min(len, seg.length - pos);
      System.arraycopy(seg, pos, b, off, n);
      pos += n;
      return n;
    }

    /** True once the authenticated last segment has been read and nothing follows it. */
    public boolean complete() {
      return sawLast && pos == seg.length;
    }

    @Override
    public void close() {
      Secrets.wipe(key, seg);
    }
  }

  /** Carries a typed error through InputStream's IOException-only signature. */
  public static final class VaultIoException extends IOException {
    private static final long serialVersionUID = 1L;

    public VaultIoException(VaultException cause) {
      super(cause.getMessage(), cause);
    }

    public VaultException vaultException() {
      return (VaultException) getCause();
    }
  }

  /** Whether a file starts like a backup (any version). */
  public static boolean looksLikeBackup(byte[] start) {
    return start.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(start, MAGIC.length), MAGIC);
  }

  static byte[] nonce(byte[] prefix, int index, boolean last) {
    return ByteBuffer.allocate(12).put(prefix).putInt(index).put((byte) (last ? 1 : 0)).array();
  }

  static VaultException corrupted() {
    return new VaultException(
        Code.CORRUPTED, "The backup file is damaged or truncated: nothing was restored.");
  }

  // ---- the dump inside: "SCEAUDMP" u16 version u32 schema, then tagged entries, then the end tag

  static final byte[] DUMP_MAGIC = "SCEAUDMP".getBytes(StandardCharsets.US_ASCII);
  public static final int DUMP_VERSION = 1;
  public static final int TAG_END = 0;
  public static final int TAG_RECORD = 1;
  public static final int TAG_SEQUENCE = 2;

  public static void writeDumpHeader(DataOutputStream d, int schemaVersion) throws IOException {
    d.write(DUMP_MAGIC);
    d.writeShort(DUMP_VERSION);
    d.writeInt(schemaVersion);
  }

  public static void writeString(DataOutputStream d, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.writeShort(b.length);
    d.write(b);
  }

  public static String readString(DataInputStream d, int maxBytes) throws IOException {
    int n = d.readUnsignedShort();
    if (n > maxBytes) {
      throw new VaultIoException(corrupted());
    }
    byte[] b = new byte[n];
    d.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Returns the dump's schema version after checking magic and version. */
  public static int readDumpHeader(DataInputStream d) throws IOException {
    byte[] magic = new byte[8];
    d.readFully(magic);
    if (!Arrays.equals(magic, DUMP_MAGIC)) {
      throw new VaultIoException(corrupted());
    }
    int v = d.readUnsignedShort();
    if (v > DUMP_VERSION) {
      throw new VaultIoException(
          new VaultException(
              Code.NEWER_VERSION,
              "This backup was written by a newer version of Sceau: update Sceau to restore it."));
    }
    return d.readInt();
  }

  /** For tests: the bytes of a header with a chosen version. */
  static byte[] headerBytesForTest(int version) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(MAGIC);
    b.write(version >> 8);
    b.write(version);
    return b.toByteArray();
  }
}
