package org.sceau.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.sceau.app.client.HelperClient;
import org.sceau.app.client.HelperUnreachableException;
import org.sceau.app.rpc.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", description = "Show whether the helper runs, its version and state.")
final class StatusCommand implements Callable<Integer> {
  @Mixin HelperOptions options;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (HelperClient client = options.connect()) {
      JsonNode s = client.call("helper.status", null);
      if (options.json) {
        out.println(HelperOptions.pretty(Json.object().put("running", true).setAll(obj(s))));
      } else {
        out.printf(
            "Sceau helper %s is running (pid %d, up %s).%n",
            s.path("version").asText(),
            s.path("pid").asLong(),
            human(Duration.ofMillis(s.path("uptimeMs").asLong())));
        out.printf("Socket: %s%n", s.path("socket").asText());
        out.printf("Capabilities: %s%n", s.path("capabilities"));
        if (s.has("vault")) {
          out.printf("Vault: %s%n", s.path("vault").asText());
        }
      }
      return ExitCodes.OK;
    } catch (HelperUnreachableException e) {
      if (options.json) {
        out.println(
            HelperOptions.pretty(
                Json.object()
                    .put("running", false)
                    .put("socket", options.paths().socket().toString())));
      } else {
        out.println(e.getMessage() + " Start it with `sceau start`.");
      }
      return ExitCodes.NOT_RUNNING;
    }
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode obj(JsonNode n) {
    return n instanceof com.fasterxml.jackson.databind.node.ObjectNode o ? o : Json.object();
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min";
    }
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }
}
