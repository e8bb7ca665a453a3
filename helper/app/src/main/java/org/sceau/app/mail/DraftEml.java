package org.sceau.app.mail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Locale;
import java.util.Properties;
import org.sceau.app.rpc.Json;

/**
 * A draft written as an ordinary (unencrypted) RFC 5322 message, e.g. {@code sceau mail encrypt <
 * draft.eml}, turned into the draft JSON of {@code mail.encrypt}: From, To, Cc, Bcc, Subject,
 * threading headers, the first text/plain and text/html bodies, and every other leaf as an
 * attachment. Bounded by the caller (the input size) and here (parts, depth).
 */
final class DraftEml {
  private static final int MAX_PARTS = 200;
  private static final int MAX_DEPTH = 16;

  /** Why a draft cannot be read. */
  static final class BadDraft extends Exception {
    private static final long serialVersionUID = 1L;

    BadDraft(String message) {
      super(message);
    }
  }

  private DraftEml() {}

  static ObjectNode toDraft(byte[] eml) throws BadDraft {
    try {
      MimeMessage m =
          new MimeMessage(
              Session.getInstance(new Properties()), new SharedByteArrayInputStream(eml));
      ObjectNode d = Json.object();
      Address[] from = m.getFrom();
      if (from == null || from.length != 1) {
        throw new BadDraft("The draft needs exactly one From address.");
      }
      d.put("from", ((InternetAddress) from[0]).toUnicodeString());
      addresses(d, "to", m.getRecipients(Message.RecipientType.TO));
      addresses(d, "cc", m.getRecipients(Message.RecipientType.CC));
      addresses(d, "bcc", m.getRecipients(Message.RecipientType.BCC));
      if (m.getSubject() != null) {
        d.put("subject", m.getSubject());
      }
      String id = m.getHeader("Message-ID", null);
      if (id != null) {
        d.put("messageId", id.strip());
      }
      String irt = m.getHeader("In-Reply-To", null);
      if (irt != null) {
        d.put("inReplyTo", irt.strip());
      }
      String refs = m.getHeader("References", " ");
      if (refs != null) {
        ArrayNode a = d.putArray("references");
        for (String r : refs.strip().split("\\s+")) {
          if (!r.isEmpty()) {
            a.add(r);
          }
        }
      }
      int[] count = {0};
      walk(m, d, 0, count);
      return d;
    } catch (MessagingException | IOException | RuntimeException e) {
      throw new BadDraft("The draft is not a readable mail message.");
    }
  }

  private static void addresses(ObjectNode d, String field, Address[] list) {
    if (list == null) {
      return;
    }
    ArrayNode a = d.putArray(field);
    for (Address x : list) {
      a.add(x instanceof InternetAddress ia ? ia.toUnicodeString() : x.toString());
    }
  }

  private static void walk(Part p, ObjectNode d, int depth, int[] count)
      throws MessagingException, IOException, BadDraft {
    if (depth > MAX_DEPTH || ++count[0] > MAX_PARTS) {
      throw new BadDraft("The draft has too many parts.");
    }
    if (p.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) p.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        walk(mp.getBodyPart(i), d, depth + 1, count);
      }
      return;
    }
    boolean attachment =
        Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition()) || p.getFileName() != null;
    if (!attachment && p.isMimeType("text/plain") && !d.has("text")) {
      d.put("text", (String) p.getContent());
      return;
    }
    if (!attachment && p.isMimeType("text/html") && !d.has("html")) {
      d.put("html", (String) p.getContent());
      return;
    }
    ArrayNode atts =
        d.has("attachments") ? (ArrayNode) d.get("attachments") : d.putArray("attachments");
    byte[] data;
    try (InputStream in = p.getInputStream()) {
      data = in.readAllBytes();
    }
    String type = p.getContentType() == null ? "application/octet-stream" : p.getContentType();
    int semi = type.indexOf(';');
    atts.addObject()
        .put("fileName", p.getFileName() != null ? p.getFileName() : "attachment-" + atts.size())
        .put(
            "mediaType",
            (semi >= 0 ? type.substring(0, semi) : type).strip().toLowerCase(Locale.ROOT))
        .put("data", Base64.getEncoder().encodeToString(data));
  }
}
