package org.sceau.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sceau.chat.wire.DeviceAuth;
import org.sceau.chat.wire.DeviceKey;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.WireCodec;

/** The relay with a certificate serves wss:// only. */
class TlsIT {
  @TempDir Path dir;

  @Test
  void servesWebSocketOverTlsWhenGivenACertificate() throws Exception {
    Path ks = dir.resolve("relay.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "relay",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "test-pass",
                "-keypass",
                "test-pass")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor());
    try (Relay relay =
        Relay.start(
            RelayConfig.defaultsWith(
                Map.of(
                    "port",
                    "0",
                    "data.dir",
                    dir.resolve("data").toString(),
                    "tls.keystore",
                    ks.toString(),
                    "tls.password",
                    "test-pass")))) {
      assertTrue(relay.webSocketUri().toString().startsWith("wss://127.0.0.1:"));
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(ks)) {
        trust.load(in, "test-pass".toCharArray());
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
      CompletableFuture<Frame> first = new CompletableFuture<>();
      CompletableFuture<Frame> second = new CompletableFuture<>();
      WebSocket ws =
          client
              .newWebSocketBuilder()
              .buildAsync(
                  relay.webSocketUri(),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                      byte[] b = new byte[data.remaining()];
                      data.get(b);
                      try {
                        Frame f = WireCodec.standard().decode(b);
                        if (!first.complete(f)) {
                          second.complete(f);
                        }
                      } catch (Exception e) {
                        first.completeExceptionally(e);
                      }
                      w.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      Frame.Challenge ch = (Frame.Challenge) first.get(10, TimeUnit.SECONDS);
      DeviceKey k = DeviceKey.generate();
      ws.sendBinary(
              ByteBuffer.wrap(WireCodec.standard().encode(DeviceAuth.answer(ch, k, true))), true)
          .get(5, TimeUnit.SECONDS);
      assertEquals(k.deviceId(), ((Frame.AuthOk) second.get(10, TimeUnit.SECONDS)).device());
      ws.abort();
      // No plain listener on that port.
      HttpClient plain = HttpClient.newHttpClient();
      java.net.URI http = java.net.URI.create("http://127.0.0.1:" + relay.port() + "/health");
      boolean plainWorked;
      try {
        plain.send(
            java.net.http.HttpRequest.newBuilder(http)
                .timeout(java.time.Duration.ofSeconds(5))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        plainWorked = true;
      } catch (java.io.IOException e) {
        plainWorked = false;
      }
      assertTrue(!plainWorked, "plain HTTP must not be served next to TLS");
    }
  }
}
