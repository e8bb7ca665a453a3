package org.sceau.vault.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sceau.vault.VaultException;
import org.sceau.vault.VaultException.Code;

/**
 * Versioned schema changes, applied in order inside one transaction each; the version is SQLite's
 * {@code user_version}. Append new migrations, never edit a released one.
 */
public final class Migrations {
  /** One step from {@code version - 1} to {@code version}. */
  public record Migration(int version, List<String> statements) {}

  public static final List<Migration> ALL =
      List.of(
          new Migration(
              1,
              List.of(
                  "CREATE TABLE meta(name TEXT PRIMARY KEY, value BLOB NOT NULL)",
                  "CREATE TABLE records(ns TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
                      + " updated INTEGER NOT NULL, PRIMARY KEY(ns, key))")),
          // Version 2: per-namespace sequences for RecordStore.append (histories, logs).
          new Migration(
              2, List.of("CREATE TABLE sequences(ns TEXT PRIMARY KEY, next INTEGER NOT NULL)")));

  public static final int LATEST = ALL.get(ALL.size() - 1).version();

  private Migrations() {}

  public static int version(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** Brings the schema to the last of {@code migrations}; returns the resulting version. */
  public static int migrate(Connection c, List<Migration> migrations)
      throws SQLException, VaultException {
    int latest = migrations.get(migrations.size() - 1).version();
    int current = version(c);
    if (current > latest) {
      throw new VaultException(
          Code.NEWER_VERSION,
          "This vault was written by a newer version of Sceau (schema "
              + current
              + "): update Sceau to open it.");
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      for (Migration m : migrations) {
        if (m.version() <= current) {
          continue;
        }
        try (Statement s = c.createStatement()) {
          for (String sql : m.statements()) {
            s.execute(sql);
          }
          s.execute("PRAGMA user_version = " + m.version());
        }
        c.commit();
        current = m.version();
      }
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
    return current;
  }
}
