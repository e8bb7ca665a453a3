package org.sceau.net.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real SOCKS5 server on loopback for tests (RFC 1928 CONNECT, no auth or RFC 1929). It resolves
 * names itself from a table given by the test (e.g. {@code "peer3.test" → 127.0.0.1}), so a test
 * can use names that this machine's resolver does not know: reaching them proves the name was
 * resolved by the proxy. It records every request.
 */
public final class LoopbackSocks5Proxy implements AutoCloseable {

  /** One CONNECT request as the proxy saw it. */
  public record Request(int addressType, String host, int port, String user) {}

  private final ServerSocket server;
  private final Map<String, InetAddress> names = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> daemon(r));

  public LoopbackSocks5Proxy() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  /** Makes the proxy resolve {@code name} to loopback. */
  public LoopbackSocks5Proxy resolve(String name) {
    names.put(name.toLowerCase(), InetAddress.getLoopbackAddress());
    return this;
  }

  public int port() {
    return server.getLocalPort();
  }

  public String host() {
    return "127.0.0.1";
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      if (in.readUnsignedByte() != 5) {
        return;
      }
      int methods = in.readUnsignedByte();
      byte[] offered = in.readNBytes(methods);
      boolean userPass = false;
      for (byte m : offered) {
        userPass |= m == 2;
      }
      String user = null;
      out.write(new byte[] {5, (byte) (userPass ? 2 : 0)});
      out.flush();
      if (userPass) {
        in.readUnsignedByte();
        user = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
        in.readNBytes(in.readUnsignedByte());
        out.write(new byte[] {1, 0});
        out.flush();
      }
      in.readUnsignedByte();
      int command = in.readUnsignedByte();
      in.readUnsignedByte();
      int type = in.readUnsignedByte();
      InetAddress address;
      String host;
      switch (type) {
        case 1 -> {
          address = InetAddress.getByAddress(in.readNBytes(4));
          host = address.getHostAddress();
        }
        case 4 -> {
          address = InetAddress.getByAddress(in.readNBytes(16));
          host = address.getHostAddress();
        }
        case 3 -> {
          host = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
          address = names.get(host.toLowerCase());
          if (address == null && host.equals("127.0.0.1")) {
            address = InetAddress.getLoopbackAddress();
          }
        }
        default -> {
          return;
        }
      }
      int port = in.readUnsignedShort();
      requests.add(new Request(type, host, port, user));
      if (command != 1 || address == null || !address.isLoopbackAddress()) {
        reply(out, 4); // host unreachable: this proxy only ever reaches loopback
        return;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(new InetSocketAddress(address, port), 5_000);
      } catch (IOException e) {
        reply(out, 5);
        return;
      }
      open.add(upstream);
      reply(out, 0);
      threads.execute(() -> pump(upstream, client));
      pump(client, upstream);
      upstream.close();
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void reply(OutputStream out, int code) throws IOException {
    out.write(new byte[] {5, (byte) code, 0, 1, 127, 0, 0, 1, 0, 0});
    out.flush();
  }

  private static void pump(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[16384];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      try {
        to.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "test-socks5");
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    threads.shutdownNow();
  }
}
