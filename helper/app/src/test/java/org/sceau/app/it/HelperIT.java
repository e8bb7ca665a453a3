package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sceau.app.client.HelperClient;
import org.sceau.app.rpc.Chunks;
import org.sceau.app.rpc.Frames;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcException;
import org.sceau.app.server.ChannelStreams;

/** The real helper process, driven through the real bridge process and over its socket. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HelperIT {
  static final String ADDON = "sceau@sceau.org";
  static Sandbox sandbox;
  static Process helper;

  @BeforeAll
  static void startHelper() throws Exception {
    sandbox = new Sandbox();
    helper = sandbox.startHelper();
  }

  @AfterAll
  static void stop() throws Exception {
    sandbox.close();
  }

  @Test
  void statusRoundTripThroughTheBridge() throws Exception {
    try (Framed bridge = sandbox.bridge(ADDON)) {
      bridge.send(Json.request(1, "helper.status", null));
      JsonNode r = bridge.response(1);
      assertEquals(helper.pid(), r.get("result").get("pid").asLong());
      assertTrue(r.get("result").get("version").asText().startsWith("0."));
      assertTrue(r.get("result").get("capabilities").isArray());
    }
  }

  @Test
  void garbageGetsAParseErrorAndTheConnectionStaysUsable() throws Exception {
    try (Framed bridge = sandbox.bridge(ADDON)) {
      bridge.sendRaw(frame("{this is not json".getBytes()));
      JsonNode err = bridge.read();
      assertEquals("PARSE_ERROR", err.get("error").get("data").get("type").asText());
      bridge.send(Json.request(2, "helper.ping", null));
      assertTrue(bridge.response(2).get("result").get("pong").asBoolean());
    }
  }

  @Test
  void fiveMebibyteResultArrivesInChunksOfAtMostOneMebibyte() throws Exception {
    String echo = randomText(5 * 1024 * 1024);
    try (Framed bridge = sandbox.bridge(ADDON)) {
      // The request is over a frame too, so the add-on's side of chunking is exercised as well.
      byte[] request = Json.bytes(Json.request(3, "helper.ping", Json.object().put("echo", echo)));
      for (byte[] chunk : Chunks.split("a1", request)) {
        bridge.sendRaw(frame(chunk));
      }
      Chunks.Assembler assembler = new Chunks.Assembler();
      byte[] whole = null;
      int frames = 0;
      while (whole == null) {
        byte[] f = bridge.readFrame();
        assertNotNull(f, "bridge closed before the result was complete");
        assertTrue(f.length <= Frames.MAX_FRAME_BYTES);
        frames++;
        whole = assembler.accept(Json.parse(f));
      }
      assertTrue(frames >= 6, "expected several chunks, got " + frames);
      JsonNode r = Json.parse(whole);
      assertEquals(3, r.get("id").asInt());
      assertEquals(echo, r.get("result").get("echo").asText());
    }
  }

  @Test
  void lengthPrefixNearFourGibibytesIsRefusedAndClosedWithoutGrowingTheHeap() throws Exception {
    long before = heapUsed();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(sandbox.socket()));
      OutputStream out = ChannelStreams.out(ch);
      InputStream in = ChannelStreams.in(ch);
      out.write(new byte[] {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
      out.write("{\"jsonrpc\":\"2.0\"".getBytes());
      JsonNode err = Json.parse(Frames.read(in));
      assertEquals("FRAME_TOO_LARGE", err.get("error").get("data").get("type").asText());
      assertNull(Frames.read(in), "the helper must close the connection");
    }
    long after = heapUsed();
    assertTrue(after - before < 64L * 1024 * 1024, "heap grew by " + (after - before));
  }

  @Test
  void theBridgeRefusesAnOversizedFrameFromThunderbird() throws Exception {
    try (Framed bridge = sandbox.bridge(ADDON)) {
      bridge.sendRaw(new byte[] {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
      JsonNode err = bridge.read();
      assertEquals("FRAME_TOO_LARGE", err.get("error").get("data").get("type").asText());
      assertEquals(0, bridge.waitFor());
    }
    assertTrue(helper.isAlive());
  }

  @Test
  void twoHundredClientsTimesOneThousandPingsAreAllAnswered() throws Exception {
    int clients = 200;
    int pings = 1000;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        results.add(
            pool.submit(
                () -> {
                  int answered = 0;
                  try (HelperClient client = HelperClient.connect(sandbox.socket())) {
                    for (int i = 0; i < pings; i++) {
                      if (client.call("helper.ping", null).get("pong").asBoolean()) {
                        answered++;
                      }
                    }
                  }
                  return answered;
                }));
      }
      long total = 0;
      for (Future<Integer> f : results) {
        total += f.get(100, TimeUnit.SECONDS);
      }
      assertEquals((long) clients * pings, total);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSecondHelperRefusesToStart() throws Exception {
    Process second = sandbox.java(List.of("-XX:+UseSerialGC"), "org.sceau.app.HelperMain");
    assertTrue(second.waitFor(30, TimeUnit.SECONDS));
    assertEquals(4, second.exitValue());
    String err = new String(second.getErrorStream().readAllBytes());
    assertTrue(err.contains("already running (pid " + helper.pid() + ")"), err);
    assertTrue(helper.isAlive());
  }

  @Test
  void theAddonCannotStopTheHelperNorClaimToBeTheCli() throws Exception {
    try (Framed bridge = sandbox.bridge(ADDON)) {
      bridge.send(Json.request(4, "helper.shutdown", null));
      assertEquals("FORBIDDEN", bridge.response(4).get("error").get("data").get("type").asText());
      bridge.send(Json.request(5, "helper.hello", Json.object().put("client", "cli")));
      assertEquals("FORBIDDEN", bridge.response(5).get("error").get("data").get("type").asText());
      bridge.send(Json.request(6, "helper.shutdown", null));
      assertEquals("FORBIDDEN", bridge.response(6).get("error").get("data").get("type").asText());
    }
    assertTrue(helper.isAlive());
  }

  @Test
  void theBridgeServesOnlyTheSceauAddon() throws Exception {
    try (Framed bridge = sandbox.bridge("evil@example.org")) {
      assertEquals(2, bridge.waitFor());
      assertNull(bridge.readFrame());
    }
  }

  @Test
  void socketAndItsDirectoryArePrivate() throws Exception {
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox.socket().getParent())));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox.socket())));
  }

  @Test
  void theCliReportsStatusAsJsonWithDocumentedExitCodes() throws Exception {
    Process cli = sandbox.java(List.of(), "org.sceau.app.cli.SceauCli", "status", "--json");
    assertTrue(cli.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, cli.exitValue());
    JsonNode s = Json.parse(cli.getInputStream().readAllBytes());
    assertTrue(s.get("running").asBoolean());
    assertEquals(helper.pid(), s.get("pid").asLong());
  }

  static long heapUsed() throws Exception {
    try (HelperClient c = HelperClient.connect(sandbox.socket())) {
      return c.call("helper.status", null).get("memory").get("heapUsedBytes").asLong();
    } catch (RpcException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] frame(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Frames.header(body.length));
    out.writeBytes(body);
    return out.toByteArray();
  }

  static String randomText(int bytes) {
    byte[] raw = new byte[bytes * 3 / 4];
    new java.util.Random(42).nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }
}
