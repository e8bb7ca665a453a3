package org.sceau.app.cli;

/** The CLI's documented exit codes (docs/rpc.md and `sceau --help`). */
public final class ExitCodes {
  public static final int OK = 0;

  /** The helper answered with an error, or an operation failed. */
  public static final int FAILED = 1;

  /** The command line was wrong. */
  public static final int USAGE = 2;

  /** The helper is not running (and the command does not start it). */
  public static final int NOT_RUNNING = 3;

  /** Another helper already runs (`start --foreground`). */
  public static final int ALREADY_RUNNING = 4;

  private ExitCodes() {}
}
