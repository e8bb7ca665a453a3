package org.sceau.app.bm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.node.NodeConfig;
import org.sceau.bitmessage.node.PeerAddress;
import org.sceau.net.Outbound;
import org.sceau.net.ProxySettings;

/**
 * How the helper runs its Bitmessage node, read from the environment (no vault needed: the node
 * relays while the vault is locked).
 *
 * <ul>
 *   <li>{@code SCEAU_BM=off}: no node at all (the helper's own tests; bm.* then answer
 *       BM_DISABLED).
 *   <li>{@code SCEAU_BM_PORT}: listening port (default 8444; 0 = any free port; {@code none} = do
 *       not listen). With a proxy the node never listens.
 *   <li>{@code SCEAU_BM_PEERS}: comma-separated {@code host:port} peers to bootstrap from; when
 *       set, the public bootstrap list is not used.
 *   <li>{@code SCEAU_BM_BOOTSTRAP=off}: do not use the public bootstrap list.
 *   <li>{@code SCEAU_PROXY=socks5://host:port}: every peer connection (and name lookup) through
 *       this proxy, e.g. Tor.
 *   <li>{@code SCEAU_BM_POW_THREADS}: core cap of the proof of work (default: all cores but one).
 *   <li>{@code SCEAU_BM_MIN_DIFFICULTY=ntpb/extra}: the network minimum (default 1000/1000; only
 *       test networks change it).
 * </ul>
 */
record BmSettings(
    boolean enabled,
    String problem,
    Path dataDir,
    Optional<Integer> listenPort,
    List<String> peers,
    boolean publicBootstrap,
    ProxySettings proxy,
    int powThreads,
    PowDifficulty minimumDifficulty) {

  static BmSettings fromEnvironment(Map<String, String> env, Path dataDir) {
    boolean enabled = !"off".equalsIgnoreCase(env.getOrDefault("SCEAU_BM", "on").strip());
    String port = env.getOrDefault("SCEAU_BM_PORT", "").strip();
    Optional<Integer> listen = Optional.of(NodeConfig.DEFAULT_PORT);
    if (port.equalsIgnoreCase("none")) {
      listen = Optional.empty();
    } else if (port.matches("\\d{1,5}") && Integer.parseInt(port) <= 65535) {
      listen = Optional.of(Integer.parseInt(port));
    }
    List<String> peers = new ArrayList<>();
    for (String p : env.getOrDefault("SCEAU_BM_PEERS", "").split(",")) {
      String s = p.strip();
      if (s.isEmpty()) {
        continue;
      }
      try {
        PeerAddress.parse(s);
        peers.add(s);
      } catch (IllegalArgumentException e) {
        // A typo in one peer must not stop the others (or the helper): skipped.
      }
    }
    boolean bootstrap =
        peers.isEmpty()
            && !"off".equalsIgnoreCase(env.getOrDefault("SCEAU_BM_BOOTSTRAP", "on").strip());
    String proxyText = env.getOrDefault("SCEAU_PROXY", "").strip();
    ProxySettings proxy = ProxySettings.NONE;
    String problem = enabled ? "" : "SCEAU_BM=off";
    try {
      proxy = ProxySettings.parse(proxyText).isolatedAs("sceau-bitmessage");
    } catch (IllegalArgumentException e) {
      // Never fall back to direct connections when the user asked for a proxy.
      enabled = false;
      problem = "SCEAU_PROXY: " + e.getMessage();
    }
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = Math.max(1, cores - 1);
    String t = env.getOrDefault("SCEAU_BM_POW_THREADS", "").strip();
    if (t.matches("\\d{1,4}") && Integer.parseInt(t) > 0) {
      threads = Math.min(Integer.parseInt(t), cores);
    }
    PowDifficulty min = PowDifficulty.DEFAULT;
    String d = env.getOrDefault("SCEAU_BM_MIN_DIFFICULTY", "").strip();
    if (d.matches("\\d{1,7}/\\d{1,7}")) {
      String[] parts = d.split("/");
      min = new PowDifficulty(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }
    return new BmSettings(enabled, problem, dataDir, listen, peers, bootstrap, proxy, threads, min);
  }

  /** The same settings without a listening socket (the port was taken). */
  BmSettings withoutListening() {
    return new BmSettings(
        enabled,
        problem,
        dataDir,
        Optional.empty(),
        peers,
        publicBootstrap,
        proxy,
        powThreads,
        minimumDifficulty);
  }

  Outbound outbound() {
    return proxy.enabled() ? Outbound.from(proxy) : Outbound.direct();
  }

  NodeConfig nodeConfig() {
    NodeConfig.Builder b = NodeConfig.builder(dataDir).outbound(outbound());
    if (listenPort.isPresent()) {
      b.listenPort(listenPort.get());
    } else {
      b.noListen();
    }
    if (!publicBootstrap) {
      b.bootstrapPeers(peers);
    }
    b.minimumDifficulty(minimumDifficulty);
    return b.build();
  }
}
