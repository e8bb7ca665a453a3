package org.sceau.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.sceau.app.paths.SceauPaths;
import org.sceau.app.rpc.Dispatcher;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The helper's front door: a Unix-domain socket in a directory only the user can enter, one helper
 * per user (an OS file lock), and on Linux and macOS a check of the peer's uid on every connection.
 */
public final class HelperServer implements Notifier, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HelperServer.class);

  /** Method calls in flight across all clients; past it the reader thread runs the call itself. */
  private static final int MAX_WORKERS = 32;

  private final Path socket;
  private final Path lockFile;
  private final Dispatcher dispatcher;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong connectionNumbers = new AtomicLong();
  private final ThreadPoolExecutor workers;
  private InstanceLock lock;
  private ServerSocketChannel server;
  private Thread acceptor;
  private volatile boolean closed;

  public HelperServer(SceauPaths paths, MethodRegistry registry) {
    this.socket = paths.socket();
    this.lockFile = paths.lockFile();
    this.dispatcher = new Dispatcher(registry);
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            2,
            MAX_WORKERS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> daemon(r, "rpc-worker-" + n.incrementAndGet()),
            new ThreadPoolExecutor.CallerRunsPolicy());
  }

  /**
   * Takes the instance lock, binds the socket and starts accepting.
   *
   * @throws AlreadyRunningException if another helper of this user runs
   */
  public synchronized void start() throws IOException {
    SceauPaths.ensurePrivateDir(socket.getParent());
    lock = InstanceLock.acquire(lockFile);
    try {
      // We hold the lock, so a socket file here is a crashed helper's leftover.
      Files.deleteIfExists(socket);
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    acceptor = daemon(this::acceptLoop, "rpc-accept");
    acceptor.start();
    LOG.info("listening on {}", socket);
  }

  public Path socket() {
    return socket;
  }

  public int connectionCount() {
    return connections.size();
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.error("accept failed: {}", e.getClass().getSimpleName());
        }
        return;
      }
      if (!samePeerUser(channel)) {
        closeQuietly(channel);
        continue;
      }
      long number = connectionNumbers.incrementAndGet();
      Connection[] holder = new Connection[1];
      holder[0] =
          new Connection(number, channel, dispatcher, workers, () -> connections.remove(holder[0]));
      connections.add(holder[0]);
      daemon(holder[0], "rpc-conn-" + number).start();
    }
  }

  /**
   * The directory's permissions already keep other users out; the peer check is a second wall in
   * case they were loosened. Platforms without SO_PEERCRED (Windows) rely on the directory ACL.
   */
  private static boolean samePeerUser(SocketChannel channel) {
    try {
      UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
      String me = System.getProperty("user.name");
      if (peer != null && me != null && !me.equals(peer.user().getName())) {
        LOG.warn("refused a connection from another user");
        return false;
      }
      return true;
    } catch (UnsupportedOperationException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void notifyAll(String method, JsonNode params) {
    JsonNode message = Json.notification(method, params);
    for (Connection c : connections) {
      c.send(message);
    }
  }

  /** Stops accepting, lets running calls answer, then closes every connection and the socket. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(server);
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Connection c : connections) {
      c.close();
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.warn("could not remove the socket file: {}", e.getClass().getSimpleName());
    }
    if (lock != null) {
      try {
        lock.close();
      } catch (IOException e) {
        LOG.warn("could not release the instance lock: {}", e.getClass().getSimpleName());
      }
    }
    LOG.info("stopped listening");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (IOException ignored) {
      // Already closed or broken: nothing left to release.
    }
  }
}
