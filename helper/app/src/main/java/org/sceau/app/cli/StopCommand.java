package org.sceau.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sceau.app.client.HelperClient;
import org.sceau.app.client.HelperProcess;
import org.sceau.app.client.HelperUnreachableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "stop", description = "Stop the helper (the vault locks first).")
final class StopCommand implements Callable<Integer> {
  @Mixin HelperOptions options;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (HelperClient client = options.connect()) {
      client.call("helper.shutdown", null);
    } catch (HelperUnreachableException e) {
      out.println("The Sceau helper is not running.");
      return ExitCodes.OK;
    }
    if (HelperProcess.awaitAnswering(options.paths().socket(), false, 10_000)) {
      out.println("Sceau helper stopped.");
      return ExitCodes.OK;
    }
    spec.commandLine().getErr().println("The helper is still answering after 10 s.");
    return ExitCodes.FAILED;
  }
}
