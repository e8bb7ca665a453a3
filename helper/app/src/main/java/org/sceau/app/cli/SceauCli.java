package org.sceau.app.cli;

import java.io.PrintWriter;
import org.sceau.app.Version;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sceau} command line. It talks to the helper over the same socket as the add-on. */
@Command(
    name = "sceau",
    mixinStandardHelpOptions = true,
    versionProvider = SceauCli.VersionProvider.class,
    description = "Sceau: encrypted mail, Bitmessage and chat from inside Thunderbird.",
    subcommands = {
      StatusCommand.class,
      StartCommand.class,
      StopCommand.class,
      PingCommand.class,
      org.sceau.app.vault.VaultCommand.class,
      org.sceau.app.chat.ChatCommand.class,
      org.sceau.app.mail.KeysCommand.class,
      org.sceau.app.mail.MailCommand.class,
      org.sceau.app.bm.BmCliCommand.class,
      InstallCommand.class,
      UninstallCommand.class,
      AutoComplete.GenerateCompletion.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the helper reported an error, or the operation failed",
      "2:wrong command line",
      "3:the helper is not running",
      "4:another helper is already running"
    })
public final class SceauCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new SceauCli());
    cl.setExitCodeExceptionMapper(
        e -> e instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.FAILED);
    // A user gets one readable line, not a stack trace: the helper's own message for its errors.
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          String text =
              e instanceof org.sceau.app.rpc.RpcException rpc
                  ? rpc.getMessage() + " (" + rpc.error().type() + ")"
                  : e instanceof java.io.IOException
                      ? "the connection to the helper failed: " + e.getMessage()
                      : e.toString();
          cmd.getErr().println("sceau: " + text);
          return ExitCodes.FAILED;
        });
    cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
    return cl;
  }

  /** Adds a subcommand from another package (vault, keys, bm, chat…). */
  public static CommandLine withSubcommand(CommandLine cl, Object command) {
    cl.addSubcommand(command);
    return cl;
  }

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    spec.commandLine().usage(out);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"sceau " + Version.get()};
    }
  }
}
