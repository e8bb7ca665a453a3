package org.sceau.app.bm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.bitmessage.node.PeerAddress;
import org.sceau.net.ProxySettings;

/**
 * The node's settings saved by {@code bm.settings} in {@code <config>/bitmessage.json}: {@code
 * {enabled?, port? (number or "none"), peers?: [host:port], bootstrap?, proxy?, powThreads?}}. Not
 * secret (no keys), so outside the vault: the node runs while the vault is locked. The helper's
 * environment (SCEAU_BM_*, SCEAU_PROXY) overrides the file.
 */
final class BmSettingsFile {
  static final Set<String> FIELDS =
      Set.of("enabled", "port", "peers", "bootstrap", "proxy", "powThreads");
  private static final long MAX_BYTES = 64 * 1024;

  private final Path file;

  BmSettingsFile(Path configDir) {
    this.file = configDir.resolve("bitmessage.json");
  }

  /** The saved settings; empty when none or unreadable (a damaged file must not stop the node). */
  ObjectNode read() {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
        return Json.object();
      }
      JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(file));
      return n instanceof ObjectNode o ? o : Json.object();
    } catch (IOException e) {
      return Json.object();
    }
  }

  /** The saved settings in the environment's spelling, for {@link BmSettings#fromEnvironment}. */
  static Map<String, String> asEnvironment(ObjectNode saved) {
    Map<String, String> env = new HashMap<>();
    if (saved.has("enabled")) {
      env.put("SCEAU_BM", saved.get("enabled").asBoolean(true) ? "on" : "off");
    }
    if (saved.has("port")) {
      env.put("SCEAU_BM_PORT", saved.get("port").asText());
    }
    if (saved.path("peers").isArray()) {
      StringBuilder b = new StringBuilder();
      for (JsonNode p : saved.get("peers")) {
        b.append(b.length() == 0 ? "" : ",").append(p.asText());
      }
      env.put("SCEAU_BM_PEERS", b.toString());
    }
    if (saved.has("bootstrap")) {
      env.put("SCEAU_BM_BOOTSTRAP", saved.get("bootstrap").asBoolean(true) ? "on" : "off");
    }
    if (saved.has("proxy")) {
      env.put("SCEAU_PROXY", saved.get("proxy").asText());
    }
    if (saved.has("powThreads")) {
      env.put("SCEAU_BM_POW_THREADS", saved.get("powThreads").asText());
    }
    return env;
  }

  /**
   * Checks {@code changes} and merges them into the saved settings (a null value removes a field);
   * written atomically.
   */
  ObjectNode update(JsonNode changes) throws RpcException, IOException {
    ObjectNode saved = read();
    Iterator<Map.Entry<String, JsonNode>> it = changes.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (!FIELDS.contains(k)) {
        throw invalid("Unknown setting " + k + ": use " + String.join(", ", FIELDS) + ".");
      }
      if (v == null || v.isNull()) {
        saved.remove(k);
        continue;
      }
      switch (k) {
        case "enabled", "bootstrap" -> {
          if (!v.isBoolean()) {
            throw invalid(k + " is true or false.");
          }
        }
        case "port" -> {
          boolean ok =
              (v.isIntegralNumber() && v.intValue() >= 0 && v.intValue() <= 65535)
                  || (v.isTextual() && v.textValue().equals("none"));
          if (!ok) {
            throw invalid("port is a number from 0 to 65535, or \"none\" (do not listen).");
          }
        }
        case "peers" -> {
          if (!v.isArray() || v.size() > 100) {
            throw invalid("peers is a list of at most 100 host:port.");
          }
          for (JsonNode p : v) {
            try {
              PeerAddress.parse(p.asText());
            } catch (IllegalArgumentException ex) {
              throw invalid("Not a peer address (host:port): " + p.asText());
            }
          }
        }
        case "proxy" -> {
          try {
            ProxySettings.parse(v.asText());
          } catch (IllegalArgumentException ex) {
            throw invalid("proxy: " + ex.getMessage());
          }
        }
        case "powThreads" -> {
          if (!v.isIntegralNumber() || v.intValue() < 1 || v.intValue() > 1024) {
            throw invalid("powThreads is a number of threads from 1.");
          }
        }
        default -> throw invalid("Unknown setting " + k);
      }
      saved.set(k, v);
    }
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(saved));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return saved;
  }

  static ArrayNode array() {
    return Json.MAPPER.createArrayNode();
  }

  private static RpcException invalid(String message) {
    return new RpcException(RpcError.INVALID_PARAMS, message);
  }
}
