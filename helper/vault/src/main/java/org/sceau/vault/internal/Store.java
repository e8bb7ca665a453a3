package org.sceau.vault.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sceau.vault.Record;
import org.sceau.vault.VaultException;
import org.sceau.vault.VaultException.Code;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;
import org.sqlite.mc.SQLiteMCChacha20Config;
import org.sqlite.mc.SQLiteMCConfig;

/**
 * The encrypted SQLite database (SQLite3MultipleCiphers, ChaCha20-Poly1305 per page, raw 256-bit
 * key) and the only SQL in Sceau. Not thread-safe: {@code Vault} serialises access.
 *
 * <p>Every value is also sealed with AES-256-GCM bound to its namespace and key ({@link
 * RecordCipher}). Why both: SQLite3MultipleCiphers checks each page's Poly1305 tag, but on a
 * mismatch it decrypts the page anyway and only flags the pager, so a single point read can still
 * return modified bytes (measured: TamperTest). The record layer makes "typed error, never wrong
 * data" hold for every read.
 *
 * <p>WAL journal with {@code synchronous=FULL}: a commit that returned is on disk. Temporary tables
 * and sort spills stay in memory ({@code temp_store=MEMORY}) so no plaintext temp file is written.
 * The page cache holds decrypted pages in memory while the vault is unlocked, as any open database
 * does; it goes with the connection at lock.
 */
public final class Store implements AutoCloseable {
  private final Connection c;
  private final RecordCipher cipher;

  /** Prepared once per connection: preparing costs more than a cached point read. */
  private final java.util.Map<String, PreparedStatement> statements = new java.util.HashMap<>();

  private Store(Connection c, RecordCipher cipher) {
    this.c = c;
    this.cipher = cipher;
  }

  /**
   * Opens (or creates) the store with the data key and brings the schema up to date.
   *
   * <p>The driver turns the key into a hex String to build a PRAGMA; that copy cannot be wiped (a
   * limit of the JDBC driver), though the caller's array is.
   */
  public static Store open(Path file, byte[] dataKey, List<Migrations.Migration> migrations)
      throws VaultException {
    Connection conn = null;
    try {
      SQLiteMCConfig cfg = new SQLiteMCChacha20Config().withRawUnsaltedKey(dataKey).build();
      cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
      cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      cfg.setTempStore(SQLiteConfig.TempStore.MEMORY);
      cfg.setBusyTimeout(10_000);
      // 16 MiB of decrypted pages (SQLite's default is 2 MiB): each miss costs a page decryption
      // and authentication, and the helper is resident, so a warm cache pays for itself.
      cfg.setCacheSize(-16 * 1024);
      conn = cfg.createConnection("jdbc:sqlite:file:" + file.toAbsolutePath());
      try (Statement s = conn.createStatement()) {
        // Reading the schema makes SQLite decrypt and authenticate page 1.
        s.executeQuery("SELECT count(*) FROM sqlite_master").close();
      }
      Migrations.migrate(conn, migrations);
      return new Store(conn, new RecordCipher(dataKey));
    } catch (SQLException e) {
      closeQuietly(conn);
      throw map(e);
    } catch (VaultException e) {
      closeQuietly(conn);
      throw e;
    }
  }

  public static Store open(Path file, byte[] dataKey) throws VaultException {
    return open(file, dataKey, Migrations.ALL);
  }

  private static void closeQuietly(Connection conn) {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // Already failing; the first error is the one to report.
      }
    }
  }

  /** Maps a driver error to a typed one, without the driver's message (it may quote data). */
  public static VaultException map(SQLException e) {
    if (e instanceof SQLiteException se) {
      switch (se.getResultCode().code & 0xff) {
        case 11: // SQLITE_CORRUPT
        case 26: // SQLITE_NOTADB: a page failed authentication
          return new VaultException(
              Code.CORRUPTED,
              "The vault's data file is damaged or was modified: restore it from a backup.",
              e);
        case 13: // SQLITE_FULL
          return new VaultException(Code.STORAGE_ERROR, "The disk is full: free some space.", e);
        default:
          break;
      }
    }
    return new VaultException(
        Code.STORAGE_ERROR, "The vault's data file could not be read or written.", e);
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement p = statements.get(sql);
    if (p == null) {
      p = c.prepareStatement(sql);
      statements.put(sql, p);
    } else {
      p.clearParameters();
    }
    return p;
  }

  public Connection connection() {
    return c;
  }

  public int schemaVersion() throws VaultException {
    try {
      return Migrations.version(c);
    } catch (SQLException e) {
      throw map(e);
    }
  }

  /** Runs SQLite's full integrity check, which also authenticates every page. */
  public void checkIntegrity() throws VaultException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      if (!rs.next() || !"ok".equals(rs.getString(1))) {
        throw new VaultException(
            Code.CORRUPTED, "The vault failed its integrity check: restore it from a backup.");
      }
    } catch (SQLException e) {
      throw map(e);
    }
  }

  // ---- transactions

  public void begin() throws VaultException {
    try {
      c.setAutoCommit(false);
    } catch (SQLException e) {
      throw map(e);
    }
  }

  public void commit() throws VaultException {
    try {
      c.commit();
      c.setAutoCommit(true);
    } catch (SQLException e) {
      throw map(e);
    }
  }

  public void rollback() {
    try {
      c.rollback();
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // The connection is broken; the next use reports it.
    }
  }

  // ---- records

  public void put(String ns, String key, byte[] value, long updatedMillis) throws VaultException {
    try {
      PreparedStatement p =
          prepare(
              "INSERT INTO records(ns, key, value, updated) VALUES(?, ?, ?, ?)"
                  + " ON CONFLICT(ns, key) DO UPDATE SET value = excluded.value,"
                  + " updated = excluded.updated");
      p.setString(1, ns);
      p.setString(2, key);
      p.setBytes(3, cipher.seal(ns, key, value));
      p.setLong(4, updatedMillis);
      p.executeUpdate();
    } catch (SQLException e) {
      throw map(e);
    }
  }

  /** Inserts a record that must not exist yet (sequence keys): a clash means a damaged store. */
  public void insertNew(String ns, String key, byte[] value, long updatedMillis)
      throws VaultException {
    try {
      PreparedStatement p =
          prepare(
              "INSERT INTO records(ns, key, value, updated) VALUES(?, ?, ?, ?)"
                  + " ON CONFLICT(ns, key) DO NOTHING");
      p.setString(1, ns);
      p.setString(2, key);
      p.setBytes(3, cipher.seal(ns, key, value));
      p.setLong(4, updatedMillis);
      if (p.executeUpdate() != 1) {
        throw new VaultException(
            Code.CORRUPTED,
            "The vault's sequence counter is damaged: restore the vault from a backup.");
      }
    } catch (SQLException e) {
      throw map(e);
    }
  }

  public Optional<Record> get(String ns, String key) throws VaultException {
    try {
      PreparedStatement p = prepare("SELECT value, updated FROM records WHERE ns = ? AND key = ?");
      p.setString(1, ns);
      p.setString(2, key);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        byte[] v = cipher.open(ns, key, rs.getBytes(1));
        return Optional.of(new Record(key, v, Instant.ofEpochMilli(rs.getLong(2))));
      }
    } catch (SQLException e) {
      throw map(e);
    }
  }

  public boolean delete(String ns, String key) throws VaultException {
    try {
      PreparedStatement p = prepare("DELETE FROM records WHERE ns = ? AND key = ?");
      p.setString(1, ns);
      p.setString(2, key);
      return p.executeUpdate() > 0;
    } catch (SQLException e) {
      throw map(e);
    }
  }

  public List<Record> list(String ns, String prefix, int limit, boolean withValues)
      throws VaultException {
    // Values are read even for key listings: opening them authenticates the keys as well.
    String cols = "key, value, updated";
    try {
      PreparedStatement p =
          prepare(
              "SELECT " + cols + " FROM records WHERE ns = ? AND key >= ? ORDER BY key LIMIT ?");
      p.setString(1, ns);
      p.setString(2, prefix);
      p.setInt(3, limit);
      List<Record> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1);
          // Keys with the prefix are contiguous from `prefix` on: the first other key ends them.
          if (!key.startsWith(prefix)) {
            break;
          }
          byte[] v = cipher.open(ns, key, rs.getBytes(2));
          if (!withValues) {
            Secrets.wipe(v);
            v = new byte[0];
          }
          out.add(new Record(key, v, Instant.ofEpochMilli(rs.getLong(3))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw map(e);
    }
  }

  public long count(String ns) throws VaultException {
    try {
      PreparedStatement p = prepare("SELECT count(*) FROM records WHERE ns = ?");
      p.setString(1, ns);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw map(e);
    }
  }

  /** Returns the next value of the namespace's sequence (1, 2, …). Call inside a transaction. */
  public long nextSequence(String ns) throws VaultException {
    try {
      PreparedStatement p =
          prepare(
              "INSERT INTO sequences(ns, next) VALUES(?, 2) ON CONFLICT(ns) DO UPDATE SET"
                  + " next = next + 1 RETURNING next - 1");
      p.setString(1, ns);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw map(e);
    }
  }

  // ---- meta (vault-internal values: the inbox private key)

  /** Namespace used in the record cipher's associated data for meta values (not a valid ns). */
  private static final String META_NS = "#meta";

  public Optional<byte[]> meta(String name) throws VaultException {
    try {
      PreparedStatement p = prepare("SELECT value FROM meta WHERE name = ?");
      p.setString(1, name);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next()
            ? Optional.of(cipher.open(META_NS, name, rs.getBytes(1)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw map(e);
    }
  }

  public void setMeta(String name, byte[] value) throws VaultException {
    try {
      PreparedStatement p =
          prepare(
              "INSERT INTO meta(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET"
                  + " value = excluded.value");
      p.setString(1, name);
      p.setBytes(2, cipher.seal(META_NS, name, value));
      p.executeUpdate();
    } catch (SQLException e) {
      throw map(e);
    }
  }

  // ---- whole-store iteration for backups

  /** Receives every record, then every sequence. */
  public interface DumpSink {
    void record(String ns, String key, byte[] value, long updated) throws Exception;

    void sequence(String ns, long next) throws Exception;
  }

  public void dump(DumpSink sink) throws Exception {
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT ns, key, value, updated FROM records")) {
        while (rs.next()) {
          String ns = rs.getString(1);
          String key = rs.getString(2);
          byte[] v = cipher.open(ns, key, rs.getBytes(3));
          sink.record(ns, key, v, rs.getLong(4));
          Secrets.wipe(v);
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT ns, next FROM sequences")) {
        while (rs.next()) {
          sink.sequence(rs.getString(1), rs.getLong(2));
        }
      }
    }
  }

  public void setSequence(String ns, long next) throws VaultException {
    try {
      PreparedStatement p =
          prepare(
              "INSERT INTO sequences(ns, next) VALUES(?, ?) ON CONFLICT(ns) DO UPDATE SET"
                  + " next = excluded.next");
      p.setString(1, ns);
      p.setLong(2, next);
      p.executeUpdate();
    } catch (SQLException e) {
      throw map(e);
    }
  }

  @Override
  public void close() {
    for (PreparedStatement p : statements.values()) {
      try {
        p.close();
      } catch (SQLException ignored) {
        // Closing anyway.
      }
    }
    statements.clear();
    try {
      // Fold the WAL back so only the main (encrypted) file remains on disk.
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    } catch (SQLException ignored) {
      // Closing anyway; SQLite checkpoints on the last close too.
    }
    closeQuietly(c);
    cipher.close();
  }
}
