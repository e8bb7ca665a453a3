package org.sceau.openpgp.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A file to attach. {@code source} is opened when the message is written (possibly more than once)
 * and streamed, so attachments of any size never sit in memory.
 */
public record Attachment(String fileName, String mediaType, Source source) {

  /** Opens the attachment's bytes; each call returns a fresh stream from the start. */
  @FunctionalInterface
  public interface Source {
    InputStream open() throws IOException;
  }

  public Attachment {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(source, "source");
    mediaType = mediaType == null || mediaType.isBlank() ? "application/octet-stream" : mediaType;
  }
}
