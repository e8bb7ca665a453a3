package org.sceau.app.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sceau.app.cli.HelperCall;
import org.sceau.app.client.HelperClient;
import org.sceau.app.client.HelperUnreachableException;
import org.sceau.app.paths.SceauPaths;
import org.sceau.app.rpc.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sceau vault create|unlock|lock|status|change-passphrase|backup|restore}: the vault through
 * the running helper. Passphrases are read without echo from the terminal, or for scripts from a
 * file descriptor ({@code --passphrase-fd 0} reads a line from standard input) or a file.
 */
@Command(
    name = "vault",
    mixinStandardHelpOptions = true,
    description = "Create, open, close, back up and restore the encrypted vault.",
    subcommands = {
      VaultCommand.Create.class,
      VaultCommand.Unlock.class,
      VaultCommand.Lock.class,
      VaultCommand.Status.class,
      VaultCommand.ChangePassphrase.class,
      VaultCommand.Backup.class,
      VaultCommand.Restore.class
    })
public final class VaultCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final Path socket;
  final PassphraseReader reader;

  /** Talks to the helper at the socket of this user's environment. */
  public VaultCommand() {
    this(null, PassphraseReader.system());
  }

  VaultCommand(Path socket, PassphraseReader reader) {
    this.socket = socket;
    this.reader = reader;
  }

  HelperClient connect() throws HelperUnreachableException {
    return HelperClient.connect(socket != null ? socket : SceauPaths.fromEnvironment().socket());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the (current) passphrase comes from. */
  static final class PassphraseSource {
    @Option(
        names = "--passphrase-fd",
        paramLabel = "N",
        description = "Read the passphrase from file descriptor N (one line; 0 = stdin).")
    Integer fd;

    @Option(
        names = "--passphrase-file",
        paramLabel = "FILE",
        description = "Read the passphrase from the first line of FILE.")
    Path file;
  }

  /** Where a new passphrase comes from (change-passphrase). */
  static final class NewPassphraseSource {
    @Option(
        names = "--new-passphrase-fd",
        paramLabel = "N",
        description = "Read the new passphrase from file descriptor N (one line).")
    Integer fd;

    @Option(
        names = "--new-passphrase-file",
        paramLabel = "FILE",
        description = "Read the new passphrase from the first line of FILE.")
    Path file;
  }

  /** One vault.* call; passphrases it reads are wiped when it is done. */
  abstract static class Sub extends HelperCall {
    @ParentCommand VaultCommand parent;

    private final List<SecretText> secrets = new ArrayList<>();

    @Override
    protected abstract String method();

    /** A passphrase as a request value that is never a String; wiped after the call. */
    SecretText secret(char[] chars) {
      SecretText s = new SecretText(chars);
      secrets.add(s);
      return s;
    }

    char[] read(Integer fd, Path file, String prompt, boolean confirm)
        throws PassphraseReader.PassphraseInputException {
      if (fd != null && file != null) {
        throw new PassphraseReader.PassphraseInputException(
            "Give the passphrase by descriptor or by file, not both.");
      }
      if (fd != null) {
        return parent.reader.fromFd(fd);
      }
      if (file != null) {
        return parent.reader.fromFile(file);
      }
      return parent.reader.fromTerminal(prompt, confirm);
    }

    static String abs(Path p) {
      return p.toAbsolutePath().normalize().toString();
    }

    @Override
    protected HelperClient connect() throws HelperUnreachableException {
      return parent.connect();
    }

    @Override
    protected void done() {
      for (SecretText s : secrets) {
        s.wipe();
      }
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      if (r.has("path")) {
        out.printf(
            "Backup written to %s (%d bytes).%n",
            r.path("path").asText(), r.path("bytes").asLong());
        return;
      }
      String state = r.path("state").asText();
      switch (state) {
        case "absent" -> out.println("No vault yet: create one with `sceau vault create`.");
        case "locked", "unlocked" -> {
          out.printf("The vault is %s.%n", state);
          out.printf(
              "Key file: %s. Argon2id: %d MiB, %d passes. Auto-lock after %s s idle.%n",
              r.path("keyFileRequired").asBoolean() ? "required" : "none",
              r.path("kdf").path("memoryKiB").asLong() / 1024,
              r.path("kdf").path("iterations").asInt(),
              r.path("idleTimeoutSeconds").asLong());
          if (r.path("pendingDeposits").asInt() > 0) {
            out.printf(
                "%d item(s) received while locked wait for the next unlock.%n",
                r.path("pendingDeposits").asInt());
          }
        }
        default -> out.println(r.path("message").asText(state));
      }
    }
  }

  @Command(name = "create", description = "Create a new vault (asks for the passphrase twice).")
  static final class Create extends Sub {
    @CommandLine.Mixin PassphraseSource pass;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Also require this key file.")
    Path keyFile;

    @Override
    protected String method() {
      return "vault.create";
    }

    @Override
    protected ObjectNode params() throws PassphraseReader.PassphraseInputException {
      ObjectNode p = Json.object();
      p.set("passphrase", secret(read(pass.fd, pass.file, "New vault passphrase", true)));
      if (keyFile != null) {
        p.put("keyFile", abs(keyFile));
      }
      return p;
    }
  }

  @Command(name = "unlock", description = "Open the vault.")
  static final class Unlock extends Sub {
    @CommandLine.Mixin PassphraseSource pass;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The vault's key file.")
    Path keyFile;

    @Override
    protected String method() {
      return "vault.unlock";
    }

    @Override
    protected ObjectNode params() throws PassphraseReader.PassphraseInputException {
      ObjectNode p = Json.object();
      p.set("passphrase", secret(read(pass.fd, pass.file, "Vault passphrase", false)));
      if (keyFile != null) {
        p.put("keyFile", abs(keyFile));
      }
      return p;
    }
  }

  @Command(name = "lock", description = "Close the vault now; the helper forgets its keys.")
  static final class Lock extends Sub {
    @Override
    protected String method() {
      return "vault.lock";
    }

    @Override
    protected ObjectNode params() {
      return Json.object();
    }
  }

  @Command(name = "status", description = "Show whether the vault exists and is open.")
  static final class Status extends Sub {
    @Override
    protected String method() {
      return "vault.status";
    }

    @Override
    protected ObjectNode params() {
      return Json.object();
    }
  }

  @Command(
      name = "change-passphrase",
      description = "Change the passphrase and/or key file (only the wrapped key is rewritten).")
  static final class ChangePassphrase extends Sub {
    @CommandLine.Mixin PassphraseSource pass;
    @CommandLine.Mixin NewPassphraseSource newPass;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The current key file.")
    Path keyFile;

    @Option(
        names = "--new-key-file",
        paramLabel = "FILE",
        description = "Require this key file from now on (default: keep --key-file).")
    Path newKeyFile;

    @Option(names = "--remove-key-file", description = "No key file from now on.")
    boolean removeKeyFile;

    @Override
    protected String method() {
      return "vault.changePassphrase";
    }

    @Override
    protected ObjectNode params() throws PassphraseReader.PassphraseInputException {
      if (removeKeyFile && newKeyFile != null) {
        throw new PassphraseReader.PassphraseInputException(
            "Choose --new-key-file or --remove-key-file, not both.");
      }
      ObjectNode p = Json.object();
      p.set("passphrase", secret(read(pass.fd, pass.file, "Current passphrase", false)));
      p.set("newPassphrase", secret(read(newPass.fd, newPass.file, "New passphrase", true)));
      if (keyFile != null) {
        p.put("keyFile", abs(keyFile));
      }
      Path next = removeKeyFile ? null : (newKeyFile != null ? newKeyFile : keyFile);
      if (next != null) {
        p.put("newKeyFile", abs(next));
      }
      return p;
    }
  }

  @Command(
      name = "backup",
      description = "Write an encrypted backup of everything in the (unlocked) vault to FILE.")
  static final class Backup extends Sub {
    @CommandLine.Parameters(paramLabel = "FILE", description = "Where to write the backup.")
    Path file;

    @CommandLine.Mixin PassphraseSource pass;

    @Override
    protected String method() {
      return "vault.backup";
    }

    @Override
    protected ObjectNode params() throws PassphraseReader.PassphraseInputException {
      ObjectNode p = Json.object().put("path", abs(file));
      p.set("passphrase", secret(read(pass.fd, pass.file, "Backup passphrase", true)));
      return p;
    }
  }

  @Command(
      name = "restore",
      description =
          "Replace the vault's content with a backup (checked completely first). The vault then"
              + " opens with the backup's passphrase.")
  static final class Restore extends Sub {
    @CommandLine.Parameters(paramLabel = "FILE", description = "The backup file.")
    Path file;

    @CommandLine.Mixin PassphraseSource pass;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Also require this key file.")
    Path keyFile;

    @Override
    protected String method() {
      return "vault.restore";
    }

    @Override
    protected ObjectNode params() throws PassphraseReader.PassphraseInputException {
      ObjectNode p = Json.object().put("path", abs(file));
      p.set("passphrase", secret(read(pass.fd, pass.file, "Backup passphrase", false)));
      if (keyFile != null) {
        p.put("keyFile", abs(keyFile));
      }
      return p;
    }
  }
}
