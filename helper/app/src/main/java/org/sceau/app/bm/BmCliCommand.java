package org.sceau.app.bm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sceau.app.cli.HelperCall;
import org.sceau.app.rpc.Json;
import org.sceau.bitmessage.BmCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sceau bm send|inbox|read|status|peers|identities|new-identity|subscribe}: the helper's
 * {@code bm.*} methods from the command line; {@code sceau bm address|decode|pow-bench} run here
 * without the helper ({@link BmCommand}).
 */
@Command(
    name = "bm",
    description = "Bitmessage: send and read messages that travel peer to peer.",
    subcommands = {
      BmCliCommand.Send.class,
      BmCliCommand.Inbox.class,
      BmCliCommand.Read.class,
      BmCliCommand.Status.class,
      BmCliCommand.Peers.class,
      BmCliCommand.Identities.class,
      BmCliCommand.NewIdentity.class,
      BmCliCommand.Subscribe.class,
      BmCliCommand.Settings.class,
      BmCliCommand.Address.class,
      BmCliCommand.Decode.class,
      BmCliCommand.PowBench.class
    })
public final class BmCliCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "send", description = "Send a message (or, with --broadcast, a broadcast).")
  static final class Send extends HelperCall {
    @Option(names = "--from", required = true, description = "Your sending address (BM-…).")
    String from;

    @Option(names = "--to", description = "The recipient's address (BM-…).")
    String to;

    @Option(names = "--subject", defaultValue = "", description = "Subject line.")
    String subject;

    @Option(names = "--broadcast", description = "To everyone subscribed to --from.")
    boolean broadcast;

    @Option(names = "--ttl-hours", description = "Lifetime on the network (default 96).")
    Integer ttlHours;

    @Parameters(paramLabel = "BODY", arity = "0..1", description = "The text (default: stdin).")
    String body;

    @Override
    protected String method() {
      return "bm.send";
    }

    @Override
    protected ObjectNode params() throws UsageException {
      if (!broadcast && to == null) {
        throw new UsageException("Give --to ADDRESS, or --broadcast.");
      }
      String text = body;
      if (text == null) {
        try {
          text = new String(System.in.readNBytes(300_000), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
          throw new UsageException("Could not read the body from standard input.");
        }
      }
      ObjectNode p =
          Json.object()
              .put("from", from)
              .put("subject", subject)
              .put("body", text)
              .put("broadcast", broadcast);
      if (to != null) {
        p.put("to", to);
      }
      if (ttlHours != null) {
        p.put("ttlSeconds", ttlHours * 3600L);
      }
      return p;
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      out.printf("Queued %s (%s).%n", r.path("id").asText(), r.path("state").asText());
    }
  }

  @Command(name = "inbox", description = "List received messages (--sent: your messages).")
  static final class Inbox extends HelperCall {
    @Option(names = "--sent", description = "List your messages and their delivery state.")
    boolean sent;

    @Option(names = "--limit", defaultValue = "50")
    int limit;

    @Override
    protected String method() {
      return "bm.inbox";
    }

    @Override
    protected ObjectNode params() {
      return Json.object().put("folder", sent ? "sent" : "inbox").put("limit", limit);
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      for (JsonNode m : r.path("messages")) {
        if (m.has("state")) {
          out.printf(
              "%s  %-16s to %s  %s%n",
              m.path("id").asText(),
              m.path("state").asText(),
              m.path("to").asText(),
              m.path("subject").asText());
        } else {
          out.printf(
              "%s %s  from %s  %s%n",
              m.path("read").asBoolean() ? " " : "*",
              m.path("id").asText(),
              m.path("from").asText(),
              m.path("subject").asText());
        }
      }
    }
  }

  @Command(name = "read", description = "Print a message and mark it read.")
  static final class Read extends HelperCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    protected String method() {
      return "bm.message";
    }

    @Override
    protected ObjectNode params() {
      return Json.object().put("id", id);
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      out.printf("From: %s%nTo: %s%n", r.path("from").asText(), r.path("to").asText());
      if (r.has("state")) {
        out.printf("State: %s%n", r.path("state").asText());
      }
      out.printf("Subject: %s%n%n%s%n", r.path("subject").asText(), r.path("body").asText());
      if (r.path("folder").asText().equals("inbox") && !r.path("read").asBoolean()) {
        try (var c = connect()) {
          c.call("bm.markRead", Json.object().put("id", id));
        } catch (Exception e) {
          // Printing the message is what was asked; the read flag can wait.
        }
      }
    }
  }

  @Command(name = "status", description = "The node (peers, sync) and the proof-of-work queue.")
  static final class Status extends HelperCall {
    @Override
    protected String method() {
      return "bm.status";
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      out.printf("Bitmessage is %s.%n", r.path("state").asText());
      if (r.has("problem")) {
        out.printf("Problem: %s%n", r.path("problem").asText());
      }
      JsonNode n = r.path("node");
      if (!n.isMissingNode()) {
        int port = n.path("listeningPort").asInt(-1);
        out.printf(
            "Node: %d connection(s), %d object(s) in inventory, %s, %s%n",
            n.path("connections").asInt(),
            n.path("inventory").asInt(),
            port > 0 ? "listening on port " + port : "not listening",
            n.path("syncInProgress").asBoolean()
                ? "syncing (" + n.path("pendingDownloads").asInt() + " to download)"
                : "in sync");
      }
      JsonNode p = r.path("pow");
      if (!p.isMissingNode()) {
        if (p.path("running").asBoolean()) {
          out.printf(
              "Proof of work: %s running, about %d s expected, %d more queued (%d thread(s))%n",
              p.path("job").asText(),
              p.path("etaSeconds").asLong(),
              p.path("queued").asInt(),
              p.path("threads").asInt());
        } else {
          out.println("Proof of work: idle");
        }
      }
      JsonNode o = r.path("outbox");
      if (!o.isMissingNode()) {
        List<String> parts = new ArrayList<>();
        o.fields()
            .forEachRemaining(
                e -> {
                  if (e.getValue().asInt() > 0) {
                    parts.add(e.getValue().asInt() + " " + e.getKey());
                  }
                });
        out.printf("Outbox: %s%n", parts.isEmpty() ? "empty" : String.join(", ", parts));
      }
    }
  }

  @Command(name = "peers", description = "The connected peers.")
  static final class Peers extends HelperCall {
    @Override
    protected String method() {
      return "bm.status";
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      for (JsonNode p : r.path("node").path("peers")) {
        out.printf(
            "%-8s %s  %s%n",
            p.path("direction").asText(), p.path("address").asText(), p.path("userAgent").asText());
      }
    }
  }

  @Command(name = "identities", description = "Your Bitmessage addresses.")
  static final class Identities extends HelperCall {
    @Override
    protected String method() {
      return "bm.identities";
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      for (JsonNode i : r.path("identities")) {
        out.printf(
            "%s  %s%s%n",
            i.path("address").asText(),
            i.path("label").asText(),
            i.path("chan").asBoolean()
                ? " (chan)"
                : i.path("pubkeyPublished").asBoolean() ? "" : " (pubkey not yet published)");
      }
    }
  }

  @Command(name = "new-identity", description = "Create an address (or join a chan with --chan).")
  static final class NewIdentity extends HelperCall {
    @Option(names = "--label", defaultValue = "")
    String label;

    @Option(names = "--chan", description = "Join the chan of this name instead.")
    String chan;

    @Override
    protected String method() {
      return "bm.newIdentity";
    }

    @Override
    protected ObjectNode params() {
      ObjectNode p = Json.object().put("label", label);
      if (chan != null) {
        p.put("chan", chan);
      }
      return p;
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      out.println(r.path("address").asText());
      out.println(r.path("explanation").asText());
    }
  }

  @Command(name = "subscribe", description = "Receive the broadcasts of ADDRESS.")
  static final class Subscribe extends HelperCall {
    @Parameters(paramLabel = "ADDRESS")
    String address;

    @Option(names = "--label", defaultValue = "")
    String label;

    @Override
    protected String method() {
      return "bm.subscribe";
    }

    @Override
    protected ObjectNode params() {
      return Json.object().put("address", address).put("label", label);
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      out.printf("Subscribed to %s.%n", address);
    }
  }

  @Command(
      name = "settings",
      description = "Show the node's settings, or change them (the node restarts with them).")
  static final class Settings extends HelperCall {
    @Option(names = "--port", description = "Listening port, or none.")
    String port;

    @Option(names = "--peers", split = ",", description = "host:port,… to bootstrap from.")
    List<String> peers;

    @Option(names = "--bootstrap", arity = "1", description = "Use the public bootstrap nodes.")
    Boolean bootstrap;

    @Option(names = "--proxy", description = "socks5://HOST:PORT (Tor: socks5://127.0.0.1:9050).")
    String proxy;

    @Option(names = "--pow-threads", description = "Cores the proof of work may use.")
    Integer powThreads;

    @Option(names = "--enabled", arity = "1", description = "Run the Bitmessage node.")
    Boolean enabled;

    @Override
    protected String method() {
      return "bm.settings";
    }

    @Override
    protected ObjectNode params() throws UsageException {
      ObjectNode p = Json.object();
      if (port != null) {
        if (port.equals("none")) {
          p.put("port", "none");
        } else if (port.matches("\\d{1,5}")) {
          p.put("port", Integer.parseInt(port));
        } else {
          throw new UsageException("--port is a number, or none.");
        }
      }
      if (peers != null) {
        var a = p.putArray("peers");
        peers.stream().map(String::strip).filter(x -> !x.isEmpty()).forEach(a::add);
      }
      if (bootstrap != null) {
        p.put("bootstrap", bootstrap);
      }
      if (proxy != null) {
        p.put("proxy", proxy);
      }
      if (powThreads != null) {
        p.put("powThreads", powThreads);
      }
      if (enabled != null) {
        p.put("enabled", enabled);
      }
      return p;
    }

    @Override
    protected void print(PrintWriter out, JsonNode r) {
      JsonNode e = r.path("effective");
      out.printf(
          "Bitmessage node: %s, port %s, %s, proxy %s, proof of work on %d thread(s)%n",
          e.path("enabled").asBoolean() ? "on" : "off",
          e.path("port").asText(),
          e.path("publicBootstrap").asBoolean()
              ? "public bootstrap nodes"
              : e.path("peers").size() + " configured peer(s)",
          e.path("proxy").asText(),
          e.path("powThreads").asInt());
      if (r.path("overriddenByEnvironment").size() > 0) {
        out.printf("Set by the environment: %s%n", r.path("overriddenByEnvironment"));
      }
      if (r.path("restarted").asBoolean()) {
        out.println("Saved; the node restarted with them.");
      }
    }
  }

  /** The protocol library's commands that need no helper, arguments passed as given. */
  abstract static class Offline implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched List<String> rest = new ArrayList<>();

    abstract String name();

    @Override
    public Integer call() {
      List<String> args = new ArrayList<>();
      args.add(name());
      args.addAll(rest);
      PrintStream out = new PrintStream(new WriterStream(spec.commandLine().getOut()), true);
      PrintStream err = new PrintStream(new WriterStream(spec.commandLine().getErr()), true);
      int rc = BmCommand.run(args.toArray(String[]::new), System.in, out, err);
      out.flush();
      err.flush();
      return rc;
    }
  }

  @Command(
      name = "address",
      description = "new [--version 3|4] | --from-passphrase TEXT [--count N] [--chan]")
  static final class Address extends Offline {
    @Override
    String name() {
      return "address";
    }
  }

  @Command(name = "decode", description = "Describe an object (bytes on stdin) as JSON.")
  static final class Decode extends Offline {
    @Override
    String name() {
      return "decode";
    }
  }

  @Command(name = "pow-bench", description = "Measure this computer's proof-of-work speed.")
  static final class PowBench extends Offline {
    @Override
    String name() {
      return "pow-bench";
    }
  }

  /** A PrintStream over picocli's writer, so tests capture the output. */
  private static final class WriterStream extends java.io.OutputStream {
    private final PrintWriter w;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterStream(PrintWriter w) {
      this.w = w;
    }

    @Override
    public void write(int b) {
      line.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public void flush() {
      w.print(line.toString(StandardCharsets.UTF_8));
      w.flush();
      line.reset();
    }
  }
}
