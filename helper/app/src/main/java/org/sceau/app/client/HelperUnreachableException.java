package org.sceau.app.client;

import java.io.IOException;
import java.nio.file.Path;

/** Nothing answers on the helper's socket: it is not running, or runs under another path. */
public final class HelperUnreachableException extends IOException {
  private static final long serialVersionUID = 1L;

  public HelperUnreachableException(Path socket, Throwable cause) {
    super("The Sceau helper is not running (nothing listens on " + socket + ").", cause);
  }
}
