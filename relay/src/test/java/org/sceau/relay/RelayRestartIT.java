package org.sceau.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.Frame;

/**
 * The relay as a separate process (RelayMain, as `./sceau relay` runs it), killed with SIGKILL in
 * the middle of a backlog and started again on the same data directory.
 */
class RelayRestartIT {
  @TempDir Path dir;

  private Process relay;
  private URI uri;

  private void startRelay() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-Drelay.test.log=" + dir.resolve("relay.log"),
            "-cp",
            System.getProperty("java.class.path"),
            "org.sceau.relay.RelayMain",
            "--port=0",
            "--data.dir=" + dir.resolve("data"),
            "--rate.device.messages.per.second=10000",
            "--rate.device.burst=10000");
    pb.redirectErrorStream(true);
    relay = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
    String line;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
      if (line.startsWith("sceau-relay listening ")) {
        uri = URI.create(line.substring("sceau-relay listening ".length()).trim());
        break;
      }
    }
    assertNotNull(uri, "relay process did not report its address");
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // keep the pipe empty
                }
              } catch (java.io.IOException ignored) {
                // process ended
              }
            });
    drain.setDaemon(true);
    drain.start();
  }

  private void killRelay() throws Exception {
    relay.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of the store
    assertTrue(relay.waitFor(20, TimeUnit.SECONDS));
    uri = null;
  }

  /** Stands in for MLS: AES-GCM under a key the relay never sees. */
  private static byte[] seal(byte[] key, String text) throws Exception {
    byte[] nonce = new byte[12];
    new SecureRandom().nextBytes(nonce);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    byte[] ct = c.doFinal(text.getBytes(StandardCharsets.UTF_8));
    byte[] out = new byte[12 + ct.length];
    System.arraycopy(nonce, 0, out, 0, 12);
    System.arraycopy(ct, 0, out, 12, ct.length);
    return out;
  }

  @Test
  void queuedMessagesSurviveAKilledRelayWithoutLossOrDuplicatesAndNothingLeaksInPlaintext()
      throws Exception {
    String marker = "PLAINTEXT-MARKER-" + UUID.randomUUID();
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    DeviceKey ka = DeviceKey.generate();
    DeviceKey kb = DeviceKey.generate();
    List<byte[]> sent = new ArrayList<>();
    Map<Long, byte[]> received = new LinkedHashMap<>();
    int duplicates = 0;
    try {
      startRelay();
      TestClient.login(uri, kb, true).close();
      try (TestClient a = TestClient.login(uri, ka, true)) {
        for (int i = 0; i < 100; i++) {
          byte[] p = seal(key, marker + " message " + i);
          sent.add(p);
          a.send(List.of(kb.deviceId()), p);
        }
      }
      // B reads 40, acknowledges 30, then the relay dies.
      try (TestClient b = TestClient.login(uri, kb, false)) {
        List<Frame.Deliver> first = b.deliveries(40);
        for (Frame.Deliver d : first) {
          received.put(d.messageId(), d.payload());
        }
        b.ack(first.subList(0, 30));
        // A publish goes through the same store writer after the ack: once it is answered,
        // the ack is committed.
        b.sendFrame(new Frame.PublishKeyPackages(1, List.of(), null));
        b.await(Frame.Ok.class);
      }
      killRelay();
      startRelay();
      try (TestClient a = TestClient.login(uri, ka, false)) {
        for (int i = 100; i < 120; i++) {
          byte[] p = seal(key, marker + " message " + i);
          sent.add(p);
          a.send(List.of(kb.deviceId()), p);
        }
      }
      try (TestClient b = TestClient.login(uri, kb, false)) {
        long last = 0;
        Object o;
        while ((o = b.poll(1500)) != null) {
          Frame.Deliver d = (Frame.Deliver) o;
          assertTrue(d.messageId() > last, "in order");
          last = d.messageId();
          if (received.put(d.messageId(), d.payload()) != null) {
            duplicates++; // redelivery of an unacknowledged message: same id, client de-duplicates
          }
          b.ack(List.of(d));
        }
      }
      killRelay();
    } finally {
      if (relay != null && relay.isAlive()) {
        relay.destroyForcibly();
      }
    }
    // Nothing lost, nothing duplicated after de-duplication by id, in sending order.
    assertEquals(120, received.size());
    List<byte[]> got = new ArrayList<>(received.values());
    for (int i = 0; i < 120; i++) {
      assertArrayEquals(sent.get(i), got.get(i), "message " + i);
    }
    // Only the 10 read-but-unacknowledged ones came twice; the 30 acknowledged ones never did.
    assertEquals(10, duplicates);

    // Plaintext-marker scan of everything the relay wrote: store files and logs.
    byte[] markerBytes = marker.getBytes(StandardCharsets.UTF_8);
    List<Path> files = new ArrayList<>();
    try (var s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(files::add);
    }
    assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().equals("relay.db")));
    assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().equals("relay.log")));
    for (Path f : files) {
      byte[] content = Files.readAllBytes(f);
      assertFalse(indexOf(content, markerBytes) >= 0, "plaintext marker found in " + f);
    }
    // Payloads are never logged, in any encoding.
    String log = Files.readString(dir.resolve("relay.log"), StandardCharsets.ISO_8859_1);
    assertTrue(log.contains("relay listening"), "the log file is the relay's");
    for (byte[] p : sent) {
      byte[] head = java.util.Arrays.copyOfRange(p, 12, 28);
      assertFalse(log.contains(HexFormat.of().formatHex(head)), "payload hex in the log");
      assertFalse(
          log.contains(Base64.getEncoder().encodeToString(head).substring(0, 16)),
          "payload base64 in the log");
      assertFalse(
          indexOf(log.getBytes(StandardCharsets.ISO_8859_1), head) >= 0, "payload bytes in log");
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
