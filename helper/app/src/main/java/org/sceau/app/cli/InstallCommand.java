package org.sceau.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sceau.app.install.Commands;
import org.sceau.app.install.Installer;
import org.sceau.app.paths.SceauPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "install",
    description = {
      "Install Sceau for this user: the helper (started at login), the bridge Thunderbird calls,",
      "the `sceau` command, and the add-on in every Thunderbird profile. Safe to run again."
    })
final class InstallCommand implements Callable<Integer> {
  @Option(
      names = "--app-dir",
      required = true,
      description = "The built helper: a folder with sceau-app.jar and lib/.")
  Path appDir;

  @Option(names = "--extension-dir", required = true, description = "The add-on's source folder.")
  Path extensionDir;

  @Option(
      names = "--init",
      defaultValue = "AUTO",
      description =
          "How the helper starts at login: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Installer.Init init;

  @Option(names = "--no-start", description = "Do not start the helper now.")
  boolean noStart;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Installer installer = new Installer(SceauPaths.fromEnvironment(), Commands.system());
    try {
      installer.install(
          new Installer.Source(appDir.toAbsolutePath(), extensionDir.toAbsolutePath()),
          init,
          !noStart);
    } finally {
      installer.log().forEach(line -> out.println("  " + line));
    }
    out.println("Sceau is installed. Restart Thunderbird to load the add-on.");
    return ExitCodes.OK;
  }
}
