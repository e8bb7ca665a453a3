package org.sceau.app.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.cli.SceauCli;
import picocli.CommandLine;

/** The command line's shape and params; the methods themselves are MailCapabilityTest's. */
class KeysCommandTest {
  @TempDir Path dir;

  private static CommandLine sub(String... args) {
    CommandLine cl = new CommandLine(new KeysCommand());
    return cl.parseArgs(args).subcommand().commandSpec().commandLine();
  }

  @Test
  void keysIsASubcommandOfSceau() {
    CommandLine cl = new CommandLine(new SceauCli());
    assertTrue(
        cl.getSubcommands()
            .get("keys")
            .getSubcommands()
            .keySet()
            .containsAll(
                java.util.List.of("generate", "list", "import", "export", "discover", "revoke")));
  }

  @Test
  void argumentsBecomeTheMethodsParams() throws Exception {
    KeysCommand.Sub gen =
        sub("generate", "Alice <alice@example.org>", "--profile", "rsa_3072").getCommand();
    assertEquals("keys.generate", gen.method());
    assertEquals(
        "{\"userId\":\"Alice <alice@example.org>\",\"profile\":\"rsa_3072\"}",
        gen.params().toString());

    KeysCommand.Sub revoke = sub("revoke", "ABCD", "--reason", "superseded").getCommand();
    assertEquals("keys.revoke", revoke.method());
    assertEquals(
        "{\"fingerprint\":\"ABCD\",\"reason\":\"superseded\"}", revoke.params().toString());
    KeysCommand.Sub discover = sub("discover", "bob@example.org").getCommand();
    assertEquals("keys.discover", discover.method());
    assertEquals("{\"email\":\"bob@example.org\"}", discover.params().toString());

    KeysCommand.Sub export = sub("export", "ABCD").getCommand();
    assertEquals("keys.export", export.method());
    assertEquals("{\"fingerprint\":\"ABCD\"}", export.params().toString());

    Path f = dir.resolve("bob.asc");
    Files.writeString(f, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n");
    KeysCommand.Sub imp = sub("import", f.toString()).getCommand();
    assertEquals("keys.import", imp.method());
    assertEquals(
        "{\"armored\":\"-----BEGIN PGP PUBLIC KEY BLOCK-----\\n\"}", imp.params().toString());

    KeysCommand.Import fromStdin = sub("import", "-").getCommand();
    fromStdin.stdin = new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8));
    assertEquals("{\"armored\":\"abc\"}", fromStdin.params().toString());
  }

  @Test
  void missingArgumentsAreAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new KeysCommand()).setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("export"));
    assertTrue(err.toString().contains("FINGERPRINT"), err.toString());
  }
}
