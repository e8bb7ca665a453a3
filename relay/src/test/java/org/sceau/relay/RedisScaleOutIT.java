package org.sceau.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.ErrorCode;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.GroupId;
import org.sceau.chat.wire.PayloadKind;

/** Two relay nodes sharing a real redis-server (Debian package) started on a loopback port. */
class RedisScaleOutIT {
  @TempDir static Path dir;
  static Relay node1;
  static Relay node2;

  static RedisServer redis;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start(dir);
    node1 = redis.node("n1", dir.resolve("n1"));
    node2 = redis.node("n2", dir.resolve("n2"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node1 != null) {
      node1.close();
    }
    if (node2 != null) {
      node2.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aClientOnNodeOneReachesAClientOnNodeTwo() throws Exception {
    DeviceKey ka = DeviceKey.generate();
    DeviceKey kb = DeviceKey.generate();
    try (TestClient a = TestClient.login(node1.webSocketUri(), ka, true);
        TestClient b = TestClient.login(node2.webSocketUri(), kb, true)) {
      a.send(List.of(kb.deviceId()), bytes("a->b"));
      Frame.Deliver d = b.next(Frame.Deliver.class);
      assertArrayEquals(bytes("a->b"), d.payload());
      assertEquals(ka.deviceId(), d.sender());
      b.ack(List.of(d));
      b.send(List.of(ka.deviceId()), bytes("b->a"));
      assertArrayEquals(bytes("b->a"), a.await(Frame.Deliver.class).payload());
    }
  }

  @Test
  void offlineMessagesWaitInRedisAndComeInOrderOnTheOtherNode() throws Exception {
    DeviceKey ka = DeviceKey.generate();
    DeviceKey kb = DeviceKey.generate();
    TestClient.login(node2.webSocketUri(), kb, true).close();
    try (TestClient a = TestClient.login(node1.webSocketUri(), ka, true)) {
      for (int i = 0; i < 20; i++) {
        a.send(List.of(kb.deviceId()), bytes("m" + i));
      }
    }
    try (TestClient b = TestClient.login(node1.webSocketUri(), kb, false)) {
      List<Frame.Deliver> got = b.deliveries(20);
      for (int i = 0; i < 20; i++) {
        assertArrayEquals(bytes("m" + i), got.get(i).payload());
      }
      b.ack(got);
      b.sendFrame(new Frame.Claim(1, kb.deviceId())); // round trip after the ack
      b.await(Frame.Error.class);
    }
    try (TestClient b = TestClient.login(node2.webSocketUri(), kb, false)) {
      assertNull(b.poll(300), "acknowledged messages are gone on every node");
    }
  }

  @Test
  void bothNodesShareOneHandshakeOrderAndOneKeyPackageDirectory() throws Exception {
    DeviceKey ka = DeviceKey.generate();
    DeviceKey kb = DeviceKey.generate();
    GroupId g = GroupId.of(bytes("g-" + System.nanoTime()));
    try (TestClient a = TestClient.login(node1.webSocketUri(), ka, true);
        TestClient b = TestClient.login(node2.webSocketUri(), kb, true)) {
      a.sendFrame(
          new Frame.Handshake(1, PayloadKind.COMMIT, g, 0, List.of(kb.deviceId()), bytes("c")));
      assertEquals(1, a.await(Frame.HandshakeAccepted.class).epoch());
      b.sendFrame(
          new Frame.Handshake(2, PayloadKind.COMMIT, g, 0, List.of(ka.deviceId()), bytes("c")));
      Frame.Error e = b.await(Frame.Error.class);
      assertEquals(ErrorCode.EPOCH_CONFLICT, e.code());
      assertEquals(1, e.detail());
      Frame.Deliver commit = b.await(Frame.Deliver.class);
      assertEquals(1, commit.groupSeq());
      assertEquals(g, commit.group());

      a.sendFrame(new Frame.PublishKeyPackages(3, List.of(bytes("kp")), bytes("lr")));
      assertEquals(1, a.await(Frame.Ok.class).value());
      List<Boolean> lastResort = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        b.sendFrame(new Frame.Claim(10 + i, ka.deviceId()));
        lastResort.add(b.await(Frame.Claimed.class).lastResort());
      }
      assertEquals(List.of(false, true), lastResort);
    }
  }
}
