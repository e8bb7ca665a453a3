package org.sceau.openpgp.discovery;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTPS server on loopback (the JDK's) that answers WKD, VKS and HKP requests from a table:
 * {@code "host path?query"} to an answer. Unknown requests get 404. It records what was asked.
 */
public final class KeyServerStub implements AutoCloseable {
  public record Answer(int status, byte[] body, Map<String, String> headers, boolean chunked) {
    public static Answer ok(byte[] body) {
      return new Answer(200, body, Map.of(), false);
    }

    public static Answer status(int s) {
      return new Answer(s, new byte[0], Map.of(), false);
    }
  }

  public record Request(String host, String target) {}

  private final HttpsServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  public final List<Request> requests = new CopyOnWriteArrayList<>();

  public KeyServerStub(TestPki pki) throws IOException {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(pki.server));
    server.createContext(
        "/",
        ex -> {
          String host = ex.getRequestHeaders().getFirst("Host");
          String target = ex.getRequestURI().getRawPath();
          if (ex.getRequestURI().getRawQuery() != null) {
            target += "?" + ex.getRequestURI().getRawQuery();
          }
          requests.add(new Request(host, target));
          Answer a = answers.getOrDefault(host + " " + target, Answer.status(404));
          a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
          ex.sendResponseHeaders(
              a.status(), a.chunked() ? 0 : (a.body().length == 0 ? -1 : a.body().length));
          if (a.body().length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
              o.write(a.body());
            }
          }
          ex.close();
        });
    server.setExecutor(threads);
    server.start();
  }

  public KeyServerStub answer(String host, String target, Answer a) {
    answers.put(host + " " + target, a);
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
