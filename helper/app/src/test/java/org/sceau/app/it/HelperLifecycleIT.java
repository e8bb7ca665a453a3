package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sceau.app.client.HelperProcess;
import org.sceau.app.rpc.Json;

/** Start, stop and failure paths of the helper and the bridge, each in a fresh sandbox. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HelperLifecycleIT {
  @Test
  void theBridgeStartsTheHelperWhenItIsNotRunning() throws Exception {
    try (Sandbox sandbox = new Sandbox()) {
      assertFalse(HelperProcess.answers(sandbox.socket()));
      try (Framed bridge = sandbox.bridge(HelperIT.ADDON)) {
        bridge.send(Json.request(1, "helper.status", null));
        JsonNode r = bridge.response(1);
        assertTrue(r.get("result").get("pid").asLong() > 0);
      }
      // The helper outlives the bridge that started it.
      assertTrue(HelperProcess.answers(sandbox.socket()));
    }
  }

  @Test
  void theBridgeAnswersWithATypedErrorWhenTheHelperCannotStart() throws Exception {
    try (Sandbox sandbox = new Sandbox()) {
      Path notADirectory = Files.writeString(sandbox.root.resolve("file"), "x");
      sandbox.env.put("SCEAU_RUNTIME_DIR", notADirectory.resolve("sceau").toString());
      try (Framed bridge = sandbox.bridge(HelperIT.ADDON)) {
        JsonNode notice = bridge.read();
        assertEquals("helper.unreachable", notice.get("method").asText());
        bridge.send(Json.request(9, "helper.status", null));
        JsonNode r = bridge.response(9);
        assertEquals("HELPER_UNREACHABLE", r.get("error").get("data").get("type").asText());
        assertTrue(r.get("error").get("message").asText().contains("sceau start"));
      }
    }
  }

  @Test
  void sigtermStopsTheHelperCleanly() throws Exception {
    try (Sandbox sandbox = new Sandbox()) {
      Process helper = sandbox.startHelper();
      helper.destroy(); // SIGTERM
      assertTrue(helper.waitFor(20, TimeUnit.SECONDS));
      assertFalse(Files.exists(sandbox.socket()), "the socket file must be removed");
      Path log = sandbox.home.resolve(".local/state/sceau/helper.log");
      List<String> lines = Files.readAllLines(log);
      assertTrue(lines.get(lines.size() - 1).endsWith("stopped"), lines.toString());
      // And it starts again afterwards: nothing stale is left behind.
      sandbox.startHelper();
    }
  }

  @Test
  void theCliStopsTheHelper() throws Exception {
    try (Sandbox sandbox = new Sandbox()) {
      Process helper = sandbox.startHelper();
      Process stop = sandbox.java(List.of(), "org.sceau.app.cli.SceauCli", "stop");
      assertTrue(stop.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, stop.exitValue());
      assertTrue(helper.waitFor(20, TimeUnit.SECONDS));
      assertEquals(0, helper.exitValue());
      Process status = sandbox.java(List.of(), "org.sceau.app.cli.SceauCli", "status");
      assertTrue(status.waitFor(30, TimeUnit.SECONDS));
      assertEquals(3, status.exitValue());
    }
  }
}
