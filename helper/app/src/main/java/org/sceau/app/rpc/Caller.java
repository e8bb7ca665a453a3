package org.sceau.app.rpc;

/**
 * Who is at the other end of a connection. The bridge declares itself with {@code helper.hello} as
 * its first frame, before any frame from Thunderbird can reach the helper, so the add-on can never
 * claim to be the CLI.
 */
public enum Caller {
  /** The {@code sceau} command line or another tool of the user's. */
  CLI,
  /** The Thunderbird add-on, through {@code sceau-bridge}. */
  ADDON
}
