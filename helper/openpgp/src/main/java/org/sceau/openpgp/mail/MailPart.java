package org.sceau.openpgp.mail;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One node of a message's MIME tree: a leaf with its content (transfer encoding already undone,
 * still in its charset), or a multipart with children.
 */
public record MailPart(
    String mediaType,
    Optional<String> charset,
    Optional<String> fileName,
    boolean attachment,
    byte[] content,
    List<MailPart> children) {

  public MailPart {
    content = content.clone();
    children = List.copyOf(children);
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  public boolean isMultipart() {
    return mediaType.startsWith("multipart/");
  }

  /** The content as text, decoded with its charset (UTF-8 when absent or unknown). */
  public String text() {
    Charset cs = StandardCharsets.UTF_8;
    if (charset.isPresent()) {
      try {
        cs = Charset.forName(charset.get());
      } catch (RuntimeException e) {
        // an unknown or illegal charset name: UTF-8 is the best guess for mail today
      }
    }
    return new String(content, cs);
  }

  /** This part and all its descendants, depth first. */
  public List<MailPart> flatten() {
    List<MailPart> out = new ArrayList<>();
    out.add(this);
    for (MailPart c : children) {
      out.addAll(c.flatten());
    }
    return out;
  }

  @Override
  public String toString() {
    return "MailPart["
        + mediaType
        + (fileName.map(f -> " " + f).orElse(""))
        + ", "
        + content.length
        + " bytes, "
        + children.size()
        + " children]";
  }
}
