package org.sceau.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SceauCliTest {
  private static String[] run(String... args) {
    CommandLine cl = SceauCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    String[] r = run("--help");
    assertEquals("0", r[0]);
    for (String word :
        new String[] {"status", "start", "stop", "install", "uninstall", "Exit codes", "3"}) {
      assertTrue(r[1].contains(word), word);
    }
  }

  @Test
  void aWrongCommandLineExitsWithTwo() {
    assertEquals("2", run("no-such-command")[0]);
    assertEquals("2", run("ping", "--count", "many")[0]);
  }

  @Test
  void generatesAShellCompletionScript() {
    String[] r = run("generate-completion");
    assertEquals("0", r[0]);
    assertTrue(r[1].contains("complete -F") && r[1].contains("sceau"));
  }
}
