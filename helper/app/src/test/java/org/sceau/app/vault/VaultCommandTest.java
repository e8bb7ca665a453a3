package org.sceau.app.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sceau.app.cli.ExitCodes;

/** The CLI against a real helper socket served in this JVM, with the real vault behind it. */
class VaultCommandTest extends CliFixture {
  @Test
  void fullLifecycleThroughTheCli() throws Exception {
    assertEquals(ExitCodes.OK, run("", "status"));
    assertTrue(out.contains("No vault yet"), out);

    Path pw = file("pw.txt", "first passphrase\n");
    assertEquals(ExitCodes.OK, run("", "create", "--passphrase-file", pw.toString()), err);
    assertTrue(out.contains("unlocked"), out);
    cap.vault().store("settings").put("k", "v".getBytes(StandardCharsets.UTF_8));

    assertEquals(ExitCodes.OK, run("", "lock"));
    assertTrue(out.contains("locked"), out);

    assertEquals(ExitCodes.FAILED, run("wrong\n", "unlock", "--passphrase-fd", "0"));
    assertTrue(err.contains("WRONG_PASSPHRASE"), err);
    assertTrue(!err.contains("wrong\n") && !out.contains("first passphrase"));

    assertEquals(ExitCodes.OK, run("first passphrase\n", "unlock", "--passphrase-fd", "0"), err);
    assertTrue(cap.vault().isUnlocked());

    // Two passphrases from one descriptor, one line each.
    assertEquals(
        ExitCodes.OK,
        run(
            "first passphrase\nsecond passphrase\n",
            "change-passphrase",
            "--passphrase-fd",
            "0",
            "--new-passphrase-fd",
            "0"),
        err);

    Path backup = root.resolve("vault.backup");
    Path bpw = file("bpw.txt", "backup passphrase");
    assertEquals(
        ExitCodes.OK,
        run("", "backup", backup.toString(), "--passphrase-file", bpw.toString()),
        err);
    assertTrue(out.contains("Backup written"), out);
    assertTrue(Files.size(backup) > 0);

    cap.vault().store("settings").delete("k");
    assertEquals(
        ExitCodes.OK,
        run("", "restore", backup.toString(), "--passphrase-file", bpw.toString(), "--json"),
        err);
    assertTrue(out.contains("\"state\" : \"unlocked\""), out);
    assertTrue(cap.vault().store("settings").get("k").isPresent());

    assertEquals(ExitCodes.OK, run("", "lock"));
    assertEquals(ExitCodes.OK, run("backup passphrase\n", "unlock", "--passphrase-fd", "0"), err);
  }

  @Test
  void withoutTerminalOrDescriptorItSaysHow() {
    assertEquals(ExitCodes.USAGE, run("", "unlock"));
    assertTrue(err.contains("--passphrase-fd"), err);
  }

  @Test
  void emptyPassphraseInputIsRefused() {
    assertEquals(ExitCodes.USAGE, run("\n", "create", "--passphrase-fd", "0"));
  }

  @Test
  void helperNotRunningIsExitCodeThree() throws Exception {
    server.close();
    assertEquals(ExitCodes.NOT_RUNNING, run("", "status"));
    assertTrue(err.contains("not running"), err);
  }

  @Test
  void secretTextSerialisesAsAJsonStringButNeverPrintsIt() throws Exception {
    SecretText s = new SecretText("pa\"ss".toCharArray());
    var node = org.sceau.app.rpc.Json.object();
    node.set("passphrase", s);
    assertEquals(
        "{\"passphrase\":\"pa\\\"ss\"}",
        new String(org.sceau.app.rpc.Json.bytes(node), StandardCharsets.UTF_8));
    // Its own text forms hide it (a containing node's toString() serialises, so never log those).
    assertTrue(!s.toString().contains("pa") && !s.asText().contains("pa"));
    s.wipe();
    assertEquals(
        "{\"passphrase\":\"\\u0000\\u0000\\u0000\\u0000\\u0000\"}",
        new String(org.sceau.app.rpc.Json.bytes(node), StandardCharsets.UTF_8));
  }
}
