package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sceau.app.rpc.Chunks;
import org.sceau.app.rpc.Json;

/**
 * The keys and mail methods as the real helper serves them: keys made with the CLI ({@code sceau
 * keys}), then a mail with a 2 MiB attachment encrypted and decrypted by the add-on over the
 * bridge, both directions larger than one frame (so they travel in chunks).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MailInHelperIT {
  private record Run(int exit, String out) {}

  private static Run cli(Sandbox sandbox, String stdin, String... args) throws Exception {
    Process p = sandbox.java(List.of(), "org.sceau.app.cli.SceauCli", args);
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Run(p.exitValue(), out);
  }

  /** Sends a request in chunks and reads the (possibly chunked) response. */
  private static JsonNode call(Framed bridge, String id, ObjectNode request) throws Exception {
    for (byte[] chunk : Chunks.split(id, Json.bytes(request))) {
      bridge.sendRaw(HelperIT.frame(chunk));
    }
    Chunks.Assembler assembler = new Chunks.Assembler();
    while (true) {
      byte[] f = bridge.readFrame();
      assertNotNull(f, "bridge closed before the answer");
      JsonNode n = Json.parse(f);
      if (!Chunks.isChunk(n)) {
        if (n.has("id")) {
          return n; // small enough for one frame
        }
        continue; // a notification
      }
      byte[] whole = assembler.accept(n);
      if (whole != null) {
        return Json.parse(whole);
      }
    }
  }

  @Test
  void keysFromTheCliAndMailForTheAddon() throws Exception {
    try (Sandbox sandbox = new Sandbox()) {
      sandbox.startHelper();
      String pass = "correct horse battery staple\n";
      assertEquals(0, cli(sandbox, pass + pass, "vault", "create", "--passphrase-fd", "0").exit());
      Run gen = cli(sandbox, "", "keys", "generate", "Alice <alice@example.org>");
      assertEquals(0, gen.exit(), gen.out());
      Run list = cli(sandbox, "", "keys", "list", "--json");
      assertEquals(0, list.exit());
      String fp =
          Json.parse(list.out().getBytes(StandardCharsets.UTF_8))
              .get("keys")
              .get(0)
              .get("fingerprint")
              .asText();
      Run export = cli(sandbox, "", "keys", "export", fp);
      assertTrue(export.out().startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"), export.out());
      assertFalse(export.out().contains("PRIVATE"));

      byte[] attachment = new byte[2 * 1024 * 1024];
      new Random(5).nextBytes(attachment);
      try (Framed bridge = sandbox.bridge(HelperIT.ADDON)) {
        JsonNode status =
            call(
                bridge,
                "s1",
                Json.request(1, "keys.status", Json.object().put("email", "alice@example.org")));
        assertEquals("verified", status.get("result").get("status").asText());
        assertEquals(fp, status.get("result").get("fingerprint").asText());

        ObjectNode draft =
            Json.object()
                .put("from", "Alice <alice@example.org>")
                .put("subject", "Big file")
                .put("text", "Here it is.");
        draft.putArray("to").add("alice@example.org");
        draft
            .putArray("attachments")
            .addObject()
            .put("fileName", "data.bin")
            .put("data", Base64.getEncoder().encodeToString(attachment));
        JsonNode enc =
            call(bridge, "e1", Json.request(2, "mail.encrypt", Json.object().set("draft", draft)));
        String message = enc.get("result").get("message").asText();
        assertTrue(
            new String(Base64.getDecoder().decode(message), StandardCharsets.US_ASCII)
                .contains("multipart/encrypted"));

        JsonNode read =
            call(bridge, "d1", Json.request(3, "mail.decrypt", Json.object().put("raw", message)));
        JsonNode r = read.get("result");
        assertEquals("Big file", r.get("subject").asText());
        assertTrue(r.get("signedBySender").asBoolean());
        assertArrayEquals(
            attachment,
            Base64.getDecoder().decode(r.get("attachments").get(0).get("data").asText()));
      }
      assertEquals(0, cli(sandbox, "", "stop").exit());
    }
  }
}
