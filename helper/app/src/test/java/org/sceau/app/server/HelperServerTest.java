package org.sceau.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.app.client.HelperClient;
import org.sceau.app.paths.Platform;
import org.sceau.app.paths.SceauPaths;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;

/** The server in this JVM, on a real socket: notifications, the instance lock, clean close. */
class HelperServerTest {
  @TempDir Path tmp;

  private SceauPaths paths() {
    return new SceauPaths(
        Platform.LINUX, Map.of("SCEAU_RUNTIME_DIR", tmp.resolve("run").toString()), tmp);
  }

  @Test
  void aNotificationArrivesBeforeTheNextResponse() throws Exception {
    MethodRegistry registry = new MethodRegistry();
    HelperServer[] server = new HelperServer[1];
    registry.register("test.echo", (caller, params) -> params);
    registry.register(
        "test.announce",
        (caller, params) -> {
          server[0].notifyAll("test.announced", Json.object().put("n", 42));
          return Json.object();
        });
    server[0] = new HelperServer(paths(), registry);
    server[0].start();
    try (HelperClient a = HelperClient.connect(paths().socket());
        HelperClient b = HelperClient.connect(paths().socket())) {
      BlockingQueue<JsonNode> seenByA = new ArrayBlockingQueue<>(4);
      a.onNotification(seenByA::add);
      a.call("test.echo", null); // a is connected and registered before the announcement
      b.call("test.announce", null);
      a.call("test.echo", null);
      JsonNode n = seenByA.poll(5, TimeUnit.SECONDS);
      assertEquals("test.announced", n.get("method").asText());
      assertEquals(42, n.get("params").get("n").asInt());
    } finally {
      server[0].close();
    }
  }

  @Test
  void aSecondServerForTheSameUserRefusesToStartAndCloseCleansUp() throws Exception {
    HelperServer first = new HelperServer(paths(), new MethodRegistry());
    first.start();
    HelperServer second = new HelperServer(paths(), new MethodRegistry());
    AlreadyRunningException e = assertThrows(AlreadyRunningException.class, second::start);
    assertTrue(e.getMessage().contains("already running"));
    assertTrue(Files.exists(paths().socket()));
    first.close();
    assertTrue(!Files.exists(paths().socket()));
    HelperServer third = new HelperServer(paths(), new MethodRegistry());
    third.start();
    third.close();
  }
}
