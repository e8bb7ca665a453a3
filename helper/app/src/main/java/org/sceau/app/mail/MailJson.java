package org.sceau.app.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.CertificateStatus;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.SignatureVerdict;
import org.sceau.openpgp.mail.Attachment;
import org.sceau.openpgp.mail.AutocryptPeer;
import org.sceau.openpgp.mail.Draft;
import org.sceau.openpgp.mail.HtmlContent;
import org.sceau.openpgp.mail.MailAddress;
import org.sceau.openpgp.mail.MailException;
import org.sceau.openpgp.mail.MailPart;
import org.sceau.openpgp.mail.PreferEncrypt;
import org.sceau.openpgp.mail.ReadMail;

/** JSON in and out of the keys and mail methods: params are checked and bounded here. */
final class MailJson {
  static final int MAX_RECIPIENTS = 500;
  static final int MAX_TEXT_CHARS = 32 * 1024 * 1024;
  static final int MAX_ATTACHMENTS = 100;

  private MailJson() {}

  static RpcException invalid(String message) {
    return new RpcException(RpcError.INVALID_PARAMS, message);
  }

  static String text(JsonNode p, String field, int max) throws RpcException {
    JsonNode n = p.get(field);
    if (n == null || !n.isTextual() || n.textValue().isEmpty() || n.textValue().length() > max) {
      throw invalid("Give the " + field + " as text of 1 to " + max + " characters.");
    }
    return n.textValue();
  }

  static Optional<String> optionalText(JsonNode p, String field, int max) throws RpcException {
    JsonNode n = p.get(field);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual() || n.textValue().length() > max) {
      throw invalid("The " + field + " must be text of at most " + max + " characters.");
    }
    return Optional.of(n.textValue());
  }

  static byte[] base64(JsonNode p, String field) throws RpcException {
    String s = text(p, field, Integer.MAX_VALUE);
    try {
      return Base64.getDecoder().decode(s.replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      throw invalid("The " + field + " must be base64.");
    }
  }

  static String fingerprint(JsonNode p) throws RpcException {
    String fp = text(p, "fingerprint", 200).replace(" ", "").toUpperCase(Locale.ROOT);
    if (!fp.matches("[0-9A-F]{40}|[0-9A-F]{64}")) {
      throw invalid("A fingerprint is 40 or 64 hexadecimal characters.");
    }
    return fp;
  }

  /** {@code "Name <a@b>"}, {@code "a@b"} or {@code {name, address}}. */
  static MailAddress address(JsonNode n, String field) throws RpcException {
    if (n != null && n.isObject()) {
      JsonNode a = n.get("address");
      JsonNode name = n.get("name");
      if (a == null || !a.isTextual()) {
        throw invalid("Each " + field + " address needs an address.");
      }
      try {
        return MailAddress.of(
            name != null && name.isTextual() ? name.textValue() : null, a.textValue());
      } catch (IllegalArgumentException e) {
        throw invalid("The " + field + " address is not a mail address.");
      }
    }
    if (n == null || !n.isTextual() || n.textValue().length() > 2000) {
      throw invalid("Give the " + field + " address as text, e.g. \"Alice <alice@example.org>\".");
    }
    List<MailAddress> list;
    try {
      list = MailAddress.parseList(n.textValue());
    } catch (MailException | IllegalArgumentException e) {
      throw invalid("The " + field + " address is not a mail address.");
    }
    if (list.size() != 1) {
      throw invalid("Give exactly one address per " + field + " entry.");
    }
    return list.get(0);
  }

  static List<MailAddress> addresses(JsonNode p, String field) throws RpcException {
    JsonNode n = p.get(field);
    List<MailAddress> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray() || n.size() > MAX_RECIPIENTS) {
      throw invalid(
          "The " + field + " must be a list of at most " + MAX_RECIPIENTS + " addresses.");
    }
    for (JsonNode a : n) {
      out.add(address(a, field));
    }
    return out;
  }

  /** The composer's data: {@code params.draft} or the params themselves. */
  static Draft draft(JsonNode params) throws RpcException {
    JsonNode p = params.has("draft") ? params.get("draft") : params;
    if (p == null || !p.isObject()) {
      throw invalid("Give the draft as an object.");
    }
    MailAddress from = address(p.get("from"), "from");
    List<MailAddress> to = addresses(p, "to");
    List<MailAddress> cc = addresses(p, "cc");
    List<MailAddress> bcc = addresses(p, "bcc");
    if (to.size() + cc.size() + bcc.size() == 0) {
      throw invalid("The draft has no recipient.");
    }
    Optional<String> textBody = optionalText(p, "text", MAX_TEXT_CHARS);
    Optional<String> html = optionalText(p, "html", MAX_TEXT_CHARS);
    if (textBody.isEmpty() && html.isEmpty()) {
      textBody = Optional.of("");
    }
    List<Attachment> atts = new ArrayList<>();
    JsonNode an = p.get("attachments");
    if (an != null && !an.isNull()) {
      if (!an.isArray() || an.size() > MAX_ATTACHMENTS) {
        throw invalid("The attachments must be a list of at most " + MAX_ATTACHMENTS + ".");
      }
      for (JsonNode a : an) {
        if (!a.isObject()) {
          throw invalid("Each attachment is {fileName, mediaType, data (base64)}.");
        }
        String name = text(a, "fileName", 1000);
        String type = optionalText(a, "mediaType", 200).orElse("application/octet-stream");
        byte[] data = base64(a, "data");
        atts.add(new Attachment(name, type, () -> new ByteArrayInputStream(data)));
      }
    }
    Optional<String> inReplyTo = optionalText(p, "inReplyTo", 1000).map(MailJson::unbracket);
    List<String> refs = new ArrayList<>();
    JsonNode rn = p.get("references");
    if (rn != null && !rn.isNull()) {
      if (!rn.isArray() || rn.size() > 1000) {
        throw invalid("The references must be a list of message ids.");
      }
      for (JsonNode r : rn) {
        if (!r.isTextual() || r.textValue().length() > 1000) {
          throw invalid("Each reference is a message id.");
        }
        refs.add(unbracket(r.textValue()));
      }
    }
    Optional<MailAddress> replyTo =
        p.hasNonNull("replyTo")
            ? Optional.of(address(p.get("replyTo"), "replyTo"))
            : Optional.empty();
    String subject = optionalText(p, "subject", 10_000).orElse("");
    return new Draft(
        from,
        to,
        cc,
        bcc,
        replyTo,
        subject,
        textBody,
        html,
        atts,
        inReplyTo,
        refs,
        optionalText(p, "messageId", 1000).map(MailJson::unbracket),
        Optional.empty());
  }

  private static String unbracket(String id) {
    String s = id.strip();
    if (s.startsWith("<") && s.endsWith(">")) {
      s = s.substring(1, s.length() - 1);
    }
    return s;
  }

  static ObjectNode certificate(Certificate c, boolean secret, boolean verified) {
    ObjectNode o = Json.object().put("fingerprint", c.fingerprint());
    ArrayNode u = o.putArray("userIds");
    c.userIds().forEach(u::add);
    CertificateStatus s = c.status();
    o.put("version", c.version())
        .put("secret", secret)
        .put("verified", verified)
        .put("canEncrypt", s.canEncrypt())
        .put("canSign", s.canSign());
    s.expires().ifPresent(e -> o.put("expires", e.toString()));
    s.problem().ifPresent(pr -> o.put("problem", pr));
    return o;
  }

  static String armored(Certificate c) throws OpenPgpException {
    return new String(c.encoded(Encoding.ARMORED), java.nio.charset.StandardCharsets.US_ASCII);
  }

  static ObjectNode readMail(ReadMail m, VaultKeyRing ring) {
    ObjectNode o =
        Json.object()
            .put("kind", m.kind().name())
            .put("encrypted", m.encrypted())
            .put("signatureStatus", m.signatureStatus().name())
            .put("signedBySender", m.signedBySender())
            .put("subject", m.subject());
    ArrayNode sigs = o.putArray("signatures");
    for (SignatureVerdict v : m.signatures()) {
      ObjectNode s = sigs.addObject().put("status", v.status().name()).put("keyId", v.keyId());
      v.certificateFingerprint()
          .ifPresent(fp -> s.put("fingerprint", fp).put("signerVerified", ring.isVerified(fp)));
      v.created().ifPresent(c -> s.put("created", c.toString()));
      s.put("detail", v.detail());
    }
    m.text().ifPresent(t -> o.put("text", t));
    // Remote content never reaches the add-on: scripts, handlers, forms, frames, remote images
    // and URL-loading styles are stripped here (cid: images stay).
    m.safeHtml()
        .ifPresent(
            safe ->
                o.put("html", safe.html())
                    .put("remoteContentRemoved", safe.remoteContentRemoved()));
    m.protectedHeaders()
        .ifPresent(
            ph -> {
              ObjectNode h = o.putObject("protectedHeaders").put("scheme", ph.scheme().name());
              ObjectNode f = h.putObject("fields");
              for (Map.Entry<String, List<String>> e : ph.fields().entrySet()) {
                ArrayNode a = f.putArray(e.getKey());
                e.getValue().forEach(a::add);
              }
            });
    ArrayNode atts = o.putArray("attachments");
    for (MailPart p : m.attachments()) {
      byte[] c = p.content();
      ObjectNode a = atts.addObject();
      a.put("fileName", p.fileName().orElse("attachment"))
          .put("mediaType", p.mediaType())
          .put("size", c.length)
          .put("data", Base64.getEncoder().encodeToString(c));
    }
    // Keys attached to the mail (Thunderbird attaches the sender's as OpenPGP_0x….asc): listed for
    // the user to import with keys.import; nothing is stored from here.
    ArrayNode keys = o.putArray("attachedKeys");
    for (MailPart p : m.attachments()) {
      boolean keyType = p.mediaType().equals("application/pgp-keys");
      boolean ascName =
          p.fileName().map(f -> f.toLowerCase(Locale.ROOT).endsWith(".asc")).orElse(false);
      if (!keyType && !ascName) {
        continue;
      }
      byte[] c = p.content();
      if (!keyType
          && !new String(c, 0, Math.min(c.length, 200), java.nio.charset.StandardCharsets.US_ASCII)
              .contains("BEGIN PGP PUBLIC KEY BLOCK")) {
        continue;
      }
      try {
        for (Certificate cert : Keys.readCertificates(new ByteArrayInputStream(c))) {
          keys.add(
              certificate(cert, false, ring.isVerified(cert.fingerprint()))
                  .put("known", ring.certificate(cert.fingerprint()).isPresent())
                  .put("fileName", p.fileName().orElse("")));
        }
      } catch (OpenPgpException | RuntimeException e) {
        // not a readable key: it stays an ordinary attachment
      }
    }
    // Parts that came outside the encryption (a list footer): apart, labelled, never merged.
    ArrayNode outside = o.putArray("unencryptedParts");
    for (MailPart p : m.unencryptedParts()) {
      ObjectNode u = outside.addObject().put("mediaType", p.mediaType()).put("encrypted", false);
      p.fileName().ifPresent(f -> u.put("fileName", f));
      u.put("size", p.content().length);
      if (p.mediaType().equals("text/html")) {
        u.put("text", HtmlContent.sanitize(p.text()).html());
      } else if (p.mediaType().startsWith("text/")) {
        u.put("text", p.text());
      } else {
        u.put("data", Base64.getEncoder().encodeToString(p.content()));
      }
    }
    m.autocrypt()
        .ifPresent(
            a ->
                o.putObject("autocrypt")
                    .put("addr", a.addr())
                    .put("preferEncrypt", a.preferEncrypt().name().toLowerCase(Locale.ROOT)));
    return o;
  }

  // ---- Autocrypt peer state as stored in the vault

  static byte[] encodePeer(AutocryptPeer p) throws OpenPgpException {
    ObjectNode o = Json.object().put("addr", p.addr()).put("lastSeen", p.lastSeen().toString());
    p.autocryptTimestamp().ifPresent(t -> o.put("autocryptTimestamp", t.toString()));
    if (p.publicKey().isPresent()) {
      o.put(
          "publicKey",
          Base64.getEncoder().encodeToString(p.publicKey().get().encoded(Encoding.BINARY)));
    }
    o.put("preferEncrypt", p.preferEncrypt().name());
    p.gossipTimestamp().ifPresent(t -> o.put("gossipTimestamp", t.toString()));
    if (p.gossipKey().isPresent()) {
      o.put(
          "gossipKey",
          Base64.getEncoder().encodeToString(p.gossipKey().get().encoded(Encoding.BINARY)));
    }
    try {
      return Json.MAPPER.writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static AutocryptPeer decodePeer(byte[] data) {
    try {
      JsonNode o = Json.MAPPER.readTree(data);
      return new AutocryptPeer(
          o.get("addr").textValue(),
          Instant.parse(o.get("lastSeen").textValue()),
          instant(o, "autocryptTimestamp"),
          cert(o, "publicKey"),
          PreferEncrypt.valueOf(o.get("preferEncrypt").textValue()),
          instant(o, "gossipTimestamp"),
          cert(o, "gossipKey"));
    } catch (java.io.IOException | RuntimeException | OpenPgpException e) {
      // Written by encodePeer only: unreadable means a corrupt record.
      throw new IllegalStateException("stored Autocrypt state unreadable", e);
    }
  }

  private static Optional<Instant> instant(JsonNode o, String f) {
    return o.hasNonNull(f) ? Optional.of(Instant.parse(o.get(f).textValue())) : Optional.empty();
  }

  private static Optional<Certificate> cert(JsonNode o, String f) throws OpenPgpException {
    if (!o.hasNonNull(f)) {
      return Optional.empty();
    }
    return Optional.of(Keys.readCertificate(Base64.getDecoder().decode(o.get(f).textValue())));
  }
}
