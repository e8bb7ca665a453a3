package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sceau mail encrypt < draft.eml}, {@code sceau mail decrypt < message.eml} and {@code sceau
 * mail verify} against the real helper, with keys made by {@code sceau keys}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MailCliIT {
  private record Run(int exit, String out) {}

  private static Run cli(Sandbox sandbox, byte[] stdin, String... args) throws Exception {
    Process p = sandbox.java(List.of(), "org.sceau.app.cli.SceauCli", args);
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Run(p.exitValue(), out);
  }

  private static Run cli(Sandbox sandbox, String stdin, String... args) throws Exception {
    return cli(sandbox, stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  @Test
  void encryptADraftThenDecryptAndVerifyFromTheCommandLine() throws Exception {
    try (Sandbox sandbox = new Sandbox()) {
      sandbox.startHelper();
      String pass = "correct horse battery staple\n";
      assertEquals(0, cli(sandbox, pass + pass, "vault", "create", "--passphrase-fd", "0").exit());
      assertEquals(0, cli(sandbox, "", "keys", "generate", "Alice <alice@example.org>").exit());

      String draft =
          "From: Alice <alice@example.org>\r\n"
              + "To: alice@example.org\r\n"
              + "Subject: Note to self\r\n"
              + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
              + "Remember the milk.\r\n";
      Run enc = cli(sandbox, draft, "mail", "encrypt");
      assertEquals(0, enc.exit(), enc.out());
      assertTrue(enc.out().contains("multipart/encrypted"), enc.out());
      assertTrue(enc.out().contains("Subject: ..."));
      assertFalse(enc.out().contains("milk"));

      Run dec = cli(sandbox, enc.out(), "mail", "decrypt");
      assertEquals(0, dec.exit(), dec.out());
      assertTrue(dec.out().contains("Signature: GOOD by "), dec.out());
      assertTrue(dec.out().contains("the sender's"), dec.out());
      assertTrue(dec.out().contains("Subject: Note to self"), dec.out());
      assertTrue(dec.out().contains("Remember the milk."), dec.out());

      Run plain = cli(sandbox, "Subject: hi\r\n\r\nhello\r\n", "mail", "verify");
      assertEquals(0, plain.exit(), plain.out());
      assertTrue(plain.out().contains("Signature: NOT_SIGNED"), plain.out());

      Run bad = cli(sandbox, "", "mail", "decrypt");
      assertEquals(2, bad.exit(), "empty input is a usage error");
      assertEquals(0, cli(sandbox, "", "stop").exit());
    }
  }
}
