package org.sceau.app.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sceau.app.cli.ExitCodes;
import org.sceau.app.cli.HelperOptions;
import org.sceau.app.client.HelperClient;
import org.sceau.app.client.HelperUnreachableException;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sceau keys generate|list|import|export|discover|revoke}: the helper's {@code keys.*}
 * methods from the command line. Secret keys never come out: export writes the public certificate
 * only.
 */
@Command(
    name = "keys",
    description = "Your OpenPGP keys and your correspondents' certificates, kept in the vault.",
    subcommands = {
      KeysCommand.Generate.class,
      KeysCommand.ListKeys.class,
      KeysCommand.Import.class,
      KeysCommand.Export.class,
      KeysCommand.Discover.class,
      KeysCommand.Revoke.class
    })
public final class KeysCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Longest certificate file read for import. */
  static final int MAX_IMPORT_BYTES = MailCapability.MAX_ARMORED_CHARS;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Connection, the call, output and errors. */
  abstract static class Sub implements Callable<Integer> {
    @Mixin HelperOptions options;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    abstract String method();

    ObjectNode params() throws IOException {
      return Json.object();
    }

    abstract void print(PrintWriter out, JsonNode result);

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (HelperClient client = options.connect()) {
        JsonNode result = client.call(method(), params());
        if (options.json) {
          out.println(HelperOptions.pretty(result));
        } else {
          print(out, result);
        }
        return ExitCodes.OK;
      } catch (HelperUnreachableException e) {
        err.println(e.getMessage() + " Start it with `sceau start`.");
        return ExitCodes.NOT_RUNNING;
      } catch (RpcException e) {
        err.println(e.getMessage() + " (" + e.error().type() + ")");
        return ExitCodes.FAILED;
      } catch (IOException e) {
        err.println("Failed: " + e.getMessage());
        return ExitCodes.FAILED;
      }
    }
  }

  static void printKey(PrintWriter out, JsonNode k) {
    String kind =
        k.path("secret").asBoolean()
            ? "own       "
            : k.path("verified").asBoolean() ? "verified  " : "unverified";
    out.printf("%s  %s  %s%n", kind, k.path("fingerprint").asText(), String.join(", ", userIds(k)));
    if (k.has("problem")) {
      out.printf("            not usable: %s%n", k.path("problem").asText());
    }
  }

  private static java.util.List<String> userIds(JsonNode k) {
    java.util.List<String> out = new java.util.ArrayList<>();
    k.path("userIds").forEach(u -> out.add(u.asText()));
    return out;
  }

  @Command(name = "generate", description = "Make a new key for USERID (\"Name <address>\").")
  static final class Generate extends Sub {
    @Parameters(paramLabel = "USERID")
    String userId;

    @Option(
        names = "--profile",
        description = "CURVE25519 (default), RSA_3072, RSA_4096 or CURVE25519_V6.")
    String profile;

    @Override
    String method() {
      return "keys.generate";
    }

    @Override
    ObjectNode params() {
      ObjectNode p = Json.object().put("userId", userId);
      if (profile != null) {
        p.put("profile", profile);
      }
      return p;
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      printKey(out, r);
    }
  }

  @Command(name = "list", description = "List keys and certificates.")
  static final class ListKeys extends Sub {
    @Override
    String method() {
      return "keys.list";
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      r.path("keys").forEach(k -> printKey(out, k));
    }
  }

  @Command(name = "import", description = "Import certificates from FILE (- for standard input).")
  static final class Import extends Sub {
    @Parameters(paramLabel = "FILE")
    String file;

    InputStream stdin = System.in;

    @Override
    String method() {
      return "keys.import";
    }

    @Override
    ObjectNode params() throws IOException {
      byte[] data;
      try (InputStream in = "-".equals(file) ? stdin : Files.newInputStream(Path.of(file))) {
        data = in.readNBytes(MAX_IMPORT_BYTES + 1);
      }
      if (data.length > MAX_IMPORT_BYTES) {
        throw new IOException("the file is larger than " + MAX_IMPORT_BYTES + " bytes");
      }
      return Json.object().put("armored", new String(data, StandardCharsets.UTF_8));
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      r.path("keys").forEach(k -> printKey(out, k));
    }
  }

  @Command(name = "export", description = "Print the public certificate FINGERPRINT, armored.")
  static final class Export extends Sub {
    @Parameters(paramLabel = "FINGERPRINT")
    String fingerprint;

    @Override
    String method() {
      return "keys.export";
    }

    @Override
    ObjectNode params() {
      return Json.object().put("fingerprint", fingerprint);
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      out.print(r.path("armored").asText());
      out.flush();
    }
  }

  @Command(
      name = "discover",
      description =
          "Look up EMAIL's key (Web Key Directory, then keys.openpgp.org); what is found is kept"
              + " as unverified.")
  static final class Discover extends Sub {
    @Parameters(paramLabel = "EMAIL")
    String email;

    @Override
    String method() {
      return "keys.discover";
    }

    @Override
    ObjectNode params() {
      return Json.object().put("email", email);
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      r.path("keys").forEach(k -> printKey(out, k));
      if (r.path("keys").isEmpty()) {
        out.println("No key found.");
        r.path("attempts")
            .forEach(
                a ->
                    out.printf(
                        "  %-12s %-13s %s%n",
                        a.path("source").asText(),
                        a.path("outcome").asText(),
                        a.path("url").asText()));
      }
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke your key FINGERPRINT and print the revoked certificate to publish.")
  static final class Revoke extends Sub {
    @Parameters(paramLabel = "FINGERPRINT")
    String fingerprint;

    @Option(
        names = "--reason",
        description = "retired (default), superseded, compromised or unspecified.")
    String reason;

    @Override
    String method() {
      return "keys.revoke";
    }

    @Override
    ObjectNode params() {
      ObjectNode p = Json.object().put("fingerprint", fingerprint);
      if (reason != null) {
        p.put("reason", reason);
      }
      return p;
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      out.print(r.path("certificate").asText());
      out.flush();
    }
  }
}
