package org.sceau.app.server;

import java.io.IOException;

/** Another helper of this user holds the instance lock. */
public final class AlreadyRunningException extends IOException {
  private static final long serialVersionUID = 1L;

  public AlreadyRunningException(String message) {
    super(message);
  }
}
