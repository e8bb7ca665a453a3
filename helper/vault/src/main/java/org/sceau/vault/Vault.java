package org.sceau.vault;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import org.sceau.vault.VaultException.Code;
import org.sceau.vault.VaultListener.LockReason;
import org.sceau.vault.internal.AtomicFiles;
import org.sceau.vault.internal.BackupFormat;
import org.sceau.vault.internal.Gcm;
import org.sceau.vault.internal.Header;
import org.sceau.vault.internal.Inbox;
import org.sceau.vault.internal.Kdf;
import org.sceau.vault.internal.Migrations;
import org.sceau.vault.internal.Secrets;
import org.sceau.vault.internal.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encrypted space where the helper keeps everything: keys, contacts, messages, history,
 * settings.
 *
 * <p><b>Guarantees.</b> On disk, every byte of stored data is encrypted and authenticated page by
 * page (SQLite3MultipleCiphers, ChaCha20-Poly1305) under a random 256-bit data key; a modified or
 * truncated file is reported as {@link Code#CORRUPTED}, never read as wrong data. The data key is
 * wrapped with AES-256-GCM under a key derived with Argon2id from the passphrase and, when set up,
 * a key file (its hash is Argon2's secret input: without the file nothing opens). A write that
 * returned survives a crash. After {@link #lock()} (asked for, or after the idle timeout) the
 * helper holds no key material of the vault any more.
 *
 * <p><b>Restrictions.</b> One {@code Vault} object per directory and process. Passphrase arrays
 * given to this class are <em>zero-filled before the call returns</em>: pass a copy if you still
 * need it. Thread-safe: calls are serialised.
 *
 * <pre>{@code
 * Vault vault = Vault.at(dataDir, VaultOptions.defaults());
 * vault.create(passphrase, null);                  // or unlock(passphrase, keyFileOrNull)
 * RecordStore keys = vault.store("openpgp.keys");
 * keys.put(fingerprint, armoredKey);
 * vault.lock();
 * }</pre>
 */
public final class Vault implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Vault.class);
  private static final String HEADER = "vault.header";
  private static final String PENDING = "pending";
  private static final String HEADER_CONTEXT = "sceau-vault-header-v1";
  private static final String INBOX_PRIVATE = "inbox.private";
  private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

  private final Path dir;
  private volatile VaultOptions options;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<VaultListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong lastUsed = new AtomicLong(System.nanoTime());
  private final List<Migrations.Migration> migrations;
  private Store store;
  private volatile boolean unlocked;
  private int txDepth;
  private ScheduledExecutorService timer;

  private Vault(Path dir, VaultOptions options, List<Migrations.Migration> migrations) {
    this.dir = dir.toAbsolutePath();
    this.options = options;
    this.migrations = migrations;
  }

  /** The vault kept in {@code directory} (which need not exist yet). */
  public static Vault at(Path directory, VaultOptions options) {
    return new Vault(directory, options, Migrations.ALL);
  }

  public static Vault at(Path directory) {
    return at(directory, VaultOptions.defaults());
  }

  /** For migration tests: a vault whose schema stops at an older version. */
  static Vault withMigrations(
      Path directory, VaultOptions options, List<Migrations.Migration> migrations) {
    return new Vault(directory, options, migrations);
  }

  public Path directory() {
    return dir;
  }

  public void addListener(VaultListener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Creates a new, empty vault protected by {@code passphrase} and, if not null, {@code keyFile};
   * leaves it unlocked.
   *
   * @throws VaultException VAULT_EXISTS, INVALID_ARGUMENT, KEY_FILE_MISSING, STORAGE_ERROR
   */
  public void create(char[] passphrase, Path keyFile) throws VaultException {
    byte[] dataKey = null;
    byte[] keyFileDigest = null;
    byte[][] inbox = null;
    lock.lock();
    try {
      requirePassphrase(passphrase);
      if (Files.exists(headerPath())) {
        throw new VaultException(
            Code.VAULT_EXISTS,
            "A vault already exists here: unlock it, or restore a backup over it.");
      }
      AtomicFiles.createPrivateDirectories(dir);
      keyFileDigest = keyFile == null ? null : Kdf.keyFileDigest(keyFile);
      deleteOrphanStores(null);
      dataKey = Secrets.random(32);
      inbox = Inbox.newKeyPair();
      String name = newStoreName();
      Store s = Store.open(dir.resolve(name), dataKey, migrations);
      try {
        s.setMeta(INBOX_PRIVATE, inbox[0]);
        Header h = wrap(dataKey, passphrase, keyFileDigest, name, inbox[1]);
        // The header appears last: until it does, the new store is an orphan the next create
        // removes, so a crash here leaves no half-made vault.
        AtomicFiles.write(headerPath(), h.encode());
      } catch (VaultException | IOException | RuntimeException e) {
        s.close();
        throw e;
      }
      opened(s);
    } catch (IOException e) {
      throw storageError(e);
    } finally {
      Secrets.wipe(passphrase);
      Secrets.wipe(dataKey, keyFileDigest);
      if (inbox != null) {
        Secrets.wipe(inbox[0]);
      }
      lock.unlock();
    }
  }

  /**
   * Opens the vault. If it is already open, only checks the passphrase. Items deposited while it
   * was locked are stored now.
   *
   * @param keyFile the key file, or null if the vault was set up without one
   * @throws VaultException NO_VAULT, WRONG_PASSPHRASE, KEY_FILE_MISSING, KEY_FILE_WRONG, CORRUPTED,
   *     NEWER_VERSION, STORAGE_ERROR
   */
  public void unlock(char[] passphrase, Path keyFile) throws VaultException {
    byte[] dataKey = null;
    lock.lock();
    try {
      Header h = readHeader();
      dataKey = unwrap(h, passphrase, keyFile);
      if (store != null) {
        touch();
        return;
      }
      Path db = dir.resolve(h.storeName());
      if (!Files.isRegularFile(db) || Files.size(db) == 0) {
        throw new VaultException(
            Code.CORRUPTED,
            "The vault's data file is missing or empty: restore the vault from a backup.");
      }
      Store s = Store.open(db, dataKey, migrations);
      try {
        if (s.schemaVersion() == 0 || s.meta(INBOX_PRIVATE).isEmpty()) {
          throw new VaultException(
              Code.CORRUPTED,
              "The vault's data file does not belong to this vault: restore it from a backup.");
        }
        drainPending(s);
        // A crash during a restore can leave a store the header does not name.
        deleteOrphanStores(h.storeName());
      } catch (VaultException | IOException | RuntimeException e) {
        s.close();
        throw e;
      }
      opened(s);
    } catch (IOException e) {
      throw storageError(e);
    } finally {
      Secrets.wipe(passphrase);
      Secrets.wipe(dataKey);
      lock.unlock();
    }
  }

  /** Closes the store; key material held by the helper is gone. Does nothing if already locked. */
  public void lock() {
    lock(LockReason.REQUESTED);
  }

  private void lock(LockReason reason) {
    lock.lock();
    try {
      if (store == null) {
        return;
      }
      store.close();
      store = null;
      unlocked = false;
      txDepth = 0;
      for (VaultListener l : listeners) {
        try {
          l.locked(reason);
        } catch (RuntimeException e) {
          LOG.warn("vault listener failed on lock", e);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Changes the auto-lock delay at once ({@link Duration#ZERO}: never); the time already spent idle
   * counts against the new delay.
   */
  public synchronized void setIdleTimeout(Duration timeout) {
    options = options.withIdleTimeout(timeout);
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
    if (unlocked) {
      startTimer();
    }
  }

  /** Locks the vault and stops its idle timer. */
  @Override
  public void close() {
    lock(LockReason.CLOSED);
    synchronized (this) {
      if (timer != null) {
        timer.shutdownNow();
        timer = null;
      }
    }
  }

  public boolean isUnlocked() {
    return unlocked;
  }

  /**
   * What can be said without the passphrase. Does not wait for a running operation.
   *
   * @throws VaultException CORRUPTED or NEWER_VERSION when the header cannot be read
   */
  public VaultStatus status() throws VaultException {
    if (!Files.exists(headerPath())) {
      return new VaultStatus(VaultStatus.State.ABSENT, 0, false, null, options.idleTimeout(), 0);
    }
    Header h = readHeader();
    return new VaultStatus(
        unlocked ? VaultStatus.State.UNLOCKED : VaultStatus.State.LOCKED,
        Header.VERSION,
        h.keyFile(),
        h.kdf(),
        options.idleTimeout(),
        pendingFiles().size());
  }

  /**
   * Rewraps the data key under a new passphrase and/or key file, with this object's current
   * Argon2id parameters (so it also upgrades them). Only the header changes, atomically: a crash
   * leaves either the old or the new passphrase valid, never neither.
   *
   * @param newKeyFile the key file from now on, or null for none
   */
  public void changePassphrase(
      char[] currentPassphrase, Path currentKeyFile, char[] newPassphrase, Path newKeyFile)
      throws VaultException {
    byte[] dataKey = null;
    byte[] newDigest = null;
    lock.lock();
    try {
      requirePassphrase(newPassphrase);
      Header h = readHeader();
      dataKey = unwrap(h, currentPassphrase, currentKeyFile);
      newDigest = newKeyFile == null ? null : Kdf.keyFileDigest(newKeyFile);
      Header next = wrap(dataKey, newPassphrase, newDigest, h.storeName(), h.inboxPublicKey());
      AtomicFiles.write(headerPath(), next.encode());
      touch();
    } catch (IOException e) {
      throw storageError(e);
    } finally {
      Secrets.wipe(currentPassphrase, newPassphrase);
      Secrets.wipe(dataKey, newDigest);
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ backup / restore

  /**
   * Writes everything in the vault to {@code target}, encrypted with {@code backupPassphrase}
   * (docs/vault-backup.md). The file appears complete or not at all.
   *
   * @throws VaultException VAULT_LOCKED, INVALID_ARGUMENT, STORAGE_ERROR
   */
  public void backup(Path target, char[] backupPassphrase) throws VaultException {
    lock.lock();
    Path tmp = target.toAbsolutePath().resolveSibling(target.getFileName() + ".tmp");
    try {
      requirePassphrase(backupPassphrase);
      Store s = requireOpen();
      refuseToOverwriteNonBackup(target);
      Files.deleteIfExists(tmp);
      AtomicFiles.createPrivateFile(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        BackupFormat.Writer w = new BackupFormat.Writer(raw, backupPassphrase, options.kdf());
        DataOutputStream d = new DataOutputStream(w);
        BackupFormat.writeDumpHeader(d, s.schemaVersion());
        long[] count = {0};
        s.dump(
            new Store.DumpSink() {
              @Override
              public void record(String ns, String key, byte[] value, long updated)
                  throws IOException {
                d.writeByte(BackupFormat.TAG_RECORD);
                BackupFormat.writeString(d, ns);
                BackupFormat.writeString(d, key);
                d.writeInt(value.length);
                d.write(value);
                d.writeLong(updated);
                count[0]++;
              }

              @Override
              public void sequence(String ns, long next) throws IOException {
                d.writeByte(BackupFormat.TAG_SEQUENCE);
                BackupFormat.writeString(d, ns);
                d.writeLong(next);
              }
            });
        d.writeByte(BackupFormat.TAG_END);
        d.writeLong(count[0]);
        d.flush();
        w.close();
        raw.flush();
        ch.force(true);
      }
      AtomicFiles.move(tmp, target);
      touch();
    } catch (VaultException e) {
      throw e;
    } catch (java.sql.SQLException e) {
      throw Store.map(e);
    } catch (Exception e) {
      throw new VaultException(
          Code.STORAGE_ERROR,
          "The backup could not be written to "
              + target
              + ": check that the folder exists, is writable and has space.",
          e);
    } finally {
      Secrets.wipe(backupPassphrase);
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // Best effort: it holds only ciphertext.
      }
      lock.unlock();
    }
  }

  /**
   * Replaces the vault's content with a backup's. The backup is decrypted and checked completely
   * into a new store before anything is replaced; on any error the current vault is untouched.
   * Afterwards the vault is unlocked, protected by {@code passphrase} (the backup's) and {@code
   * keyFile} (null for none). Works on an absent vault (a new machine, a wiped disk) too.
   *
   * @throws VaultException WRONG_PASSPHRASE, CORRUPTED, NEWER_VERSION, KEY_FILE_MISSING,
   *     VAULT_LOCKED (the locked vault holds deposits that would be lost: unlock it first),
   *     STORAGE_ERROR
   */
  public void restore(Path source, char[] passphrase, Path keyFile) throws VaultException {
    byte[] dataKey = null;
    byte[] keyFileDigest = null;
    byte[][] inbox = null;
    Store staging = null;
    Path stagingFile = null;
    lock.lock();
    try {
      requirePassphrase(passphrase);
      if (store == null && !pendingFiles().isEmpty()) {
        throw new VaultException(
            Code.VAULT_LOCKED,
            "Messages arrived while the vault was locked: unlock it before restoring, or they"
                + " would be lost.");
      }
      keyFileDigest = keyFile == null ? null : Kdf.keyFileDigest(keyFile);
      AtomicFiles.createPrivateDirectories(dir);
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(source), 1 << 16);
          BackupFormat.Reader r = BackupFormat.Reader.open(raw, passphrase)) {
        dataKey = Secrets.random(32);
        String name = newStoreName();
        stagingFile = dir.resolve(name);
        staging = Store.open(stagingFile, dataKey, migrations);
        staging.begin();
        readDump(new DataInputStream(r), staging);
        if (r.read() != -1 || !r.complete()) {
          throw new VaultException(
              Code.CORRUPTED, "The backup file is damaged or truncated: nothing was restored.");
        }
        if (store != null) {
          // Keep the inbox key so nothing sealed to it can be lost.
          inbox =
              new byte[][] {
                store.meta(INBOX_PRIVATE).orElseGet(() -> Inbox.newKeyPair()[0]),
                readHeader().inboxPublicKey()
              };
        } else {
          inbox = Inbox.newKeyPair();
        }
        staging.setMeta(INBOX_PRIVATE, inbox[0]);
        staging.commit();
        Header h = wrap(dataKey, passphrase, keyFileDigest, name, inbox[1]);
        AtomicFiles.write(headerPath(), h.encode());
        // From here the new store is the vault; the old one is an orphan.
        Store newStore = staging;
        staging = null;
        stagingFile = null;
        if (store != null) {
          lock(LockReason.RESTORED);
        }
        deleteOrphanStores(name);
        opened(newStore);
      } catch (NoSuchFileException e) {
        throw new VaultException(
            Code.INVALID_ARGUMENT, "The backup file " + source + " does not exist.");
      } catch (BackupFormat.VaultIoException e) {
        throw e.vaultException();
      } catch (EOFException e) {
        throw new VaultException(
            Code.CORRUPTED, "The backup file is damaged or truncated: nothing was restored.");
      }
    } catch (IOException e) {
      throw storageError(e);
    } finally {
      if (staging != null) {
        staging.rollback();
        staging.close();
      }
      if (stagingFile != null) {
        deleteStoreFiles(stagingFile);
      }
      Secrets.wipe(passphrase);
      Secrets.wipe(dataKey, keyFileDigest);
      if (inbox != null) {
        Secrets.wipe(inbox[0]);
      }
      lock.unlock();
    }
  }

  /** A backup may replace an older backup, never some other file of the user's. */
  private static void refuseToOverwriteNonBackup(Path target) throws VaultException, IOException {
    if (!Files.exists(target)) {
      return;
    }
    byte[] start;
    try (InputStream in = Files.newInputStream(target)) {
      start = in.readNBytes(8);
    }
    if (!Files.isRegularFile(target) || !BackupFormat.looksLikeBackup(start)) {
      throw new VaultException(
          Code.INVALID_ARGUMENT,
          "The file " + target + " exists and is not a Sceau backup: choose another name.");
    }
  }

  private static void readDump(DataInputStream d, Store s) throws IOException, VaultException {
    int schema = BackupFormat.readDumpHeader(d);
    if (schema > Migrations.LATEST) {
      throw new VaultException(
          Code.NEWER_VERSION,
          "This backup was written by a newer version of Sceau: update Sceau to restore it.");
    }
    long records = 0;
    while (true) {
      int tag = d.readUnsignedByte();
      if (tag == BackupFormat.TAG_END) {
        if (d.readLong() != records) {
          throw new BackupFormat.VaultIoException(
              new VaultException(
                  Code.CORRUPTED,
                  "The backup file is damaged or truncated: nothing was restored."));
        }
        return;
      } else if (tag == BackupFormat.TAG_RECORD) {
        String ns = BackupFormat.readString(d, 4 * 64);
        String key = BackupFormat.readString(d, 4 * RecordStore.MAX_KEY_LENGTH);
        int len = d.readInt();
        if (len < 0 || len > RecordStore.MAX_VALUE_BYTES) {
          throw new VaultException(
              Code.CORRUPTED, "The backup file is damaged or truncated: nothing was restored.");
        }
        byte[] value = new byte[len];
        d.readFully(value);
        long updated = d.readLong();
        checkNamespace(ns);
        checkKey(key);
        s.put(ns, key, value, updated);
        records++;
      } else if (tag == BackupFormat.TAG_SEQUENCE) {
        String ns = BackupFormat.readString(d, 4 * 64);
        checkNamespace(ns);
        s.setSequence(ns, d.readLong());
      } else {
        throw new VaultException(
            Code.CORRUPTED, "The backup file is damaged or truncated: nothing was restored.");
      }
    }
  }

  // ------------------------------------------------------------------ data access

  /** The record store of one capability's namespace (e.g. "openpgp.keys"). */
  public RecordStore store(String namespace) throws VaultException {
    checkNamespace(namespace);
    return new NamespaceStore(namespace);
  }

  /** A typed repository over {@link #store(String)}. */
  public <T> Repository<T> repository(String namespace, Codec<T> codec) throws VaultException {
    return new Repository<>(store(namespace), codec);
  }

  /** Work whose writes must all happen or none. */
  @FunctionalInterface
  public interface TransactionBody<R> {
    R run(Transaction tx) throws VaultException;
  }

  /**
   * Runs {@code body} in one transaction: committed when it returns, rolled back when it throws.
   * Other threads' calls wait meanwhile. Nested calls join the outer transaction.
   */
  public <R> R inTransaction(TransactionBody<R> body) throws VaultException {
    lock.lock();
    try {
      Store s = requireOpen();
      if (txDepth > 0) {
        return body.run(this::store);
      }
      s.begin();
      txDepth = 1;
      boolean ok = false;
      try {
        R result = body.run(this::store);
        ok = true;
        return result;
      } finally {
        txDepth = 0;
        if (store == s) {
          if (ok) {
            s.commit();
          } else {
            s.rollback();
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stores an item that arrived from outside (a chat or Bitmessage message) whether or not the
   * vault is open. While locked it is sealed to the vault's inbox public key and waits on disk,
   * unreadable without the passphrase, until the next unlock stores it.
   */
  public void deposit(String namespace, String key, byte[] value) throws VaultException {
    checkNamespace(namespace);
    checkKey(key);
    checkValue(value);
    lock.lock();
    try {
      if (store != null) {
        store.put(namespace, key, value, System.currentTimeMillis());
        return;
      }
      Header h = readHeader();
      byte[] sealed = Inbox.seal(h.inboxPublicKey(), namespace, key, value);
      Path pending = dir.resolve(PENDING);
      AtomicFiles.createPrivateDirectories(pending);
      String name =
          String.format("%013d-%s.sealed", System.currentTimeMillis(), hex(Secrets.random(8)));
      AtomicFiles.write(pending.resolve(name), sealed);
    } catch (IOException e) {
      throw storageError(e);
    } finally {
      lock.unlock();
    }
  }

  /** Runs SQLite's full integrity check (authenticates every page). Takes time on a big vault. */
  public void checkIntegrity() throws VaultException {
    lock.lock();
    try {
      requireOpen().checkIntegrity();
    } finally {
      lock.unlock();
    }
  }

  /** The schema version of the open store. */
  public int schemaVersion() throws VaultException {
    lock.lock();
    try {
      return requireOpen().schemaVersion();
    } finally {
      lock.unlock();
    }
  }

  private final class NamespaceStore implements RecordStore {
    private final String ns;

    NamespaceStore(String ns) {
      this.ns = ns;
    }

    @Override
    public String namespace() {
      return ns;
    }

    @Override
    public void put(String key, byte[] value) throws VaultException {
      checkKey(key);
      checkValue(value);
      lock.lock();
      try {
        requireOpen().put(ns, key, value, System.currentTimeMillis());
      } finally {
        lock.unlock();
      }
    }

    @Override
    public Optional<Record> get(String key) throws VaultException {
      checkKey(key);
      lock.lock();
      try {
        return requireOpen().get(ns, key);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean delete(String key) throws VaultException {
      checkKey(key);
      lock.lock();
      try {
        return requireOpen().delete(ns, key);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public List<Record> list(String prefix, int limit) throws VaultException {
      if (limit < 0) {
        throw new VaultException(Code.INVALID_ARGUMENT, "limit must not be negative");
      }
      lock.lock();
      try {
        return requireOpen().list(ns, prefix, limit, true);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public List<String> keys(String prefix) throws VaultException {
      lock.lock();
      try {
        List<String> out = new ArrayList<>();
        for (Record r : requireOpen().list(ns, prefix, Integer.MAX_VALUE, false)) {
          out.add(r.key());
        }
        return out;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public long count() throws VaultException {
      lock.lock();
      try {
        return requireOpen().count(ns);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public String append(byte[] value) throws VaultException {
      checkValue(value);
      return inTransaction(
          tx -> {
            long n = store.nextSequence(ns);
            String key = String.format("%019d", n);
            store.insertNew(ns, key, value, System.currentTimeMillis());
            return key;
          });
    }
  }

  // ------------------------------------------------------------------ internals

  private Path headerPath() {
    return dir.resolve(HEADER);
  }

  private Store requireOpen() throws VaultException {
    if (store == null) {
      throw new VaultException(Code.VAULT_LOCKED, "The vault is locked: unlock it first.");
    }
    touch();
    return store;
  }

  private void touch() {
    lastUsed.set(System.nanoTime());
  }

  private void opened(Store s) {
    store = s;
    unlocked = true;
    touch();
    startTimer();
    for (VaultListener l : listeners) {
      try {
        l.unlocked();
      } catch (RuntimeException e) {
        LOG.warn("vault listener failed on unlock", e);
      }
    }
  }

  private synchronized void startTimer() {
    Duration idle = options.idleTimeout();
    if (idle.isZero() || timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sceau-vault-autolock");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(20, Math.min(idle.toMillis() / 4, 5_000));
    timer.scheduleWithFixedDelay(this::lockIfIdle, period, period, TimeUnit.MILLISECONDS);
  }

  private void lockIfIdle() {
    if (!unlocked) {
      return;
    }
    long idleNanos = options.idleTimeout().toNanos();
    if (System.nanoTime() - lastUsed.get() < idleNanos) {
      return;
    }
    lock.lock();
    try {
      // Re-check under the lock: a call may have run while we waited for it.
      if (store != null && System.nanoTime() - lastUsed.get() >= idleNanos) {
        LOG.info("vault locked after {} idle", options.idleTimeout());
        lock(LockReason.IDLE);
      }
    } finally {
      lock.unlock();
    }
  }

  private Header readHeader() throws VaultException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(headerPath())) {
      bytes = in.readNBytes(Header.MAX_SIZE + 1);
    } catch (NoSuchFileException e) {
      throw new VaultException(Code.NO_VAULT, "There is no vault yet: create one first.");
    } catch (IOException e) {
      throw storageError(e);
    }
    return Header.parse(bytes);
  }

  private Header wrap(
      byte[] dataKey, char[] passphrase, byte[] keyFileDigest, String storeName, byte[] inboxPub) {
    byte[] salt = Secrets.random(16);
    byte[] check = keyFileDigest == null ? new byte[4] : Kdf.keyFileCheck(keyFileDigest, salt);
    byte[] nonce = Secrets.random(Gcm.NONCE);
    Header unsealed =
        new Header(
            options.kdf(),
            salt,
            keyFileDigest != null,
            check,
            storeName,
            inboxPub,
            nonce,
            new byte[0]);
    byte[] kek = Kdf.deriveKek(passphrase, keyFileDigest, salt, options.kdf(), HEADER_CONTEXT);
    try {
      byte[] wrapped = Gcm.seal(kek, nonce, unsealed.associatedData(), dataKey);
      return new Header(
          options.kdf(), salt, keyFileDigest != null, check, storeName, inboxPub, nonce, wrapped);
    } finally {
      Secrets.wipe(kek);
    }
  }

  private static byte[] unwrap(Header h, char[] passphrase, Path keyFile) throws VaultException {
    if (h.keyFile() && keyFile == null) {
      throw new VaultException(
          Code.KEY_FILE_MISSING,
          "This vault needs its key file: plug in the device that holds it and give its path.");
    }
    if (!h.keyFile() && keyFile != null) {
      throw new VaultException(
          Code.KEY_FILE_WRONG, "This vault does not use a key file: unlock it without one.");
    }
    byte[] digest = keyFile == null ? null : Kdf.keyFileDigest(keyFile);
    byte[] kek = null;
    try {
      if (digest != null
          && !MessageDigest.isEqual(Kdf.keyFileCheck(digest, h.salt()), h.keyFileCheck())) {
        throw new VaultException(
            Code.KEY_FILE_WRONG,
            "This is not the key file of this vault: choose the file it was set up with.");
      }
      if (passphrase == null || passphrase.length == 0) {
        throw new VaultException(Code.WRONG_PASSPHRASE, "Enter the vault's passphrase.");
      }
      kek = Kdf.deriveKek(passphrase, digest, h.salt(), h.kdf(), HEADER_CONTEXT);
      return Gcm.open(kek, h.nonce(), h.associatedData(), h.wrappedKey(), 0, h.wrappedKey().length);
    } catch (AEADBadTagException e) {
      throw new VaultException(
          Code.WRONG_PASSPHRASE, "This passphrase does not open the vault: check it and retry.");
    } finally {
      Secrets.wipe(digest, kek);
    }
  }

  private void drainPending(Store s) throws VaultException {
    List<Path> files = pendingFiles();
    if (files.isEmpty()) {
      return;
    }
    byte[] priv = s.meta(INBOX_PRIVATE).orElseThrow();
    try {
      for (Path f : files) {
        byte[] sealed;
        try {
          if (Files.size(f) > RecordStore.MAX_VALUE_BYTES + 16 * 1024) {
            throw new AEADBadTagException("too large");
          }
          sealed = Files.readAllBytes(f);
          Inbox.Item item = Inbox.open(priv, sealed);
          s.put(
              item.namespace(), item.key(), item.value(), Files.getLastModifiedTime(f).toMillis());
          Secrets.wipe(item.value());
          Files.delete(f);
        } catch (AEADBadTagException e) {
          LOG.warn("a deposit could not be opened and was set aside: {}", f.getFileName());
          try {
            Files.move(f, f.resolveSibling(f.getFileName() + ".rejected"));
          } catch (IOException ignored) {
            // Left in place; it will be tried again.
          }
        } catch (IOException e) {
          throw storageError(e);
        }
      }
    } finally {
      Secrets.wipe(priv);
    }
  }

  private List<Path> pendingFiles() {
    List<Path> out = new ArrayList<>();
    Path p = dir.resolve(PENDING);
    if (!Files.isDirectory(p)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "*.sealed")) {
      ds.forEach(out::add);
    } catch (IOException e) {
      LOG.warn("could not list pending deposits", e);
    }
    out.sort(null);
    return out;
  }

  /** Removes store files that the header does not name (left by a crash or a restore). */
  private void deleteOrphanStores(String keep) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "store-*.db")) {
      for (Path p : ds) {
        if (!p.getFileName().toString().equals(keep)) {
          deleteStoreFiles(p);
        }
      }
    }
  }

  private static void deleteStoreFiles(Path db) {
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      try {
        Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
      } catch (IOException e) {
        LOG.warn("could not delete {}", db.getFileName() + suffix);
      }
    }
  }

  private static String newStoreName() {
    return "store-" + hex(Secrets.random(8)) + ".db";
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static void requirePassphrase(char[] p) throws VaultException {
    if (p == null || p.length == 0) {
      throw new VaultException(Code.INVALID_ARGUMENT, "Choose a passphrase: it cannot be empty.");
    }
  }

  static void checkNamespace(String ns) throws VaultException {
    if (ns == null || !NAMESPACE.matcher(ns).matches()) {
      throw new VaultException(
          Code.INVALID_ARGUMENT,
          "A namespace is 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with a"
              + " letter.");
    }
  }

  private static void checkKey(String key) throws VaultException {
    if (key == null || key.isEmpty() || key.length() > RecordStore.MAX_KEY_LENGTH) {
      throw new VaultException(
          Code.INVALID_ARGUMENT, "A key is 1 to " + RecordStore.MAX_KEY_LENGTH + " characters.");
    }
  }

  private static void checkValue(byte[] value) throws VaultException {
    if (value == null || value.length > RecordStore.MAX_VALUE_BYTES) {
      throw new VaultException(Code.INVALID_ARGUMENT, "A value is at most 64 MiB.");
    }
  }

  private static VaultException storageError(Exception e) {
    return new VaultException(
        Code.STORAGE_ERROR,
        "The vault's files could not be read or written: check the disk and permissions.",
        e);
  }
}
