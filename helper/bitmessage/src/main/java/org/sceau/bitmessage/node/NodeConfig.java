package org.sceau.bitmessage.node;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.net.Outbound;

/**
 * How a {@link BitmessageNode} runs. Build with {@link #builder(Path)}; every setting has a default
 * suitable for a real user (port 8444, the public bootstrap nodes, direct connections, the
 * network's 1000/1000 difficulty).
 *
 * <p>When {@link Outbound#proxied()} is true the node never listens, whatever {@link #listenPort}
 * says, and passes peer host names to the proxy unresolved.
 *
 * @param dataDir where the node keeps its inventory store and known-nodes file (created if absent)
 * @param listenPort TCP port to accept peers on; 0 = a random free port
 * @param listen false = open no listening socket
 * @param bootstrapPeers {@code host:port} entries tried first ({@code [v6]:port} for IPv6 literals)
 * @param outbound the one way the node opens connections
 * @param targetOutbound outbound connections the node keeps open (the reference client's 8)
 * @param maxInbound inbound connections accepted at most
 * @param minimumDifficulty proof of work demanded from every object relayed or published
 * @param clock time source (expiry, handshake clock check)
 * @param userAgent sent in {@code version}, e.g. {@code /Sceau:0.1/}
 * @param dandelionPercent chance (0–100) that a stem object keeps stemming; 0 disables Dandelion
 * @param maxInventory objects kept at most; beyond it the soonest-expiring are dropped
 * @param privatePeers accept loopback and private-network addresses from peers (addr gossip,
 *     inbound peers' addresses) into the known nodes: for test networks and LANs; off by default,
 *     as in PyBitmessage
 */
public record NodeConfig(
    Path dataDir,
    int listenPort,
    boolean listen,
    List<String> bootstrapPeers,
    Outbound outbound,
    int targetOutbound,
    int maxInbound,
    PowDifficulty minimumDifficulty,
    Clock clock,
    String userAgent,
    int dandelionPercent,
    int maxInventory,
    boolean privatePeers) {

  public static final int DEFAULT_PORT = 8444;

  /**
   * PyBitmessage's DNS bootstrap names and a few of its long-lived default nodes. Names are
   * resolved by whoever makes the connection (the proxy when one is set).
   */
  public static final List<String> PUBLIC_BOOTSTRAP =
      List.of(
          "bootstrap8444.bitmessage.org:8444",
          "bootstrap8080.bitmessage.org:8080",
          "5.45.99.75:8444",
          "75.167.159.54:8444",
          "95.165.168.168:8444",
          "85.180.139.241:8444",
          "178.62.12.187:8448");

  public NodeConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(outbound, "outbound");
    Objects.requireNonNull(minimumDifficulty, "minimumDifficulty");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(userAgent, "userAgent");
    bootstrapPeers = List.copyOf(bootstrapPeers);
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("listen port out of range");
    }
    if (targetOutbound < 0 || maxInbound < 0 || maxInventory < 1) {
      throw new IllegalArgumentException("connection and inventory limits must be positive");
    }
    if (dandelionPercent < 0 || dandelionPercent > 100) {
      throw new IllegalArgumentException("dandelion percent is 0..100");
    }
    if (userAgent.length() > 200) {
      throw new IllegalArgumentException("user agent too long");
    }
    for (String p : bootstrapPeers) {
      PeerAddress.parse(p);
    }
  }

  /** True if the node will open a listening socket. */
  public boolean listens() {
    return listen && !outbound.proxied();
  }

  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** Defaults: see {@link NodeConfig}. */
  public static final class Builder {
    private final Path dataDir;
    private int listenPort = DEFAULT_PORT;
    private boolean listen = true;
    private List<String> bootstrapPeers = PUBLIC_BOOTSTRAP;
    private Outbound outbound = Outbound.direct();
    private int targetOutbound = 8;
    private int maxInbound = 64;
    private PowDifficulty minimumDifficulty = PowDifficulty.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private String userAgent = "/Sceau:0.1/";
    private int dandelionPercent = 90;
    private int maxInventory = 1_000_000;
    private boolean privatePeers;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    public Builder listenPort(int port) {
      this.listenPort = port;
      this.listen = true;
      return this;
    }

    public Builder noListen() {
      this.listen = false;
      return this;
    }

    /** Replaces the bootstrap list (empty = only the known-nodes file and manual peers). */
    public Builder bootstrapPeers(List<String> hostPorts) {
      this.bootstrapPeers = new ArrayList<>(hostPorts);
      return this;
    }

    public Builder outbound(Outbound outbound) {
      this.outbound = outbound;
      return this;
    }

    public Builder targetOutbound(int n) {
      this.targetOutbound = n;
      return this;
    }

    public Builder maxInbound(int n) {
      this.maxInbound = n;
      return this;
    }

    public Builder minimumDifficulty(PowDifficulty d) {
      this.minimumDifficulty = d;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    public Builder dandelionPercent(int percent) {
      this.dandelionPercent = percent;
      return this;
    }

    public Builder maxInventory(int objects) {
      this.maxInventory = objects;
      return this;
    }

    public Builder privatePeers(boolean accept) {
      this.privatePeers = accept;
      return this;
    }

    public NodeConfig build() {
      return new NodeConfig(
          dataDir,
          listenPort,
          listen,
          bootstrapPeers,
          outbound,
          targetOutbound,
          maxInbound,
          minimumDifficulty,
          clock,
          userAgent,
          dandelionPercent,
          maxInventory,
          privatePeers);
    }
  }
}
