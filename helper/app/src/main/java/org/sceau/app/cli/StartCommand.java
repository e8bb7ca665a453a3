package org.sceau.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sceau.app.HelperMain;
import org.sceau.app.client.HelperProcess;
import org.sceau.app.paths.SceauPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "start", description = "Start the helper (in the background unless --foreground).")
final class StartCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--foreground"},
      description = "Run in this terminal until stopped (as the systemd unit does).")
  boolean foreground;

  @Option(
      names = "--timeout",
      defaultValue = "20",
      description = "Seconds to wait for the helper to answer (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (foreground) {
      HelperMain.main(new String[0]);
      return ExitCodes.OK; // not reached: HelperMain exits the JVM
    }
    PrintWriter out = spec.commandLine().getOut();
    SceauPaths paths = SceauPaths.fromEnvironment();
    if (HelperProcess.answers(paths.socket())) {
      out.println("The Sceau helper is already running.");
      return ExitCodes.OK;
    }
    long t0 = System.nanoTime();
    if (HelperProcess.startAndWait(paths, timeoutSeconds * 1000L)) {
      out.printf("Sceau helper started (ready in %d ms).%n", (System.nanoTime() - t0) / 1_000_000);
      return ExitCodes.OK;
    }
    spec.commandLine()
        .getErr()
        .println(
            "The helper did not answer within " + timeoutSeconds + " s; see " + paths.logFile());
    return ExitCodes.FAILED;
  }
}
