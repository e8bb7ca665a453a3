package org.sceau.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.sceau.vault.TestVaults.FAST;
import static org.sceau.vault.TestVaults.pass;
import static org.sceau.vault.TestVaults.utf8;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.vault.VaultException.Code;
import org.sceau.vault.internal.Migrations;

class MigrationsTest {
  @TempDir Path dir;

  @Test
  void versionsAreConsecutiveFromOne() {
    for (int i = 0; i < Migrations.ALL.size(); i++) {
      assertEquals(i + 1, Migrations.ALL.get(i).version());
    }
    assertEquals(Migrations.ALL.size(), Migrations.LATEST);
  }

  @Test
  void newVaultIsAtLatestSchema() throws Exception {
    Vault v = TestVaults.created(dir);
    assertEquals(Migrations.LATEST, v.schemaVersion());
  }

  @Test
  void everyOlderSchemaMigratesForwardKeepingData() throws Exception {
    for (int from = 1; from < Migrations.LATEST; from++) {
      Path d = dir.resolve("from-" + from);
      Vault old = Vault.withMigrations(d, FAST, Migrations.ALL.subList(0, from));
      old.create(pass("pw"), null);
      assertEquals(from, old.schemaVersion());
      old.store("keep").put("k", utf8("kept across migrations"));
      old.close();

      Vault current = Vault.at(d, FAST);
      current.unlock(pass("pw"), null);
      assertEquals(Migrations.LATEST, current.schemaVersion());
      assertArrayEquals(
          utf8("kept across migrations"), current.store("keep").get("k").orElseThrow().value());
      // Version 2's feature works on a migrated store.
      current.store("log").append(utf8("x"));
      current.checkIntegrity();
      current.close();
    }
  }

  @Test
  void schemaNewerThanThisBuildIsNewerVersion() throws Exception {
    List<Migrations.Migration> future = new java.util.ArrayList<>(Migrations.ALL);
    future.add(
        new Migrations.Migration(
            Migrations.LATEST + 1, List.of("CREATE TABLE from_the_future(x INTEGER)")));
    Vault newer = Vault.withMigrations(dir, FAST, future);
    newer.create(pass("pw"), null);
    newer.close();
    VaultException e =
        assertThrows(VaultException.class, () -> Vault.at(dir, FAST).unlock(pass("pw"), null));
    assertEquals(Code.NEWER_VERSION, e.code());
  }
}
