package org.sceau.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayConfigTest {
  @TempDir Path dir;

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws Exception {
    Path f = dir.resolve("relay.properties");
    Files.writeString(f, "port=1111\nhost=0.0.0.0\nretention.days=7\n");
    RelayConfig c =
        RelayConfig.load(
            new String[] {"--config=" + f, "--port=3333"},
            Map.of("SCEAU_RELAY_PORT", "2222", "SCEAU_RELAY_RETENTION_DAYS", "9"));
    assertEquals(3333, c.getInt("port"));
    assertEquals(9, c.getInt("retention.days"));
    assertEquals("0.0.0.0", c.get("host"));
    assertEquals("sqlite", c.get("store"));
  }

  @Test
  void fileMayComeFromTheEnvironment() throws Exception {
    Path f = dir.resolve("r.properties");
    Files.writeString(f, "store=redis\n");
    assertEquals(
        "redis",
        RelayConfig.load(new String[0], Map.of("SCEAU_RELAY_CONFIG", f.toString())).get("store"));
  }

  @Test
  void refusesUnknownKeysAndBadFlags() {
    assertThrows(
        IllegalArgumentException.class,
        () -> RelayConfig.load(new String[] {"--prot=1"}, Map.of()));
    assertThrows(
        IllegalArgumentException.class, () -> RelayConfig.load(new String[] {"port"}, Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> RelayConfig.defaultsWith(Map.of("port", "x")).getInt("port"));
  }

  @Test
  void toStringHidesSecrets() {
    String s =
        RelayConfig.defaultsWith(
                Map.of("tls.password", "hunter2", "store.redis.url", "redis://:pw@h"))
            .toString();
    assertFalse(s.contains("hunter2"));
    assertFalse(s.contains(":pw@"));
  }
}
