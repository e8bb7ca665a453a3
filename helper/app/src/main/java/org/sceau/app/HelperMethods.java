package org.sceau.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sceau.app.rpc.Access;
import org.sceau.app.rpc.Capability;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;

/** {@code helper.*}: what any client needs to know the helper is there and healthy. */
final class HelperMethods {
  /** Echoes are for testing the transport end to end; bounded like any message. */
  private static final int MAX_ECHO_CHARS = 32 * 1024 * 1024;

  private final Helper helper;

  HelperMethods(Helper helper) {
    this.helper = helper;
  }

  void register(MethodRegistry registry) {
    registry.register("helper.ping", (caller, params) -> ping(params));
    registry.register("helper.status", (caller, params) -> status());
    registry.register(
        "helper.shutdown",
        Access.CLI_ONLY,
        (caller, params) -> {
          // Stop from another thread: this call's response must still be written first, and the
          // server waits for running calls before it closes the connections.
          Thread t = new Thread(helper::stop, "shutdown-request");
          t.setDaemon(false);
          t.start();
          return Json.object().put("stopping", true);
        });
  }

  private static JsonNode ping(JsonNode params) throws RpcException {
    ObjectNode result = Json.object().put("pong", true).put("time", System.currentTimeMillis());
    JsonNode echo = params.path("echo");
    if (!echo.isMissingNode()) {
      if (!echo.isTextual() || echo.textValue().length() > MAX_ECHO_CHARS) {
        throw new RpcException(RpcError.INVALID_PARAMS, "echo must be a string of at most 32 MiB.");
      }
      result.set("echo", echo);
    }
    return result;
  }

  private JsonNode status() {
    ObjectNode s =
        Json.object()
            .put("version", Version.get())
            .put("pid", ProcessHandle.current().pid())
            .put("uptimeMs", helper.uptime().toMillis())
            .put("socket", helper.paths().socket().toString())
            .put("connections", helper.connectionCount())
            .put("platform", helper.paths().platform().name().toLowerCase(java.util.Locale.ROOT))
            .put("java", Runtime.version().toString());
    ArrayNode names = s.putArray("capabilities");
    List<Capability> caps = helper.capabilities();
    ObjectNode details = Json.object();
    for (Capability c : caps) {
      names.add(c.name());
      JsonNode st = c.status();
      if (st != null) {
        details.set(c.name(), st);
      }
    }
    s.set("capabilityStatus", details);
    JsonNode vault = details.get("vault");
    if (vault != null && vault.has("state")) {
      s.set("vault", vault.get("state"));
    }
    Runtime rt = Runtime.getRuntime();
    ObjectNode memory = s.putObject("memory");
    memory.put("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
    memory.put("heapCommittedBytes", rt.totalMemory());
    long rss = residentBytes();
    if (rss >= 0) {
      memory.put("residentBytes", rss);
    }
    return s;
  }

  /** VmRSS from /proc on Linux; -1 elsewhere. */
  private static long residentBytes() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kb) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
