package org.sceau.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sceau.app.install.Commands;
import org.sceau.app.install.Installer;
import org.sceau.app.paths.SceauPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "uninstall",
    description =
        "Stop the helper and remove everything `sceau install` wrote (your vault is kept).")
final class UninstallCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Installer installer = new Installer(SceauPaths.fromEnvironment(), Commands.system());
    try {
      installer.uninstall();
    } finally {
      installer.log().forEach(line -> out.println("  " + line));
    }
    return ExitCodes.OK;
  }
}
