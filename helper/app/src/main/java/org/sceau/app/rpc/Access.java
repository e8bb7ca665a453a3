package org.sceau.app.rpc;

/** Which callers may use a method. */
public enum Access {
  ANY,
  /** Only the local CLI: the add-on must not be able to, say, stop the helper. */
  CLI_ONLY
}
