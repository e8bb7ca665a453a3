package org.sceau.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.sceau.app.paths.SceauPaths;
import org.sceau.app.rpc.Capability;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.server.AlreadyRunningException;
import org.sceau.app.server.HelperServer;
import org.sceau.app.vault.VaultCapability;
import org.sceau.net.Outbound;
import org.sceau.net.ProxySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The helper process, wired by hand: the capabilities, the methods they register, the socket. Read
 * this file to see everything the helper runs.
 */
public final class Helper {
  private static final Logger LOG = LoggerFactory.getLogger(Helper.class);

  private final SceauPaths paths;
  private final List<Capability> capabilities = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final long startedNanos = System.nanoTime();
  private HelperServer server;

  Helper(SceauPaths paths) {
    this.paths = paths;
  }

  /** Runs until {@code helper.shutdown} or SIGTERM; returns the process exit code. */
  static int run(SceauPaths paths) {
    Helper helper = new Helper(paths);
    try {
      helper.start();
    } catch (AlreadyRunningException e) {
      System.err.println("sceau-helper: " + e.getMessage());
      return 4;
    } catch (Exception e) {
      LOG.error("failed to start: {}", e.toString());
      System.err.println("sceau-helper: failed to start: " + e.getMessage());
      helper.stop();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(helper::stop, "shutdown"));
    System.out.println("sceau-helper ready on " + paths.socket());
    System.out.flush();
    try {
      helper.stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  void start() throws Exception {
    LOG.info("starting Sceau helper {} (pid {})", Version.get(), ProcessHandle.current().pid());
    MethodRegistry registry = new MethodRegistry();
    server = new HelperServer(paths, registry);
    capabilities.addAll(createCapabilities());
    new HelperMethods(this).register(registry);
    for (Capability c : capabilities) {
      c.register(registry, server);
    }
    server.start();
    LOG.info(
        "ready in {} ms with {}",
        Duration.ofNanos(System.nanoTime() - startedNanos).toMillis(),
        capabilityNames());
  }

  /** The capabilities this helper serves, in start order. */
  private List<Capability> createCapabilities() {
    List<Capability> list = new ArrayList<>();
    VaultCapability vault =
        new VaultCapability(
            paths.dataDir().resolve("vault"),
            new org.sceau.app.vault.AutoLockSetting(paths.configDir(), paths.env()));
    list.add(vault);
    list.add(new org.sceau.app.chat.ChatCapability(vault.vault()));
    list.add(new org.sceau.app.mail.MailCapability(vault.vault(), outbound("mail")));
    list.add(
        new org.sceau.app.bm.BmCapability(
            vault.vault(), paths.dataDir(), paths.configDir(), paths.env()));
    return list;
  }

  /**
   * The outbound-connection factory for one capability: through the SOCKS5 proxy named by
   * SCEAU_PROXY when set (isolated per capability, so Tor puts mail and, say, Bitmessage on
   * different circuits), direct otherwise; a setting that cannot be parsed refuses every connection
   * rather than going direct. Bitmessage reads the same variable in its own settings.
   */
  private Outbound outbound(String capability) {
    String text = paths.env().getOrDefault("SCEAU_PROXY", "");
    try {
      return Outbound.from(ProxySettings.parse(text).isolatedAs("sceau-" + capability));
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "SCEAU_PROXY is not usable; {} makes no connections: {}", capability, e.getMessage());
      return Outbound.refusing("SCEAU_PROXY is not usable: " + e.getMessage());
    }
  }

  List<Capability> capabilities() {
    return List.copyOf(capabilities);
  }

  List<String> capabilityNames() {
    return capabilities.stream().map(Capability::name).toList();
  }

  Duration uptime() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  int connectionCount() {
    return server == null ? 0 : server.connectionCount();
  }

  SceauPaths paths() {
    return paths;
  }

  /** Stops once: closes the socket (after running calls answered), then every capability. */
  synchronized void stop() {
    if (stopped.getCount() == 0) {
      return;
    }
    LOG.info("stopping");
    if (server != null) {
      server.close();
    }
    for (int i = capabilities.size() - 1; i >= 0; i--) {
      try {
        capabilities.get(i).close();
      } catch (RuntimeException e) {
        LOG.error("closing {} failed: {}", capabilities.get(i).name(), e.getClass().getName());
      }
    }
    LOG.info("stopped");
    stopped.countDown();
  }
}
