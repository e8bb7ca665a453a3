package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sceau.app.rpc.Json;

/**
 * The vault as the real helper serves it: to the CLI over the socket and to the add-on via the
 * bridge.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VaultInHelperIT {
  private static int cli(Sandbox sandbox, String stdin, String... args) throws Exception {
    Process p = sandbox.java(List.of(), "org.sceau.app.cli.SceauCli", args);
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getInputStream().transferTo(System.out);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return p.exitValue();
  }

  @Test
  void theHelperServesTheVaultToTheCliAndTheAddon() throws Exception {
    try (Sandbox sandbox = new Sandbox()) {
      sandbox.startHelper();
      try (Framed bridge = sandbox.bridge(HelperIT.ADDON)) {
        bridge.send(Json.request(1, "helper.status", null));
        JsonNode status = bridge.response(1).get("result");
        assertEquals(List.of("vault"), List.of(status.get("capabilities").get(0).asText()));
        assertEquals("absent", status.get("vault").asText());

        String pass = "correct horse battery staple\n";
        assertEquals(0, cli(sandbox, pass + pass, "vault", "create", "--passphrase-fd", "0"));
        bridge.send(Json.request(2, "helper.status", null));
        assertEquals("unlocked", bridge.response(2).get("result").get("vault").asText());

        assertEquals(0, cli(sandbox, "", "vault", "lock"));
        bridge.send(Json.request(3, "vault.status", null));
        assertEquals("locked", bridge.response(3).get("result").get("state").asText());

        // A wrong passphrase is a typed error, and the CLI says so with exit code 1.
        assertEquals(1, cli(sandbox, "wrong\n", "vault", "unlock", "--passphrase-fd", "0"));
        assertEquals(0, cli(sandbox, pass, "vault", "unlock", "--passphrase-fd", "0"));
        bridge.send(Json.request(4, "vault.status", null));
        assertEquals("unlocked", bridge.response(4).get("result").get("state").asText());
      }
      // Stopping the helper locks the vault: its keys leave memory with the process.
      assertEquals(0, cli(sandbox, "", "stop"));
    }
  }
}
