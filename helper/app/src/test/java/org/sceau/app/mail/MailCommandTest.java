package org.sceau.app.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.sceau.app.cli.HelperCall;
import org.sceau.app.cli.SceauCli;
import picocli.CommandLine;

/** {@code sceau mail}: its shape, and a draft message turned into mail.encrypt's params. */
class MailCommandTest {
  static final String DRAFT =
      "From: Alice <alice@example.org>\r\n"
          + "To: Bob <bob@example.org>, carol@example.net\r\n"
          + "Bcc: dave@example.org\r\n"
          + "Subject: =?UTF-8?Q?R=C3=A9union?=\r\n"
          + "In-Reply-To: <prev@example.org>\r\n"
          + "References: <root@example.org> <prev@example.org>\r\n"
          + "MIME-Version: 1.0\r\n"
          + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
          + "--b1\r\n"
          + "Content-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n"
          + "--b2\r\n"
          + "Content-Type: text/plain; charset=UTF-8\r\n"
          + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
          + "=C3=80 mardi.\r\n"
          + "--b2\r\n"
          + "Content-Type: text/html; charset=UTF-8\r\n\r\n"
          + "<p>mardi</p>\r\n"
          + "--b2--\r\n"
          + "--b1\r\n"
          + "Content-Type: application/pdf; name=\"plan.pdf\"\r\n"
          + "Content-Disposition: attachment; filename=\"plan.pdf\"\r\n"
          + "Content-Transfer-Encoding: base64\r\n\r\n"
          + "JVBERi0xLjQ=\r\n"
          + "--b1--\r\n";

  private static CommandLine sub(String... args) {
    CommandLine cl = new CommandLine(new MailCommand());
    return cl.parseArgs(args).subcommand().commandSpec().commandLine();
  }

  @Test
  void mailIsASubcommandOfSceau() {
    CommandLine cl = new CommandLine(new SceauCli());
    assertTrue(
        cl.getSubcommands()
            .get("mail")
            .getSubcommands()
            .keySet()
            .containsAll(java.util.List.of("encrypt", "decrypt", "verify")));
  }

  @Test
  void aDraftMessageBecomesTheDraftParams() throws Exception {
    MailCommand.Encrypt enc = sub("encrypt").getCommand();
    enc.stdin = new ByteArrayInputStream(DRAFT.getBytes(StandardCharsets.US_ASCII));
    assertEquals("mail.encrypt", enc.method());
    JsonNode d = enc.params().get("draft");
    assertEquals("Alice <alice@example.org>", d.get("from").asText());
    assertEquals(2, d.get("to").size());
    assertEquals("dave@example.org", d.get("bcc").get(0).asText());
    assertEquals("Réunion", d.get("subject").asText());
    assertEquals("<prev@example.org>", d.get("inReplyTo").asText());
    assertEquals(2, d.get("references").size());
    assertEquals("À mardi.", d.get("text").asText());
    assertEquals("<p>mardi</p>", d.get("html").asText());
    JsonNode a = d.get("attachments").get(0);
    assertEquals("plan.pdf", a.get("fileName").asText());
    assertEquals("application/pdf", a.get("mediaType").asText());
    assertEquals("%PDF-1.4", new String(Base64.getDecoder().decode(a.get("data").asText())));
  }

  @Test
  void decryptSendsTheRawBytesAndEmptyOrBadInputIsAUsageError() throws Exception {
    MailCommand.Decrypt dec = sub("decrypt").getCommand();
    dec.stdin =
        new ByteArrayInputStream("Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals("mail.decrypt", dec.method());
    assertEquals(
        "Subject: x\r\n\r\nhi\r\n",
        new String(Base64.getDecoder().decode(dec.params().get("raw").asText())));

    MailCommand.Encrypt enc = sub("encrypt").getCommand();
    enc.stdin = new ByteArrayInputStream("To: bob@example.org\r\n\r\nno from\r\n".getBytes());
    HelperCall.UsageException noFrom = assertThrows(HelperCall.UsageException.class, enc::params);
    assertTrue(noFrom.getMessage().contains("From"), noFrom.getMessage());
    MailCommand.Decrypt empty = sub("decrypt").getCommand();
    empty.stdin = new ByteArrayInputStream(new byte[0]);
    assertThrows(HelperCall.UsageException.class, empty::params);
  }
}
