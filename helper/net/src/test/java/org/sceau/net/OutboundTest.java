package org.sceau.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sceau.net.testing.LoopbackSocks5Proxy;

class OutboundTest {

  private ServerSocket echo;
  private Thread echoThread;

  @BeforeEach
  void startEcho() throws IOException {
    echo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    echoThread =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try (Socket s = echo.accept()) {
                  s.getOutputStream().write(s.getInputStream().readNBytes(5));
                } catch (IOException e) {
                  return;
                }
              }
            });
    echoThread.setDaemon(true);
    echoThread.start();
  }

  @AfterEach
  void stopEcho() throws IOException {
    echo.close();
  }

  private static byte[] roundTrip(Socket s) throws IOException {
    try (s) {
      OutputStream out = s.getOutputStream();
      out.write("hello".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return in.readNBytes(5);
    }
  }

  @Test
  void directConnectsToLoopback() throws IOException {
    Outbound out = Outbound.direct();
    assertFalse(out.proxied());
    assertArrayEquals("hello".getBytes(), roundTrip(out.connect("127.0.0.1", echo.getLocalPort())));
  }

  @Test
  void socks5SendsTheNameToTheProxyWhichResolvesIt() throws IOException {
    try (LoopbackSocks5Proxy proxy = new LoopbackSocks5Proxy().resolve("echo.sceau.test")) {
      Outbound out = Outbound.from(ProxySettings.socks5(proxy.host(), proxy.port()));
      assertTrue(out.proxied());
      // This name exists only in the proxy's table: reaching it proves no local resolution.
      Socket s = out.connect("echo.sceau.test", echo.getLocalPort());
      assertArrayEquals("hello".getBytes(), roundTrip(s));
      assertEquals(1, proxy.requests().size());
      LoopbackSocks5Proxy.Request r = proxy.requests().get(0);
      assertEquals(3, r.addressType());
      assertEquals("echo.sceau.test", r.host());
      assertEquals(echo.getLocalPort(), r.port());
    }
  }

  @Test
  void isolationTokenTravelsAsSocksUserName() throws IOException {
    try (LoopbackSocks5Proxy proxy = new LoopbackSocks5Proxy().resolve("echo.sceau.test")) {
      ProxySettings settings =
          new ProxySettings(proxy.host(), proxy.port(), Optional.of("bitmessage"));
      roundTrip(Outbound.from(settings).connect("echo.sceau.test", echo.getLocalPort()));
      assertEquals("bitmessage", proxy.requests().get(0).user());
    }
  }

  @Test
  void proxyRefusalIsTypedAndNeverFallsBackToDirect() throws IOException {
    try (LoopbackSocks5Proxy proxy = new LoopbackSocks5Proxy()) {
      Outbound out = Outbound.from(ProxySettings.socks5(proxy.host(), proxy.port()));
      UnreachableException e =
          assertThrows(UnreachableException.class, () -> out.connect("unknown.sceau.test", 80));
      assertEquals(UnreachableException.Reason.HOST_UNREACHABLE, e.reason());
    }
  }

  @Test
  void deadProxyIsReportedAsSuch() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Outbound out = Outbound.from(ProxySettings.socks5("127.0.0.1", port), Duration.ofSeconds(2));
    UnreachableException e =
        assertThrows(
            UnreachableException.class, () -> out.connect("127.0.0.1", echo.getLocalPort()));
    assertEquals(UnreachableException.Reason.PROXY_UNREACHABLE, e.reason());
  }

  @Test
  void silentProxyTimesOut() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Outbound out =
          Outbound.from(
              ProxySettings.socks5("127.0.0.1", silent.getLocalPort()), Duration.ofMillis(300));
      UnreachableException e =
          assertThrows(UnreachableException.class, () -> out.connect("example.org", 80));
      assertEquals(UnreachableException.Reason.PROXY_UNREACHABLE, e.reason());
    }
  }

  @Test
  void refusingOutboundNeverConnects() {
    Outbound out = Outbound.refusing("SCEAU_PROXY: only SOCKS5 proxies are supported");
    assertTrue(out.proxied());
    UnreachableException e =
        assertThrows(
            UnreachableException.class, () -> out.connect("127.0.0.1", echo.getLocalPort()));
    assertEquals(UnreachableException.Reason.PROXY_REFUSED, e.reason());
    assertTrue(e.getMessage().contains("SCEAU_PROXY"));
  }

  @Test
  void parsesProxySettings() {
    assertEquals(ProxySettings.NONE, ProxySettings.parse(""));
    assertEquals(ProxySettings.NONE, ProxySettings.parse("none"));
    assertEquals(
        ProxySettings.socks5("127.0.0.1", 9050), ProxySettings.parse("socks5://127.0.0.1:9050"));
    assertEquals(
        ProxySettings.socks5("localhost", 9150), ProxySettings.parse("socks5h://localhost:9150"));
    assertThrows(IllegalArgumentException.class, () -> ProxySettings.parse("http://proxy:8080"));
    assertThrows(IllegalArgumentException.class, () -> ProxySettings.parse("socks5://hostonly"));
  }
}
