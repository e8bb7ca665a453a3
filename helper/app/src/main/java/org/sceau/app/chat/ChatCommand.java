package org.sceau.app.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import org.sceau.app.cli.HelperCall;
import org.sceau.app.rpc.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sceau chat configure|status|contacts|invite|accept|conversations|send|read|verify}: the
 * helper's {@code chat.*} methods from the command line.
 */
@Command(
    name = "chat",
    description = "End-to-end encrypted chat over a Réseau Libre relay.",
    subcommands = {
      ChatCommand.Configure.class,
      ChatCommand.Status.class,
      ChatCommand.Contacts.class,
      ChatCommand.Invite.class,
      ChatCommand.Accept.class,
      ChatCommand.Conversations.class,
      ChatCommand.Send.class,
      ChatCommand.Read.class,
      ChatCommand.Verify.class
    })
public final class ChatCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** One chat.* call. */
  abstract static class Sub extends HelperCall {
    @Override
    protected abstract String method();

    /** Chat calls take their params from the command line as given: nothing to refuse here. */
    @Override
    protected ObjectNode params() {
      return Json.object();
    }

    @Override
    protected abstract void print(PrintWriter out, JsonNode result);
  }

  static void printConversation(PrintWriter out, JsonNode c) {
    out.printf(
        "%s  epoch %d, %d member(s)%s%s%n",
        c.path("conversation").asText(),
        c.path("epoch").asLong(),
        c.path("members").size(),
        c.path("queued").asInt() > 0 ? ", " + c.path("queued").asInt() + " queued" : "",
        c.path("pending").asBoolean() ? ", invitation (sceau chat accept)" : "");
  }

  @Command(name = "configure", description = "Use the relay at URL (wss://host/v1/ws).")
  static final class Configure extends Sub {
    @Parameters(paramLabel = "URL")
    String relay;

    @Override
    protected String method() {
      return "chat.configure";
    }

    @Override
    protected ObjectNode params() {
      return Json.object().put("relay", relay);
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      new Status().print(out, r);
    }
  }

  @Command(name = "status", description = "This device's id and the relay connection.")
  static final class Status extends Sub {
    @Override
    protected String method() {
      return "chat.status";
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      out.printf("Chat is %s.%n", r.path("state").asText());
      if (r.has("device")) {
        out.printf("Relay: %s%nThis device: %s%n", r.path("relay").asText(), r.path("device"));
      }
    }
  }

  @Command(name = "contacts", description = "List contacts and whether they are verified.")
  static final class Contacts extends Sub {
    @Override
    protected String method() {
      return "chat.contacts";
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      for (JsonNode c : r.path("contacts")) {
        out.printf(
            "%s  %s  %s%n",
            c.path("verified").asBoolean() ? "verified  " : "unverified",
            c.path("name").asText(),
            c.path("fingerprint").asText());
      }
    }
  }

  @Command(
      name = "invite",
      description = "Start a conversation with DEVICE (1:1) or several devices (a group).")
  static final class Invite extends Sub {
    @Parameters(paramLabel = "DEVICE", arity = "1..*")
    List<String> devices;

    @Override
    protected String method() {
      return "chat.invite";
    }

    @Override
    protected ObjectNode params() {
      ObjectNode p = Json.object();
      ArrayNode a = p.putArray("devices");
      devices.forEach(a::add);
      return p;
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      printConversation(out, r);
    }
  }

  @Command(name = "accept", description = "Accept a conversation someone started with you.")
  static final class Accept extends Sub {
    @Parameters(paramLabel = "CONVERSATION")
    String conversation;

    @Override
    protected String method() {
      return "chat.accept";
    }

    @Override
    protected ObjectNode params() {
      return Json.object().put("conversation", conversation);
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      printConversation(out, r);
    }
  }

  @Command(name = "conversations", description = "List conversations.")
  static final class Conversations extends Sub {
    @Override
    protected String method() {
      return "chat.conversations";
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      for (JsonNode c : r.path("conversations")) {
        printConversation(out, c);
      }
    }
  }

  @Command(name = "send", description = "Send TEXT (queued while the relay is unreachable).")
  static final class Send extends Sub {
    @Parameters(index = "0", paramLabel = "CONVERSATION")
    String conversation;

    @Parameters(index = "1", paramLabel = "TEXT")
    String text;

    @Override
    protected String method() {
      return "chat.send";
    }

    @Override
    protected ObjectNode params() {
      return Json.object().put("conversation", conversation).put("text", text);
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      out.printf("Sent %s%n", r.path("messageId").asText());
    }
  }

  @Command(name = "read", description = "Print a conversation's history.")
  static final class Read extends Sub {
    @Parameters(paramLabel = "CONVERSATION")
    String conversation;

    @Option(names = "--after", description = "Skip the first N messages.")
    int after;

    @Override
    protected String method() {
      return "chat.read";
    }

    @Override
    protected ObjectNode params() {
      return Json.object().put("conversation", conversation).put("after", after);
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      for (JsonNode m : r.path("messages")) {
        out.printf(
            "%s %s: %s%n",
            m.path("outgoing").asBoolean() ? ">" : "<",
            m.path("sender").asText().substring(0, 8),
            m.path("text").asText());
      }
    }
  }

  @Command(
      name = "verify",
      description =
          "Show the safety number shared with DEVICE; with --code, mark DEVICE verified if it"
              + " matches.")
  static final class Verify extends Sub {
    @Parameters(paramLabel = "DEVICE")
    String device;

    @Option(names = "--code", description = "The 60 digits (or QR payload) the contact shows.")
    String code;

    @Override
    protected String method() {
      return "chat.verify";
    }

    @Override
    protected ObjectNode params() {
      ObjectNode p = Json.object().put("device", device);
      if (code != null) {
        p.put("code", code);
      }
      return p;
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      if (r.has("safetyNumber")) {
        out.printf(
            "Safety number:%n%s%n%s%n",
            r.path("safetyNumber").asText(),
            r.path("verified").asBoolean() ? "Verified." : "Not verified yet.");
      } else {
        out.println(
            r.path("verified").asBoolean()
                ? "The numbers match: contact verified."
                : "The numbers do NOT match: not verified.");
      }
    }
  }
}
