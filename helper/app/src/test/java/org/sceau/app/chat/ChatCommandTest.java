package org.sceau.app.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.sceau.app.cli.SceauCli;
import picocli.CommandLine;

/** The command line's shape; talking to a real helper is shown by tests/e2e (ChatE2EIT). */
class ChatCommandTest {
  private static CommandLine sub(String... args) {
    CommandLine cl = new CommandLine(new ChatCommand());
    CommandLine.ParseResult r = cl.parseArgs(args);
    return r.subcommand().commandSpec().commandLine();
  }

  @Test
  void theIssuesSubcommandsExist() {
    CommandLine cl = new CommandLine(new SceauCli());
    assertTrue(
        cl.getSubcommands()
            .get("chat")
            .getSubcommands()
            .keySet()
            .containsAll(
                java.util.List.of(
                    "contacts", "invite", "accept", "send", "read", "verify", "configure")));
  }

  @Test
  void argumentsBecomeTheMethodsParams() {
    ChatCommand.Sub invite = sub("invite", "aa", "bb").getCommand();
    assertEquals("chat.invite", invite.method());
    assertEquals("{\"devices\":[\"aa\",\"bb\"]}", invite.params().toString());

    ChatCommand.Sub send = sub("send", "0a0b", "hello there").getCommand();
    assertEquals("chat.send", send.method());
    assertEquals("{\"conversation\":\"0a0b\",\"text\":\"hello there\"}", send.params().toString());

    ChatCommand.Sub verify = sub("verify", "cc", "--code", "123").getCommand();
    assertEquals("{\"device\":\"cc\",\"code\":\"123\"}", verify.params().toString());
    ChatCommand.Sub show = sub("verify", "cc").getCommand();
    assertEquals("{\"device\":\"cc\"}", show.params().toString());

    ChatCommand.Sub read = sub("read", "0a", "--after", "5").getCommand();
    assertEquals("{\"conversation\":\"0a\",\"after\":5}", read.params().toString());
  }

  @Test
  void missingArgumentsAreAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new ChatCommand()).setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("send", "0a"));
    assertTrue(err.toString().contains("TEXT"), err.toString());
  }
}
