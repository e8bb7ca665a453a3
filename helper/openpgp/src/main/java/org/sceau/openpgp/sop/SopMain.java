package org.sceau.openpgp.sop;

import sop.cli.picocli.SopCLI;

/**
 * {@code sceau sop ...}: the Stateless OpenPGP command line. The picocli frame of sop-java parses
 * the options and maps failures to the spec's exit codes (e.g. 3 no signature, 29 cannot decrypt,
 * 41 bad data, 67 key is protected, 69 unsupported subcommand).
 */
public final class SopMain {
  private SopMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one SOP command and returns its exit code (for in-process callers and tests). */
  public static int run(String... args) {
    SopCLI.EXECUTABLE_NAME = "sceau-sop";
    SopCLI.setSopInstance(new SceauSop());
    return SopCLI.execute(args);
  }
}
