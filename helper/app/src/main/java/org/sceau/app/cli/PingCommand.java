package org.sceau.app.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.sceau.app.client.HelperClient;
import org.sceau.app.client.HelperUnreachableException;
import org.sceau.app.rpc.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ping", description = "Measure the helper's round trip over its socket.")
final class PingCommand implements Callable<Integer> {
  @Mixin HelperOptions options;

  @Option(
      names = {"-n", "--count"},
      defaultValue = "1000",
      description = "Pings to send (default: ${DEFAULT-VALUE}); the first 10% warm up.")
  int count;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (count < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1");
    }
    int warmup = count >= 10 ? count / 10 : 0;
    long[] micros = new long[count - warmup];
    try (HelperClient client = options.connect()) {
      for (int i = 0; i < count; i++) {
        long t0 = System.nanoTime();
        client.call("helper.ping", null);
        if (i >= warmup) {
          micros[i - warmup] = (System.nanoTime() - t0) / 1000;
        }
      }
    } catch (HelperUnreachableException e) {
      out.println(e.getMessage());
      return ExitCodes.NOT_RUNNING;
    }
    Arrays.sort(micros);
    long p50 = micros[micros.length / 2];
    long p99 = micros[Math.min(micros.length - 1, (int) Math.ceil(micros.length * 0.99) - 1)];
    if (options.json) {
      out.println(
          HelperOptions.pretty(
              Json.object()
                  .put("count", micros.length)
                  .put("p50Micros", p50)
                  .put("p99Micros", p99)));
    } else {
      out.printf("%d pings: p50 %d µs, p99 %d µs%n", micros.length, p50, p99);
    }
    return ExitCodes.OK;
  }
}
