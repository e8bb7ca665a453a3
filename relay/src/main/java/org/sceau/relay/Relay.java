package org.sceau.relay;

import io.javalin.Javalin;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.sceau.chat.wire.DeviceId;
import org.sceau.relay.internal.Connection;
import org.sceau.relay.internal.Metrics;
import org.sceau.relay.internal.RedisStore;
import org.sceau.relay.internal.RelayService;
import org.sceau.relay.internal.SqliteStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the WebSocket endpoint {@code /v1/ws}, {@code GET /health} and {@code GET
 * /metrics} (Prometheus text). Start with {@link #start}; {@link #close} stops it and its store.
 *
 * <pre>{@code
 * try (Relay relay = Relay.start(RelayConfig.defaultsWith(Map.of("port", "0", "data.dir", dir)))) {
 *   URI ws = relay.webSocketUri();   // ws://127.0.0.1:PORT/v1/ws
 * }
 * }</pre>
 */
public final class Relay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);
  public static final String WS_PATH = "/v1/ws";

  private final Javalin app;
  private final RelayService service;
  private final AutoCloseable store;
  private final boolean tls;
  private final String host;

  private Relay(Javalin app, RelayService service, AutoCloseable store, boolean tls, String host) {
    this.app = app;
    this.service = service;
    this.store = store;
    this.tls = tls;
    this.host = host;
  }

  public static Relay start(RelayConfig config) throws Exception {
    String kind = config.get("store");
    MessageQueue queue;
    Directory directory;
    boolean single;
    if (kind.equals("sqlite")) {
      SqliteStore s =
          new SqliteStore(
              Path.of(config.get("data.dir")),
              config.get("store.sync"),
              config.getInt("mailbox.max.messages"));
      queue = s;
      directory = s;
      single = true;
    } else if (kind.equals("redis")) {
      RedisStore s =
          new RedisStore(
              config.get("store.redis.url"),
              config.get("node.id"),
              config.getInt("mailbox.max.messages"));
      queue = s;
      directory = s;
      single = false;
    } else {
      throw new IllegalArgumentException("store must be sqlite or redis");
    }
    Metrics metrics = new Metrics();
    RelayService service = new RelayService(config, queue, directory, single, metrics);
    String host = config.get("host");
    int port = config.getInt("port");
    String keystore = config.get("tls.keystore");
    boolean tls = !keystore.isEmpty();
    int maxFrame = service.codec().limits().maxFrameBytes();
    Duration idle = Duration.ofSeconds(config.getInt("idle.timeout.seconds"));
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.host = host;
              cfg.jetty.port = port;
              // A small pool: on a busy box, hundreds of runnable handler threads mostly cost
              // context switches (the profile's top kernel symbol); handlers never block for long.
              int cpus = Runtime.getRuntime().availableProcessors();
              org.eclipse.jetty.util.thread.QueuedThreadPool pool =
                  new org.eclipse.jetty.util.thread.QueuedThreadPool(Math.max(16, 8 * cpus), 4);
              pool.setName("JettyServerThreadPool");
              cfg.jetty.threadPool = pool;
              if (tls) {
                cfg.jetty.addConnector(
                    (server, http) -> {
                      SslContextFactory.Server ssl = new SslContextFactory.Server();
                      ssl.setKeyStorePath(keystore);
                      ssl.setKeyStorePassword(config.get("tls.password"));
                      ssl.setKeyStoreType("PKCS12");
                      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
                      HttpConfiguration https = new HttpConfiguration(http);
                      https.addCustomizer(new SecureRequestCustomizer(false));
                      ServerConnector c =
                          new ServerConnector(
                              server,
                              new SslConnectionFactory(ssl, "http/1.1"),
                              new HttpConnectionFactory(https));
                      c.setHost(host);
                      c.setPort(port);
                      return c;
                    });
                // Only the TLS connector may listen: drop Javalin's plain one.
                cfg.jetty.modifyServer(
                    server -> {
                      for (org.eclipse.jetty.server.Connector c : server.getConnectors()) {
                        if (c instanceof ServerConnector sc
                            && sc.getConnectionFactory(SslConnectionFactory.class) == null) {
                          server.removeConnector(c);
                        }
                      }
                    });
              }
              cfg.jetty.modifyWebSocketServletFactory(
                  f -> {
                    f.setMaxBinaryMessageSize(maxFrame);
                    f.setMaxTextMessageSize(1024);
                    f.setIdleTimeout(idle);
                  });
              cfg.routes.ws(
                  WS_PATH,
                  ws -> {
                    ws.onConnect(ctx -> ctx.attribute("c", service.open(ctx.session)));
                    ws.onBinaryMessage(
                        ctx -> service.onBinary(ctx.attribute("c"), ctx.data().duplicate()));
                    ws.onMessage(ctx -> service.onText(ctx.attribute("c")));
                    ws.onClose(
                        ctx -> {
                          Connection c = ctx.attribute("c");
                          if (c != null) {
                            service.closed(c);
                          }
                        });
                    ws.onError(
                        ctx -> {
                          Connection c = ctx.attribute("c");
                          if (c != null) {
                            service.closed(c);
                          }
                        });
                  });
              cfg.routes.get(
                  "/health",
                  ctx -> {
                    try {
                      directory.isRegistered(DeviceId.of(new byte[32]));
                      ctx.contentType("application/json").result("{\"status\":\"ok\"}");
                    } catch (Exception e) {
                      ctx.status(503).contentType("application/json");
                      ctx.result("{\"status\":\"store unavailable\"}");
                    }
                  });
              cfg.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(metrics.prometheus()));
            });
    try {
      app.start();
    } catch (RuntimeException e) {
      service.close();
      queue.close();
      throw e;
    }
    Relay r = new Relay(app, service, queue, tls, host);
    log.info(
        "relay listening on {} (store {}, tls {})", r.webSocketUri(), kind, tls ? "on" : "off");
    return r;
  }

  /** The bound port (useful with {@code port=0}). */
  public int port() {
    return app.port();
  }

  public URI webSocketUri() {
    return URI.create((tls ? "wss://" : "ws://") + host + ":" + port() + WS_PATH);
  }

  public URI httpUri() {
    return URI.create((tls ? "https://" : "http://") + host + ":" + port());
  }

  /** Runs the retention sweep now (tests; otherwise it runs on a timer). */
  public long sweepRetention() {
    return service.sweepRetention();
  }

  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      service.close();
      try {
        store.close();
      } catch (Exception e) {
        log.warn("store did not close cleanly", e);
      }
    }
  }
}
