package org.sceau.openpgp.mail;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the composer has: sender, recipients, subject, a plain and/or HTML body, attachments and the
 * threading headers. {@code messageId} and {@code date} are chosen at compose time when empty.
 * {@code messageId} and the entries of {@code references} are written inside angle brackets.
 */
public record Draft(
    MailAddress from,
    List<MailAddress> to,
    List<MailAddress> cc,
    List<MailAddress> bcc,
    Optional<MailAddress> replyTo,
    String subject,
    Optional<String> plainText,
    Optional<String> html,
    List<Attachment> attachments,
    Optional<String> inReplyTo,
    List<String> references,
    Optional<String> messageId,
    Optional<Instant> date) {

  public Draft {
    Objects.requireNonNull(from, "from");
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    bcc = List.copyOf(bcc);
    Objects.requireNonNull(replyTo, "replyTo");
    subject = subject == null ? "" : subject;
    Objects.requireNonNull(plainText, "plainText");
    Objects.requireNonNull(html, "html");
    attachments = List.copyOf(attachments);
    Objects.requireNonNull(inReplyTo, "inReplyTo");
    references = List.copyOf(references);
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(date, "date");
  }

  /** A plain-text draft to the given recipients; use the {@code with…} methods for the rest. */
  public static Draft of(MailAddress from, List<MailAddress> to, String subject, String text) {
    return new Draft(
        from,
        to,
        List.of(),
        List.of(),
        Optional.empty(),
        subject,
        Optional.of(text),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  public Draft withCc(List<MailAddress> c) {
    return new Draft(
        from,
        to,
        c,
        bcc,
        replyTo,
        subject,
        plainText,
        html,
        attachments,
        inReplyTo,
        references,
        messageId,
        date);
  }

  public Draft withBcc(List<MailAddress> b) {
    return new Draft(
        from,
        to,
        cc,
        b,
        replyTo,
        subject,
        plainText,
        html,
        attachments,
        inReplyTo,
        references,
        messageId,
        date);
  }

  public Draft withHtml(String h) {
    return new Draft(
        from,
        to,
        cc,
        bcc,
        replyTo,
        subject,
        plainText,
        Optional.ofNullable(h),
        attachments,
        inReplyTo,
        references,
        messageId,
        date);
  }

  public Draft withPlainText(String t) {
    return new Draft(
        from,
        to,
        cc,
        bcc,
        replyTo,
        subject,
        Optional.ofNullable(t),
        html,
        attachments,
        inReplyTo,
        references,
        messageId,
        date);
  }

  public Draft withAttachments(List<Attachment> a) {
    return new Draft(
        from,
        to,
        cc,
        bcc,
        replyTo,
        subject,
        plainText,
        html,
        a,
        inReplyTo,
        references,
        messageId,
        date);
  }

  public Draft inReplyTo(String msgId, List<String> refs) {
    return new Draft(
        from,
        to,
        cc,
        bcc,
        replyTo,
        subject,
        plainText,
        html,
        attachments,
        Optional.ofNullable(msgId),
        refs,
        messageId,
        date);
  }

  public Draft withMessageId(String id, Instant when) {
    return new Draft(
        from,
        to,
        cc,
        bcc,
        replyTo,
        subject,
        plainText,
        html,
        attachments,
        inReplyTo,
        references,
        Optional.ofNullable(id),
        Optional.ofNullable(when));
  }

  /** To, Cc and Bcc together: everyone the message is encrypted to, besides the sender. */
  public List<MailAddress> allRecipients() {
    return java.util.stream.Stream.of(to, cc, bcc).flatMap(List::stream).toList();
  }
}
