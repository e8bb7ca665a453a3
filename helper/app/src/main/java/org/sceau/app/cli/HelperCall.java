package org.sceau.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sceau.app.client.HelperClient;
import org.sceau.app.client.HelperUnreachableException;
import org.sceau.app.paths.SceauPaths;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Base of the subcommands that make one helper call ({@code sceau vault …}, {@code sceau chat …}):
 * connect, call, print (or {@code --json}), and the documented exit codes for every failure.
 */
public abstract class HelperCall implements Callable<Integer> {
  @CommandLine.Spec protected CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print the helper's answer as JSON.")
  protected boolean json;

  /** A mistake in what the user gave, found while preparing the call: exit code 2. */
  public static class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  protected abstract String method();

  protected ObjectNode params() throws UsageException {
    return Json.object();
  }

  /** Prints the result for a person (with {@code --json} the JSON is printed instead). */
  protected abstract void print(PrintWriter out, JsonNode result);

  protected HelperClient connect() throws HelperUnreachableException {
    return HelperClient.connect(SceauPaths.fromEnvironment().socket());
  }

  /** Runs after the call whatever happened: where subclasses wipe the secrets they read. */
  protected void done() {}

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (HelperClient client = connect()) {
      JsonNode result = client.call(method(), params());
      if (json) {
        out.println(HelperOptions.pretty(result));
      } else {
        print(out, result);
      }
      return ExitCodes.OK;
    } catch (UsageException e) {
      err.println(e.getMessage());
      return ExitCodes.USAGE;
    } catch (HelperUnreachableException e) {
      err.println(e.getMessage() + " Start it with `sceau start`.");
      return ExitCodes.NOT_RUNNING;
    } catch (RpcException e) {
      err.println(e.getMessage() + " (" + e.error().type() + ")");
      return ExitCodes.FAILED;
    } catch (IOException e) {
      err.println("The connection to the helper failed: " + e.getMessage());
      return ExitCodes.FAILED;
    } finally {
      done();
    }
  }
}
