package org.sceau.app.bm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.node.NodeConfig;

class BmSettingsTest {
  static final Path DIR = Path.of("/tmp/x");

  @Test
  void defaultsAreTheRealNetwork() {
    BmSettings s = BmSettings.fromEnvironment(Map.of(), DIR);
    assertTrue(s.enabled());
    assertEquals(Optional.of(8444), s.listenPort());
    assertTrue(s.publicBootstrap());
    assertEquals(PowDifficulty.DEFAULT, s.minimumDifficulty());
    assertEquals(NodeConfig.PUBLIC_BOOTSTRAP, s.nodeConfig().bootstrapPeers());
  }

  @Test
  void configuredPeersReplaceThePublicList() {
    BmSettings s =
        BmSettings.fromEnvironment(
            Map.of(
                "SCEAU_BM_PEERS", "127.0.0.1:1234, not a peer ,[::1]:99",
                "SCEAU_BM_PORT", "none",
                "SCEAU_BM_MIN_DIFFICULTY", "1/2",
                "SCEAU_BM_POW_THREADS", "1"),
            DIR);
    assertFalse(s.publicBootstrap());
    assertEquals(List.of("127.0.0.1:1234", "[::1]:99"), s.peers());
    assertEquals(Optional.empty(), s.listenPort());
    assertFalse(s.nodeConfig().listens());
    assertEquals(new PowDifficulty(1, 2), s.minimumDifficulty());
    assertEquals(1, s.powThreads());
    assertEquals(List.of("127.0.0.1:1234", "[::1]:99"), s.nodeConfig().bootstrapPeers());
  }

  @Test
  void noBootstrapMeansNoPublicNodes() {
    BmSettings s = BmSettings.fromEnvironment(Map.of("SCEAU_BM_BOOTSTRAP", "off"), DIR);
    assertTrue(s.nodeConfig().bootstrapPeers().isEmpty());
  }

  @Test
  void aProxyMeansNoListeningAndABadOneDisablesTheNode() {
    BmSettings s =
        BmSettings.fromEnvironment(Map.of("SCEAU_PROXY", "socks5://127.0.0.1:9050"), DIR);
    assertTrue(s.enabled());
    assertTrue(s.outbound().proxied());
    assertFalse(s.nodeConfig().listens());

    BmSettings bad = BmSettings.fromEnvironment(Map.of("SCEAU_PROXY", "http://proxy:80"), DIR);
    assertFalse(bad.enabled(), "never fall back to direct connections");
    assertTrue(bad.problem().startsWith("SCEAU_PROXY"));
    assertFalse(BmSettings.fromEnvironment(Map.of("SCEAU_BM", "off"), DIR).enabled());
  }
}
