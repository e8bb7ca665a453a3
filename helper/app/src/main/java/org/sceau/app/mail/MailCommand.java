package org.sceau.app.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.sceau.app.cli.HelperCall;
import org.sceau.app.rpc.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sceau mail encrypt|decrypt|verify}: the helper's mail methods on files or standard input.
 * {@code encrypt} reads a draft written as an ordinary message and prints the finished PGP/MIME
 * message; {@code decrypt} and {@code verify} read a received message and print its text and the
 * signature verdict.
 */
@Command(
    name = "mail",
    description = "Encrypt a draft, or decrypt and verify a received message, with your keys.",
    subcommands = {MailCommand.Encrypt.class, MailCommand.Decrypt.class, MailCommand.Verify.class})
public final class MailCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Largest message read from a file or standard input. */
  static final int MAX_INPUT_BYTES = 64 * 1024 * 1024;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A call whose input is a message file ({@code -}, the default, for standard input). */
  abstract static class FromInput extends HelperCall {
    @Parameters(paramLabel = "FILE", defaultValue = "-", description = "- for standard input")
    String file;

    InputStream stdin = System.in;

    byte[] input() throws UsageException {
      try (InputStream in = "-".equals(file) ? stdin : Files.newInputStream(Path.of(file))) {
        byte[] data = in.readNBytes(MAX_INPUT_BYTES + 1);
        if (data.length > MAX_INPUT_BYTES) {
          throw new UsageException("The message is larger than " + MAX_INPUT_BYTES + " bytes.");
        }
        if (data.length == 0) {
          throw new UsageException("No message was given (the input is empty).");
        }
        return data;
      } catch (IOException e) {
        throw new UsageException("Cannot read " + file + ": " + e.getMessage());
      }
    }
  }

  @Command(
      name = "encrypt",
      description =
          "Read a draft (an ordinary mail message: From, To, Subject, body, attachments) and print"
              + " it signed and encrypted as PGP/MIME.")
  static final class Encrypt extends FromInput {
    @Override
    protected String method() {
      return "mail.encrypt";
    }

    @Override
    protected ObjectNode params() throws UsageException {
      try {
        return Json.object().set("draft", DraftEml.toDraft(input()));
      } catch (DraftEml.BadDraft e) {
        throw new UsageException(e.getMessage());
      }
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      out.print(
          new String(
              Base64.getDecoder().decode(r.path("message").asText()), StandardCharsets.US_ASCII));
      out.flush();
    }
  }

  static void printVerdict(PrintWriter out, JsonNode r) {
    String status = r.path("signatureStatus").asText();
    StringBuilder sb = new StringBuilder("Signature: ").append(status);
    for (JsonNode s : r.path("signatures")) {
      if (s.path("status").asText().equals("GOOD") && s.has("fingerprint")) {
        sb.append(" by ")
            .append(s.path("fingerprint").asText())
            .append(s.path("signerVerified").asBoolean() ? " (verified key)" : " (unverified key)");
        break;
      }
    }
    if (status.equals("GOOD")) {
      sb.append(
          r.path("signedBySender").asBoolean() ? ", the sender's" : ", NOT the sender's address");
    }
    out.println(sb);
    out.println("Encrypted: " + (r.path("encrypted").asBoolean() ? "yes" : "no"));
    out.println("Subject: " + r.path("subject").asText());
  }

  @Command(name = "decrypt", description = "Decrypt a received message and print its text.")
  static final class Decrypt extends FromInput {
    @Override
    protected String method() {
      return "mail.decrypt";
    }

    @Override
    protected ObjectNode params() throws UsageException {
      return Json.object().put("raw", Base64.getEncoder().encodeToString(input()));
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      printVerdict(out, r);
      for (JsonNode a : r.path("attachments")) {
        out.printf(
            "Attachment: %s (%s, %d bytes)%n",
            a.path("fileName").asText(), a.path("mediaType").asText(), a.path("size").asLong());
      }
      out.println();
      out.print(r.path("text").asText(""));
      out.flush();
    }
  }

  @Command(name = "verify", description = "Check the signature of a received message.")
  static final class Verify extends FromInput {
    @Override
    protected String method() {
      return "mail.verify";
    }

    @Override
    protected ObjectNode params() throws UsageException {
      return Json.object().put("raw", Base64.getEncoder().encodeToString(input()));
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      printVerdict(out, r);
    }
  }
}
