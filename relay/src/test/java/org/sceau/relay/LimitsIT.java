package org.sceau.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.ErrorCode;
import org.sceau.chat.wire.Frame;

class LimitsIT {
  @TempDir Path dir;

  @Test
  void limitsMessagesPerDeviceAndConnectionsPerAddress() throws Exception {
    try (Relay relay =
        Relay.start(
            RelayConfig.defaultsWith(
                Map.of(
                    "port", "0",
                    "data.dir", dir.toString(),
                    "rate.device.messages.per.second", "1",
                    "rate.device.burst", "3",
                    "rate.address.connections.per.minute", "4")))) {
      DeviceKey k = DeviceKey.generate();
      try (TestClient c = TestClient.login(relay.webSocketUri(), k, true)) {
        for (int i = 0; i < 3; i++) {
          c.send(List.of(k.deviceId()), new byte[] {1});
        }
        c.sendFrame(new Frame.Send(99, List.of(k.deviceId()), new byte[] {1}));
        Frame.Error e = nextError(c);
        assertEquals(ErrorCode.RATE_LIMITED, e.code());
        assertTrue(e.detail() > 0, "a retry delay is given");
      }
      for (int i = 0; i < 3; i++) {
        TestClient.connect(relay.webSocketUri()).close();
      }
      try (TestClient over = TestClient.connect(relay.webSocketUri())) {
        Frame.Error e = (Frame.Error) over.refusal;
        assertEquals(ErrorCode.RATE_LIMITED, e.code());
      }
      assertTrue(
          relay.httpUri() != null
              && TestClient.HTTP
                  .send(
                      java.net.http.HttpRequest.newBuilder(relay.httpUri().resolve("/metrics"))
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .body()
                  .matches("(?s).*sceau_relay_errors_total\\{code=\"RATE_LIMITED\"} [2-9].*"));
    }
  }

  @Test
  void retentionDeletesMessagesOlderThanTheLimit() throws Exception {
    try (Relay relay =
        Relay.start(
            RelayConfig.defaultsWith(
                Map.of("port", "0", "data.dir", dir.toString(), "retention.days", "0")))) {
      DeviceKey ka = DeviceKey.generate();
      DeviceKey kb = DeviceKey.generate();
      TestClient.login(relay.webSocketUri(), kb, true).close();
      try (TestClient a = TestClient.login(relay.webSocketUri(), ka, true)) {
        a.send(List.of(kb.deviceId()), new byte[] {1});
        a.send(List.of(kb.deviceId()), new byte[] {2});
      }
      Thread.sleep(5); // received strictly before the sweep's cutoff
      assertEquals(2, relay.sweepRetention());
      try (TestClient b = TestClient.login(relay.webSocketUri(), kb, false)) {
        assertEquals(null, b.poll(300));
      }
    }
  }

  private static Frame.Error nextError(TestClient c) throws Exception {
    while (true) {
      Object o = c.poll(5000);
      if (o instanceof Frame.Error e) {
        return e;
      }
      if (o == null) {
        throw new AssertionError("no error frame");
      }
    }
  }
}
