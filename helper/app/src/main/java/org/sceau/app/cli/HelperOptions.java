package org.sceau.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.sceau.app.client.HelperClient;
import org.sceau.app.client.HelperUnreachableException;
import org.sceau.app.paths.SceauPaths;
import org.sceau.app.rpc.Json;
import picocli.CommandLine.Option;

/** Options every command that talks to the helper shares. */
public final class HelperOptions {
  @Option(names = "--json", description = "Print the helper's answer as JSON.")
  public boolean json;

  public SceauPaths paths() {
    return SceauPaths.fromEnvironment();
  }

  public HelperClient connect() throws HelperUnreachableException {
    return HelperClient.connect(paths().socket());
  }

  public static String pretty(JsonNode node) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return String.valueOf(node);
    }
  }
}
