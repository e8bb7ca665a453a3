package org.sceau.app.bm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sceau.app.cli.HelperCall;
import org.sceau.app.cli.SceauCli;
import picocli.CommandLine;

class BmCliCommandTest {
  private static HelperCall sub(String... args) {
    CommandLine cl = new CommandLine(new BmCliCommand());
    return cl.parseArgs(args).subcommand().commandSpec().commandLine().getCommand();
  }

  @Test
  void theIssuesSubcommandsExist() {
    CommandLine cl = SceauCli.commandLine();
    assertTrue(
        cl.getSubcommands()
            .get("bm")
            .getSubcommands()
            .keySet()
            .containsAll(
                List.of("send", "inbox", "read", "status", "peers", "address", "pow-bench")));
  }

  @Test
  void argumentsBecomeTheMethodsParams() throws Exception {
    BmCliCommand.Send send =
        (BmCliCommand.Send) sub("send", "--from", "BM-a", "--to", "BM-b", "--subject", "s", "hi");
    assertEquals("bm.send", send.method());
    assertEquals(
        "{\"from\":\"BM-a\",\"subject\":\"s\",\"body\":\"hi\",\"broadcast\":false,\"to\":\"BM-b\"}",
        send.params().toString());
    BmCliCommand.Inbox sent = (BmCliCommand.Inbox) sub("inbox", "--sent");
    assertEquals("{\"folder\":\"sent\",\"limit\":50}", sent.params().toString());
    assertEquals("bm.status", ((BmCliCommand.Peers) sub("peers")).method());
    BmCliCommand.Settings settings =
        (BmCliCommand.Settings)
            sub("settings", "--port", "none", "--peers", "a:1,b:2", "--proxy", "socks5://h:9");
    assertEquals(
        "{\"port\":\"none\",\"peers\":[\"a:1\",\"b:2\"],\"proxy\":\"socks5://h:9\"}",
        settings.params().toString());
    assertEquals("{}", ((BmCliCommand.Settings) sub("settings")).params().toString());
  }

  @Test
  void theOfflineCommandsStillWork() {
    StringWriter out = new StringWriter();
    CommandLine cl = SceauCli.commandLine().setOut(new PrintWriter(out));
    assertEquals(0, cl.execute("bm", "address", "--from-passphrase", "test", "--chan"));
    assertTrue(out.toString().startsWith("BM-"), out.toString());
    StringWriter out2 = new StringWriter();
    CommandLine cl2 = SceauCli.commandLine().setOut(new PrintWriter(out2));
    assertEquals(0, cl2.execute("bm", "address", "new", "--version", "3"));
    assertTrue(out2.toString().startsWith("BM-"), out2.toString());
  }

  @Test
  void sendWithoutSenderIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cl = SceauCli.commandLine().setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("bm", "send", "--to", "BM-a", "body"));
    assertTrue(err.toString().contains("--from"), err.toString());
  }
}
