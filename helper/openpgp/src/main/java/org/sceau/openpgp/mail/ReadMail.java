package org.sceau.openpgp.mail;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sceau.openpgp.SignatureStatus;
import org.sceau.openpgp.SignatureVerdict;

/**
 * A received message as {@link MailReader} understood it. {@code body} is the decrypted (or, for
 * signed and plain mail, the signed or plain) MIME tree; for encrypted mail it holds nothing that
 * was outside the encryption. {@code signedBySender} is true only when a signature is good and its
 * certificate has a user ID with the (protected, else outer) From address: a good signature by
 * someone else is not the sender's. {@code subject} is the protected Subject when there is one,
 * else the outer one. {@code outerHeaders}: the unprotected header fields (lower-case names), for
 * display of what the transport saw. {@code autocrypt} is the sender's single valid Autocrypt
 * header (absent when the message should be ignored for Autocrypt), {@code gossip} the valid
 * Autocrypt-Gossip headers found inside the encryption. {@code unencryptedParts} are parts that
 * came outside the encryption next to it (a mailing list's footer after a PGP/MIME message): never
 * part of {@code body}, to be shown, if at all, apart and labelled as not encrypted.
 */
public record ReadMail(
    MailKind kind,
    boolean encrypted,
    SignatureStatus signatureStatus,
    List<SignatureVerdict> signatures,
    boolean signedBySender,
    Optional<ProtectedHeaders> protectedHeaders,
    String subject,
    Map<String, List<String>> outerHeaders,
    MailPart body,
    Optional<AutocryptHeader> autocrypt,
    List<AutocryptHeader> gossip,
    List<MailPart> unencryptedParts) {

  public ReadMail {
    signatures = List.copyOf(signatures);
    outerHeaders = Map.copyOf(outerHeaders);
    gossip = List.copyOf(gossip);
    unencryptedParts = List.copyOf(unencryptedParts);
  }

  /** A message with nothing outside its protection. */
  public ReadMail(
      MailKind kind,
      boolean encrypted,
      SignatureStatus signatureStatus,
      List<SignatureVerdict> signatures,
      boolean signedBySender,
      Optional<ProtectedHeaders> protectedHeaders,
      String subject,
      Map<String, List<String>> outerHeaders,
      MailPart body,
      Optional<AutocryptHeader> autocrypt,
      List<AutocryptHeader> gossip) {
    this(
        kind,
        encrypted,
        signatureStatus,
        signatures,
        signedBySender,
        protectedHeaders,
        subject,
        outerHeaders,
        body,
        autocrypt,
        gossip,
        List.of());
  }

  /** The same message with {@code parts} found outside the encryption. */
  ReadMail withUnencryptedParts(List<MailPart> parts) {
    return new ReadMail(
        kind,
        encrypted,
        signatureStatus,
        signatures,
        signedBySender,
        protectedHeaders,
        subject,
        outerHeaders,
        body,
        autocrypt,
        gossip,
        parts);
  }

  /** The first text/plain part that is not an attachment. */
  public Optional<String> text() {
    return firstInline("text/plain");
  }

  /**
   * The first text/html part that is not an attachment, as received (not sanitised: remote content
   * is still in it). For display use {@link #safeHtml()}.
   */
  public Optional<String> html() {
    return firstInline("text/html");
  }

  /**
   * The HTML body with everything that would run or load removed ({@link HtmlContent#sanitize}):
   * what a client may show.
   */
  public Optional<HtmlContent.Sanitized> safeHtml() {
    return html().map(HtmlContent::sanitize);
  }

  /** Leaf parts that are attachments (disposition attachment or a file name). */
  public List<MailPart> attachments() {
    return body.flatten().stream()
        .filter(p -> !p.isMultipart() && (p.attachment() || p.fileName().isPresent()))
        .toList();
  }

  private Optional<String> firstInline(String type) {
    return body.flatten().stream()
        .filter(p -> p.mediaType().equals(type) && !p.attachment() && p.fileName().isEmpty())
        .findFirst()
        .map(MailPart::text);
  }
}
