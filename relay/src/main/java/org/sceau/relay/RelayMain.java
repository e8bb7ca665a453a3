package org.sceau.relay;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar sceau-relay.jar [--config=FILE] [--key=value ...]} (what {@code ./sceau relay}
 * runs). Settings: see {@link RelayConfig}. Stops cleanly on SIGINT/SIGTERM.
 */
public final class RelayMain {
  private RelayMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("usage: sceau relay [--config=FILE] [--key=value ...]\nsettings:");
      RelayConfig.DEFAULTS.forEach((k, v) -> System.out.println("  --" + k + "=" + v));
      return;
    }
    RelayConfig config;
    try {
      config = RelayConfig.load(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("sceau relay: " + e.getMessage());
      System.exit(2);
      return;
    }
    Relay relay = Relay.start(config);
    // Parsed by scripts and tests that start the relay as a process with port=0.
    System.out.println("sceau-relay listening " + relay.webSocketUri());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  relay.close();
                  stopped.countDown();
                },
                "relay-shutdown"));
    stopped.await();
  }
}
