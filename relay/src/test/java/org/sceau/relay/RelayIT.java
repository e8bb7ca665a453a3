package org.sceau.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.chat.wire.DeviceAuth;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.ErrorCode;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.GroupId;
import org.sceau.chat.wire.PayloadKind;

/** A real relay (embedded SQLite) on loopback, driven by real WebSocket clients. */
class RelayIT {
  @TempDir static Path dir;
  static Relay relay;
  static URI uri;

  @BeforeAll
  static void start() throws Exception {
    relay =
        Relay.start(
            RelayConfig.defaultsWith(
                Map.of(
                    "port", "0",
                    "data.dir", dir.toString(),
                    "mailbox.max.messages", "300",
                    "rate.device.messages.per.second", "1000",
                    "rate.device.burst", "1000",
                    "rate.address.connections.per.minute", "100000",
                    "rate.address.registrations.per.hour", "100000")));
    uri = relay.webSocketUri();
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void registersThenLogsInWithTheSameKey() throws Exception {
    DeviceKey k = DeviceKey.generate();
    try (TestClient c = TestClient.connect(uri)) {
      c.sendFrame(DeviceAuth.answer(c.challenge, k, true));
      Frame.AuthOk ok = c.next(Frame.AuthOk.class);
      assertEquals(k.deviceId(), ok.device());
      assertEquals(0, ok.pendingMessages());
    }
    TestClient.login(uri, k, false).close();
  }

  @Test
  void refusesLoginOfUnregisteredDevice() throws Exception {
    try (TestClient c = TestClient.connect(uri)) {
      c.sendFrame(DeviceAuth.answer(c.challenge, DeviceKey.generate(), false));
      assertEquals(ErrorCode.UNKNOWN_DEVICE, c.next(Frame.Error.class).code());
    }
  }

  @Test
  void refusesTamperedChallengeSignature() throws Exception {
    DeviceKey k = DeviceKey.generate();
    try (TestClient c = TestClient.connect(uri)) {
      Frame.Authenticate a = DeviceAuth.answer(c.challenge, k, true);
      byte[] sig = a.signature().clone();
      sig[10] ^= 0x40;
      c.sendFrame(new Frame.Authenticate(true, a.device(), sig));
      assertEquals(ErrorCode.AUTH_FAILED, c.next(Frame.Error.class).code());
      assertEquals(1008, c.closedWith.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void refusesAuthenticationReplayedOnAnotherConnection() throws Exception {
    DeviceKey k = DeviceKey.generate();
    Frame.Authenticate captured;
    try (TestClient c = TestClient.connect(uri)) {
      captured = DeviceAuth.answer(c.challenge, k, true);
      c.sendFrame(captured);
      c.next(Frame.AuthOk.class);
    }
    try (TestClient attacker = TestClient.connect(uri)) {
      attacker.sendFrame(captured);
      assertEquals(ErrorCode.AUTH_FAILED, attacker.next(Frame.Error.class).code());
    }
  }

  @Test
  void refusesRequestsBeforeAuthentication() throws Exception {
    try (TestClient c = TestClient.connect(uri)) {
      c.sendFrame(new Frame.Send(5, List.of(DeviceKey.generate().deviceId()), new byte[3]));
      Frame.Error e = c.next(Frame.Error.class);
      assertEquals(ErrorCode.AUTH_REQUIRED, e.code());
      assertEquals(5, e.requestId());
    }
  }

  @Test
  void pushesToOnlineRecipientAndDeletesOnlyOnAck() throws Exception {
    DeviceKey ka = DeviceKey.generate();
    DeviceKey kb = DeviceKey.generate();
    TestClient.login(uri, kb, true).close();
    try (TestClient a = TestClient.login(uri, ka, true);
        TestClient b = TestClient.login(uri, kb, false)) {
      assertEquals(1, a.send(List.of(kb.deviceId()), bytes("ciphertext-1")).value());
      Frame.Deliver d = b.next(Frame.Deliver.class);
      assertEquals(ka.deviceId(), d.sender());
      assertEquals(PayloadKind.MESSAGE, d.kind());
      assertArrayEquals(bytes("ciphertext-1"), d.payload());
      // Not acknowledged yet: a new login gets it again with the same id.
      b.close();
      try (TestClient b2 = TestClient.login(uri, kb, false)) {
        Frame.Deliver again = b2.next(Frame.Deliver.class);
        assertEquals(d.messageId(), again.messageId());
        b2.ack(List.of(again));
        b2.sendFrame(new Frame.Claim(b2.requestId(), kb.deviceId())); // round trip after the ack
        b2.next(Frame.Error.class);
      }
      try (TestClient b3 = TestClient.login(uri, kb, false)) {
        assertNull(b3.poll(300), "an acknowledged message must not come back");
      }
    }
  }

  @Test
  void deliversOfflineMessagesInOrderOnReconnect() throws Exception {
    DeviceKey ka = DeviceKey.generate();
    DeviceKey kb = DeviceKey.generate();
    TestClient.login(uri, kb, true).close();
    int n = 600; // more than the delivery window (256): exercises window refills
    try (TestClient a = TestClient.login(uri, ka, true)) {
      // mailbox max is 300 in this relay: fill to 300, then the quota refuses
      for (int i = 0; i < 300; i++) {
        a.sendFrame(new Frame.Send(a.requestId(), List.of(kb.deviceId()), bytes("m" + i)));
      }
      for (int i = 0; i < 300; i++) {
        a.next(Frame.Ok.class);
      }
      a.sendFrame(new Frame.Send(a.requestId(), List.of(kb.deviceId()), bytes("over")));
      assertEquals(ErrorCode.QUOTA_EXCEEDED, a.next(Frame.Error.class).code());
    }
    try (TestClient b = TestClient.login(uri, kb, false)) {
      List<Frame.Deliver> got = new ArrayList<>();
      while (got.size() < 300) {
        List<Frame.Deliver> batch = new ArrayList<>();
        Object o;
        while ((o = b.poll(200)) != null) {
          batch.add((Frame.Deliver) o);
        }
        assertFalse(batch.isEmpty(), "delivery stalled at " + got.size());
        b.ack(batch);
        got.addAll(batch);
      }
      for (int i = 0; i < 300; i++) {
        assertArrayEquals(bytes("m" + i), got.get(i).payload(), "order at " + i);
        if (i > 0) {
          assertTrue(got.get(i).messageId() > got.get(i - 1).messageId());
        }
      }
      assertNull(b.poll(200));
    }
    assertTrue(n > 256);
  }

  @Test
  void malformedFramesGetTypedErrorsAndTheRelayKeepsServing() throws Exception {
    DeviceKey k = DeviceKey.generate();
    try (TestClient c = TestClient.login(uri, k, true)) {
      c.sendRaw(new byte[] {1});
      assertEquals(ErrorCode.MALFORMED_FRAME, c.next(Frame.Error.class).code());
      c.sendRaw(new byte[] {9, 9, 9});
      assertEquals(ErrorCode.UNSUPPORTED_VERSION, c.next(Frame.Error.class).code());
      ByteBuffer huge = ByteBuffer.allocate(2 + 4 + 2 + 32 + 4);
      huge.put((byte) 1).put((byte) 0x10).putInt(1).putShort((short) 1);
      huge.put(k.deviceId().publicKey()).putInt(Integer.MAX_VALUE);
      c.sendRaw(huge.array());
      assertEquals(ErrorCode.TOO_LARGE, c.next(Frame.Error.class).code());
      c.ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
      assertEquals(ErrorCode.MALFORMED_FRAME, c.next(Frame.Error.class).code());
      c.sendFrame(new Frame.Ok(1, 1)); // a server-only frame
      assertEquals(ErrorCode.UNEXPECTED_FRAME, c.next(Frame.Error.class).code());
      // Still serving this connection and others.
      assertEquals(1, c.send(List.of(k.deviceId()), bytes("to-self")).value());
      c.next(Frame.Deliver.class);
    }
    TestClient.login(uri, DeviceKey.generate(), true).close();
  }

  @Test
  void refusesUnknownRecipient() throws Exception {
    try (TestClient c = TestClient.login(uri, DeviceKey.generate(), true)) {
      c.sendFrame(new Frame.Send(7, List.of(DeviceKey.generate().deviceId()), new byte[1]));
      Frame.Error e = c.next(Frame.Error.class);
      assertEquals(ErrorCode.UNKNOWN_RECIPIENT, e.code());
      assertEquals(7, e.requestId());
    }
  }

  @Test
  void keyPackageDirectoryHandsOutOneTimeThenLastResort() throws Exception {
    DeviceKey owner = DeviceKey.generate();
    try (TestClient o = TestClient.login(uri, owner, true)) {
      o.sendFrame(
          new Frame.PublishKeyPackages(1, List.of(bytes("kp1"), bytes("kp2")), bytes("last")));
      assertEquals(2, o.next(Frame.Ok.class).value());
    }
    try (TestClient c = TestClient.login(uri, DeviceKey.generate(), true)) {
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        c.sendFrame(new Frame.Claim(10 + i, owner.deviceId()));
        Frame.Claimed cl = c.next(Frame.Claimed.class);
        assertEquals(i >= 2, cl.lastResort());
        got.add(new String(cl.keyPackage(), StandardCharsets.UTF_8));
      }
      assertEquals(List.of("kp1", "kp2", "last", "last"), got);
      DeviceKey empty = DeviceKey.generate();
      TestClient.login(uri, empty, true).close();
      c.sendFrame(new Frame.Claim(20, empty.deviceId()));
      assertEquals(ErrorCode.NO_KEY_PACKAGE, c.next(Frame.Error.class).code());
    }
    try (TestClient o = TestClient.login(uri, owner, false)) {
      o.sendFrame(new Frame.PublishKeyPackages(2, List.of(), null));
      assertEquals(0, o.next(Frame.Ok.class).value());
    }
  }

  @Test
  void ordersGroupHandshakesAndRefusesASecondCommitForAnEpoch() throws Exception {
    DeviceKey ka = DeviceKey.generate();
    DeviceKey kb = DeviceKey.generate();
    DeviceKey kc = DeviceKey.generate();
    GroupId g = GroupId.of(bytes("group-" + System.nanoTime()));
    try (TestClient a = TestClient.login(uri, ka, true);
        TestClient b = TestClient.login(uri, kb, true);
        TestClient c = TestClient.login(uri, kc, true)) {
      a.sendFrame(
          new Frame.Handshake(
              1, PayloadKind.COMMIT, g, 0, List.of(kb.deviceId(), kc.deviceId()), bytes("c0a")));
      Frame.HandshakeAccepted first = a.next(Frame.HandshakeAccepted.class);
      assertEquals(1, first.groupSeq());
      assertEquals(1, first.epoch());
      // B raced with its own commit for epoch 0: refused, told the current epoch.
      b.sendFrame(
          new Frame.Handshake(
              2, PayloadKind.COMMIT, g, 0, List.of(ka.deviceId(), kc.deviceId()), bytes("c0b")));
      Frame.Error conflict = b.await(Frame.Error.class);
      assertEquals(ErrorCode.EPOCH_CONFLICT, conflict.code());
      assertEquals(1, conflict.detail());
      Frame.Deliver bGot = b.await(Frame.Deliver.class);
      assertEquals(PayloadKind.COMMIT, bGot.kind());
      assertEquals(g, bGot.group());
      assertEquals(0, bGot.epoch());
      assertEquals(1, bGot.groupSeq());
      // A proposal and a commit at epoch 1 follow in one order.
      c.sendFrame(
          new Frame.Handshake(
              3, PayloadKind.PROPOSAL, g, 1, List.of(ka.deviceId(), kb.deviceId()), bytes("p1")));
      assertEquals(2, c.await(Frame.HandshakeAccepted.class).groupSeq());
      b.sendFrame(
          new Frame.Handshake(
              4, PayloadKind.COMMIT, g, 1, List.of(ka.deviceId(), kc.deviceId()), bytes("c1")));
      Frame.HandshakeAccepted third = b.await(Frame.HandshakeAccepted.class);
      assertEquals(3, third.groupSeq());
      assertEquals(2, third.epoch());
      List<Frame.Deliver> aGot = a.deliveries(2);
      assertEquals(List.of(2L, 3L), List.of(aGot.get(0).groupSeq(), aGot.get(1).groupSeq()));
      assertEquals(PayloadKind.PROPOSAL, aGot.get(0).kind());
      assertArrayEquals(bytes("c1"), aGot.get(1).payload());
      // A stale proposal is refused as well.
      c.sendFrame(
          new Frame.Handshake(5, PayloadKind.PROPOSAL, g, 1, List.of(ka.deviceId()), bytes("p")));
      assertEquals(ErrorCode.EPOCH_CONFLICT, c.await(Frame.Error.class).code());
    }
  }

  @Test
  void newerLoginReplacesTheOlderConnection() throws Exception {
    DeviceKey k = DeviceKey.generate();
    TestClient first = TestClient.login(uri, k, true);
    try (TestClient second = TestClient.login(uri, k, false)) {
      assertEquals(ErrorCode.UNEXPECTED_FRAME, first.next(Frame.Error.class).code());
      assertEquals(1008, first.closedWith.get(5, TimeUnit.SECONDS));
      assertEquals(1, second.send(List.of(k.deviceId()), bytes("x")).value());
      second.next(Frame.Deliver.class);
    }
  }

  @Test
  void servesHealthAndPrometheusMetrics() throws Exception {
    HttpResponse<String> h =
        TestClient.HTTP.send(
            HttpRequest.newBuilder(relay.httpUri().resolve("/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, h.statusCode());
    assertTrue(h.body().contains("ok"));
    HttpResponse<String> m =
        TestClient.HTTP.send(
            HttpRequest.newBuilder(relay.httpUri().resolve("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, m.statusCode());
    assertTrue(m.body().contains("# TYPE sceau_relay_connections gauge"));
    assertTrue(m.body().contains("sceau_relay_errors_total{code=\"AUTH_FAILED\"}"));
  }

  @Test
  void deviceIdsAreExposedAsHexOnly() {
    DeviceId d = DeviceKey.generate().deviceId();
    assertEquals(64, d.hex().length());
  }
}
