package org.sceau.openpgp.mail;

import static java.nio.charset.StandardCharsets.US_ASCII;

import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.DecryptionResult;
import org.sceau.openpgp.KeyRing;
import org.sceau.openpgp.MessageDecryptor;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SecretKey;
import org.sceau.openpgp.SignatureStatus;
import org.sceau.openpgp.SignatureVerdict;
import org.sceau.openpgp.SignatureVerifier;

/**
 * Reads a received message (raw bytes as {@code messages.getRaw} gives them, {@code
 * X-Mozilla-Status} lines and an mbox {@code From } line tolerated): detects PGP/MIME encrypted
 * (RFC 3156 §6.1 nested and §6.2 combined signatures, and Exchange's mangled {@code
 * multipart/mixed} form), PGP/MIME signed and inline PGP, decrypts and verifies through the engine,
 * and returns the MIME tree, the protected headers (RFC 9788 {@code hp=} and the older {@code
 * protected-headers="v1"}) and the signature verdict.
 *
 * <p>Security guarantees: decrypted content is never combined with parts that were outside the
 * encryption. Parts appended after a complete PGP/MIME envelope (a mailing list's footer) come back
 * apart in {@link ReadMail#unencryptedParts()}; any other mix (the EFAIL "direct exfiltration"
 * shape with text before the ciphertext, or text around an inline armored block) is refused with
 * {@link MailError#MIXED_ENCRYPTED_CONTENT} and nothing is decrypted. Inline PGP sent as a client's
 * fallback (an armored body and {@code .pgp} attachments) is read part by part, with one verdict
 * that is GOOD only when every part is. Decryption failures are explicit ({@link OpenPgpException},
 * e.g. {@code INTEGRITY_PROTECTION_MISSING} for ciphertext without MDC), and no partial plaintext
 * is returned. Every size is bounded by {@link MailLimits}. Protected headers of signed-only mail
 * are only reported when the signature is good.
 *
 * <pre>{@code
 * ReadMail m = MailReader.builder().withKeyRing(ring, pass).build().read(raw);
 * m.subject(); m.text(); m.signatureStatus();
 * }</pre>
 */
public final class MailReader {
  private static final String BEGIN_MESSAGE = "-----BEGIN PGP MESSAGE-----";
  private static final String END_MESSAGE = "-----END PGP MESSAGE-----";
  private static final List<String> PROTECTABLE =
      List.of(
          "subject",
          "from",
          "to",
          "cc",
          "reply-to",
          "date",
          "message-id",
          "in-reply-to",
          "references",
          "followup-to",
          "keywords",
          "comments");

  private final List<SecretKey> keys;
  private final List<Passphrase> passphrases;
  private final List<Certificate> verifiers;
  private final MailLimits limits;
  private final Session session;

  private MailReader(Builder b) {
    this.keys = List.copyOf(b.keys);
    this.passphrases = List.copyOf(b.passphrases);
    this.verifiers = List.copyOf(b.verifiers);
    this.limits = b.limits;
    Properties p = new Properties();
    p.setProperty("mail.mime.address.strict", "false");
    this.session = Session.getInstance(p);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keys to decrypt with and certificates to verify against. */
  public static final class Builder {
    private final List<SecretKey> keys = new ArrayList<>();
    private final List<Passphrase> passphrases = new ArrayList<>();
    private final List<Certificate> verifiers = new ArrayList<>();
    private MailLimits limits = MailLimits.defaults();

    private Builder() {}

    public Builder withKey(SecretKey key, Passphrase passphrase) {
      keys.add(key);
      passphrases.add(passphrase == null ? Passphrase.none() : passphrase);
      return this;
    }

    public Builder withKeyRing(KeyRing ring, Passphrase passphrase) {
      for (SecretKey k : ring.secretKeys()) {
        withKey(k, passphrase);
      }
      verifiers.addAll(ring.certificates());
      return this;
    }

    public Builder verifyWith(List<Certificate> certs) {
      verifiers.addAll(certs);
      return this;
    }

    public Builder limits(MailLimits l) {
      this.limits = l;
      return this;
    }

    public MailReader build() {
      return new MailReader(this);
    }
  }

  /** Reads at most {@code maxMessageBytes} from {@code in}, then {@link #read(byte[])}. */
  public ReadMail read(InputStream in) throws MailException, OpenPgpException {
    try {
      byte[] raw = in.readNBytes((int) limits.maxMessageBytes() + 1);
      return read(raw);
    } catch (IOException e) {
      throw new MailException(MailError.IO_ERROR, "the message cannot be read", e);
    }
  }

  public ReadMail read(byte[] rawMessage) throws MailException, OpenPgpException {
    if (rawMessage.length > limits.maxMessageBytes()) {
      throw new MailException(MailError.TOO_LARGE, "the message is larger than the limit");
    }
    byte[] raw = MimeBytes.stripMboxLine(rawMessage);
    try {
      MimeMessage outer = parse(raw);
      Map<String, List<String>> outerHeaders = headers(outer);
      ContentType ct = contentType(outer);
      Optional<AutocryptHeader> autocrypt = autocryptOf(outer, outerHeaders);
      String outerSubject = decoded(outer.getHeader("Subject", null)).orElse("");

      if (ct.match("multipart/encrypted")) {
        requireProtocol(ct, "application/pgp-encrypted");
        MimeMultipart mp = multipart(outer);
        if (mp.getCount() != 2) {
          throw malformed("a PGP/MIME encrypted message must have exactly two parts");
        }
        return decryptPayload(mp.getBodyPart(1), outerHeaders, outerSubject, autocrypt);
      }
      if (ct.match("multipart/signed")) {
        requireProtocol(ct, "application/pgp-signature");
        Signed s = verifySigned(raw, ct);
        return finish(
            MailKind.PGP_MIME_SIGNED,
            false,
            s.status,
            s.verdicts,
            s.entity,
            outerHeaders,
            outerSubject,
            autocrypt,
            List.of(),
            s.status == SignatureStatus.GOOD);
      }
      Optional<ReadMail> withFooter =
          encryptedWithFooter(outer, ct, outerHeaders, outerSubject, autocrypt);
      if (withFooter.isPresent()) {
        return withFooter.get();
      }
      Optional<BodyPart> exchange = exchangeMangled(outer, ct);
      if (exchange.isPresent()) {
        return decryptPayload(exchange.get(), outerHeaders, outerSubject, autocrypt);
      }
      Optional<ReadMail> inlineWithFiles =
          inlineWithFiles(outer, ct, outerHeaders, outerSubject, autocrypt);
      if (inlineWithFiles.isPresent()) {
        return inlineWithFiles.get();
      }
      Optional<String> armored = armoredBody(outer, 0);
      if (armored.isPresent()) {
        return decryptInline(armored.get(), outerHeaders, outerSubject, autocrypt);
      }
      Optional<ReadMail> clear = clearSigned(outer, outerHeaders, outerSubject, autocrypt);
      if (clear.isPresent()) {
        return clear.get();
      }
      // Anything else: plain mail, unless encrypted content hides somewhere inside it.
      int[] count = {0};
      MailPart body = walk(outer, 0, count, true);
      if (holdsEncryptedContent(body)) {
        throw new MailException(
            MailError.MIXED_ENCRYPTED_CONTENT,
            "encrypted content is mixed with unencrypted parts; it was not decrypted (EFAIL"
                + " protection). Ask the sender to send it again as a whole encrypted message");
      }
      return new ReadMail(
          MailKind.PLAIN,
          false,
          SignatureStatus.NOT_SIGNED,
          List.of(),
          false,
          Optional.empty(),
          outerSubject,
          outerHeaders,
          body,
          autocrypt,
          List.of());
    } catch (MessagingException e) {
      throw malformed("the message is not valid MIME", e);
    } catch (IOException e) {
      throw limitOr(e);
    } catch (RuntimeException e) {
      // Jakarta Mail signals some malformations (bad encodings, broken parameters) unchecked; for
      // untrusted input every one of them is a malformed message, never a crash of the caller
      throw malformed("the message is not valid MIME", e);
    }
  }

  // ---- encrypted

  private ReadMail decryptPayload(
      Part encryptedPart,
      Map<String, List<String>> outerHeaders,
      String outerSubject,
      Optional<AutocryptHeader> autocrypt)
      throws MailException, OpenPgpException, MessagingException, IOException {
    byte[] ciphertext = leafBytes(encryptedPart, limits.maxMessageBytes());
    Decrypted d = decrypt(ciphertext);
    MimeMessage inner = parse(d.plain);
    ContentType ict = contentType(inner);
    SignatureStatus status = d.result.signatureStatus();
    List<SignatureVerdict> verdicts = d.result.signatures();
    MimeMessage entity = inner;
    if (ict.match("multipart/signed")) {
      // RFC 3156 §6.1: a multipart/signed inside the encryption
      requireProtocol(ict, "application/pgp-signature");
      Signed s = verifySigned(d.plain, ict);
      entity = s.entity;
      if (status == SignatureStatus.NOT_SIGNED) {
        status = s.status;
        verdicts = s.verdicts;
      }
    }
    boolean encrypted = d.result.encrypted();
    List<AutocryptHeader> gossip = new ArrayList<>();
    for (String v : encrypted ? values(entity, "Autocrypt-Gossip") : List.<String>of()) {
      try {
        gossip.add(AutocryptHeader.parse(v));
      } catch (MailException e) {
        // an invalid gossip header is ignored, as the spec says
      }
    }
    // a "multipart/encrypted" whose payload is only signed is reported as not encrypted, and its
    // headers count only with a good signature
    return finish(
        MailKind.PGP_MIME_ENCRYPTED,
        encrypted,
        status,
        verdicts,
        entity,
        outerHeaders,
        outerSubject,
        autocrypt,
        gossip,
        encrypted || status == SignatureStatus.GOOD);
  }

  private ReadMail decryptInline(
      String armored,
      Map<String, List<String>> outerHeaders,
      String outerSubject,
      Optional<AutocryptHeader> autocrypt)
      throws MailException, OpenPgpException {
    Decrypted d = decrypt(armored.getBytes(US_ASCII));
    MailPart body =
        new MailPart(
            "text/plain", Optional.of("UTF-8"), Optional.empty(), false, d.plain, List.of());
    return new ReadMail(
        MailKind.INLINE_PGP,
        d.result.encrypted(),
        d.result.signatureStatus(),
        d.result.signatures(),
        signedBySender(d.result.signatures(), outerHeaders.get("from")),
        Optional.empty(),
        outerSubject,
        outerHeaders,
        body,
        autocrypt,
        List.of());
  }

  /**
   * A PGP/MIME message with unencrypted parts appended after it, as mailing lists do with their
   * footer: {@code multipart/mixed} whose first part is a complete {@code multipart/encrypted} and
   * whose other parts are single parts holding no encrypted content. The envelope is decrypted as
   * usual; the appended parts come back separately in {@link ReadMail#unencryptedParts()}, never
   * merged. Anything before the envelope (the EFAIL direct-exfiltration shape opens an HTML
   * attribute there) is not this shape and stays refused.
   */
  private Optional<ReadMail> encryptedWithFooter(
      MimeMessage m,
      ContentType ct,
      Map<String, List<String>> outerHeaders,
      String outerSubject,
      Optional<AutocryptHeader> autocrypt)
      throws MessagingException, IOException, MailException, OpenPgpException {
    if (!ct.match("multipart/mixed")) {
      return Optional.empty();
    }
    MimeMultipart mp = multipart(m);
    int n = mp.getCount();
    if (n < 2 || n > limits.maxParts()) {
      return Optional.empty();
    }
    BodyPart first = mp.getBodyPart(0);
    ContentType fct = contentType(first);
    if (!fct.match("multipart/encrypted")) {
      return Optional.empty();
    }
    requireProtocol(fct, "application/pgp-encrypted");
    MimeMultipart envelope = multipart(first);
    if (envelope.getCount() != 2) {
      return Optional.empty();
    }
    List<MailPart> outside = new ArrayList<>();
    int[] count = {0};
    for (int i = 1; i < n; i++) {
      BodyPart p = mp.getBodyPart(i);
      if (contentType(p).getPrimaryType().equalsIgnoreCase("multipart")) {
        return Optional.empty();
      }
      MailPart part = walk(p, 1, count, false);
      if (holdsEncryptedContent(part)) {
        return Optional.empty();
      }
      outside.add(part);
    }
    ReadMail r = decryptPayload(envelope.getBodyPart(1), outerHeaders, outerSubject, autocrypt);
    return Optional.of(r.withUnencryptedParts(outside));
  }

  /**
   * Inline PGP with attachments, as a client sends it when it cannot send PGP/MIME (and as {@link
   * MailComposer#encryptInline} makes it): {@code multipart/mixed} whose first part is a text body
   * that is exactly one armored message and whose other parts are all {@code .pgp} / {@code .gpg}
   * files. Anything else in the message means it is not this shape (and the mixed-content check
   * decides). Every part is decrypted; the verdict is GOOD only when every part is signed GOOD.
   */
  private Optional<ReadMail> inlineWithFiles(
      MimeMessage m,
      ContentType ct,
      Map<String, List<String>> outerHeaders,
      String outerSubject,
      Optional<AutocryptHeader> autocrypt)
      throws MessagingException, IOException, MailException, OpenPgpException {
    if (!ct.match("multipart/mixed")) {
      return Optional.empty();
    }
    MimeMultipart mp = multipart(m);
    int n = mp.getCount();
    if (n < 1 || n > limits.maxParts()) {
      return Optional.empty();
    }
    Optional<String> armored = armoredBody(mp.getBodyPart(0), 0);
    if (armored.isEmpty()) {
      return Optional.empty();
    }
    String t = armored.get();
    List<BodyPart> files = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      BodyPart p = mp.getBodyPart(i);
      String name = null;
      try {
        name = p.getFileName();
      } catch (MessagingException | RuntimeException e) {
        // no usable name: not a .pgp file
      }
      String lower = name == null ? "" : decoded(name).orElse(name).toLowerCase(Locale.ROOT);
      if (contentType(p).getPrimaryType().equalsIgnoreCase("multipart")
          || !(lower.endsWith(".pgp") || lower.endsWith(".gpg"))
          || lower.length() <= 4) {
        return Optional.empty();
      }
      files.add(p);
      String full = decoded(name).orElse(name);
      names.add(full.substring(0, full.length() - 4));
    }
    Decrypted body = decrypt(t.getBytes(US_ASCII));
    List<SignatureVerdict> verdicts = new ArrayList<>(body.result.signatures());
    List<SignatureStatus> statuses = new ArrayList<>(List.of(body.result.signatureStatus()));
    boolean encrypted = body.result.encrypted();
    long total = body.plain.length;
    List<MailPart> children = new ArrayList<>();
    children.add(
        new MailPart(
            "text/plain", Optional.of("UTF-8"), Optional.empty(), false, body.plain, List.of()));
    for (int i = 0; i < files.size(); i++) {
      Decrypted d = decrypt(leafBytes(files.get(i), limits.maxMessageBytes()));
      total += d.plain.length;
      if (total > limits.maxDecryptedBytes()) {
        throw new MailException(
            MailError.TOO_LARGE, "the decrypted message is larger than the limit");
      }
      verdicts.addAll(d.result.signatures());
      statuses.add(d.result.signatureStatus());
      encrypted &= d.result.encrypted();
      children.add(
          new MailPart(
              "application/octet-stream",
              Optional.empty(),
              Optional.of(names.get(i)),
              true,
              d.plain,
              List.of()));
    }
    // One verdict for the whole message: a good body signature does not vouch for an unsigned or
    // badly signed attachment.
    SignatureStatus status = SignatureStatus.GOOD;
    for (SignatureStatus s : statuses) {
      if (s != SignatureStatus.GOOD) {
        status = s;
        break;
      }
    }
    boolean bySender =
        status == SignatureStatus.GOOD
            && signedBySender(body.result.signatures(), outerHeaders.get("from"));
    return Optional.of(
        new ReadMail(
            MailKind.INLINE_PGP,
            encrypted,
            status,
            verdicts,
            bySender,
            Optional.empty(),
            outerSubject,
            outerHeaders,
            new MailPart(
                "multipart/mixed",
                Optional.empty(),
                Optional.empty(),
                false,
                new byte[0],
                children),
            autocrypt,
            List.of()));
  }

  /**
   * The body as exactly one armored message, nothing else: a text/plain part; a text/html part
   * whose text is (webmail and HTML composers wrap it in {@code <pre>} or line breaks); or a
   * multipart/alternative whose every alternative is (the text/plain one is used). Anything more in
   * the body means it is not inline PGP (and the mixed-content check decides).
   */
  private Optional<String> armoredBody(Part p, int depth)
      throws MessagingException, IOException, MailException {
    if (Part.ATTACHMENT.equalsIgnoreCase(disposition(p))) {
      return Optional.empty();
    }
    ContentType ct = contentType(p);
    if (ct.match("text/plain")) {
      return singleArmored(new String(leafBytes(p, limits.maxMessageBytes()), charset(ct)));
    }
    if (ct.match("text/html")) {
      String html = new String(leafBytes(p, limits.maxMessageBytes()), charset(ct));
      if (!html.contains(BEGIN_MESSAGE)) {
        return Optional.empty();
      }
      return singleArmored(HtmlContent.toText(html));
    }
    if (ct.match("multipart/alternative") && depth == 0) {
      MimeMultipart mp = multipart(p);
      if (mp.getCount() < 1 || mp.getCount() > 3) {
        return Optional.empty();
      }
      String chosen = null;
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart c = mp.getBodyPart(i);
        ContentType cct = contentType(c);
        if (!cct.match("text/plain") && !cct.match("text/html")) {
          return Optional.empty();
        }
        Optional<String> a = armoredBody(c, depth + 1);
        if (a.isEmpty()) {
          return Optional.empty();
        }
        if (chosen == null || cct.match("text/plain")) {
          chosen = a.get();
        }
      }
      return Optional.ofNullable(chosen);
    }
    return Optional.empty();
  }

  private static final String BEGIN_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----";
  private static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";

  /**
   * A text/plain body that is exactly one cleartext-signed message (RFC 9580 section 7), as the
   * signed-only inline fallback sends it; the verdict covers that text. A format=flowed body has
   * its space-stuffing undone first (RFC 3676 section 4.4), as Thunderbird stuffs when it sends.
   */
  private Optional<ReadMail> clearSigned(
      Part p,
      Map<String, List<String>> outerHeaders,
      String outerSubject,
      Optional<AutocryptHeader> autocrypt)
      throws MessagingException, IOException, MailException, OpenPgpException {
    if (Part.ATTACHMENT.equalsIgnoreCase(disposition(p))) {
      return Optional.empty();
    }
    ContentType ct = contentType(p);
    if (!ct.match("text/plain")) {
      return Optional.empty();
    }
    String text = new String(leafBytes(p, limits.maxMessageBytes()), charset(ct));
    if ("flowed".equalsIgnoreCase(ct.getParameter("format"))) {
      text = text.replaceAll("(?m)^ ", "");
    }
    String t = text.strip();
    if (!t.startsWith(BEGIN_SIGNED)
        || !t.endsWith(END_SIGNATURE)
        || t.indexOf(BEGIN_SIGNED, 1) >= 0) {
      return Optional.empty();
    }
    org.sceau.openpgp.sop.Cleartext.Parts parts;
    try {
      parts = org.sceau.openpgp.sop.Cleartext.split(t.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      throw malformed("the cleartext-signed text cannot be read", e);
    }
    List<SignatureVerdict> v;
    try {
      v =
          SignatureVerifier.create(verifiers)
              .verify(new ByteArrayInputStream(parts.signed()), parts.signature());
    } catch (OpenPgpException e) {
      if (e.code() == org.sceau.openpgp.OpenPgpError.NO_SIGNATURE) {
        v = List.of();
      } else {
        throw e;
      }
    }
    SignatureStatus st = new DecryptionResult(false, "none", v).signatureStatus();
    if (v.isEmpty()) {
      st = SignatureStatus.BAD;
    }
    MailPart body =
        new MailPart(
            "text/plain", Optional.of("UTF-8"), Optional.empty(), false, parts.text(), List.of());
    return Optional.of(
        new ReadMail(
            MailKind.INLINE_PGP,
            false,
            st,
            v,
            signedBySender(v, outerHeaders.get("from")),
            Optional.empty(),
            outerSubject,
            outerHeaders,
            body,
            autocrypt,
            List.of()));
  }

  private static Optional<String> singleArmored(String text) {
    String t = text.strip();
    if (t.startsWith(BEGIN_MESSAGE) && t.endsWith(END_MESSAGE) && t.indexOf(BEGIN_MESSAGE, 1) < 0) {
      return Optional.of(t);
    }
    return Optional.empty();
  }

  private record Decrypted(byte[] plain, DecryptionResult result) {}

  private Decrypted decrypt(byte[] ciphertext) throws MailException, OpenPgpException {
    MessageDecryptor.Builder b = MessageDecryptor.builder().verifyWith(verifiers);
    for (int i = 0; i < keys.size(); i++) {
      b.withKey(keys.get(i), passphrases.get(i));
    }
    Streams.BoundedBuffer out = new Streams.BoundedBuffer(limits.maxDecryptedBytes(), "decrypted");
    try {
      DecryptionResult r = b.build().decrypt(new ByteArrayInputStream(ciphertext), out);
      return new Decrypted(out.toByteArray(), r);
    } catch (OpenPgpException e) {
      // plaintext released before a late integrity failure must not survive
      out.wipe();
      if (causedByLimit(e)) {
        throw new MailException(
            MailError.TOO_LARGE, "the decrypted message is larger than the limit");
      }
      throw e;
    }
  }

  // ---- signed

  private record Signed(
      SignatureStatus status, List<SignatureVerdict> verdicts, MimeMessage entity) {}

  private Signed verifySigned(byte[] entityBytes, ContentType ct)
      throws MailException, OpenPgpException, MessagingException, IOException {
    String boundary = ct.getParameter("boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
      throw malformed("multipart/signed without a usable boundary");
    }
    MimeBytes.Parts parts = MimeBytes.twoParts(entityBytes, boundary);
    if (parts == null) {
      throw malformed("multipart/signed does not have a signed part and a signature");
    }
    MimeMessage sigPart = parse(parts.second());
    if (!contentType(sigPart).match("application/pgp-signature")) {
      throw malformed("the second part of multipart/signed is not application/pgp-signature");
    }
    byte[] sig = leafBytes(sigPart, 1 << 20);
    byte[] signed = MimeBytes.canonical(parts.first());
    List<SignatureVerdict> v;
    try {
      v = SignatureVerifier.create(verifiers).verify(new ByteArrayInputStream(signed), sig);
    } catch (OpenPgpException e) {
      if (e.code() == org.sceau.openpgp.OpenPgpError.NO_SIGNATURE) {
        v = List.of();
      } else {
        throw e;
      }
    }
    SignatureStatus st = new DecryptionResult(false, "none", v).signatureStatus();
    if (v.isEmpty()) {
      st = SignatureStatus.BAD;
    }
    return new Signed(st, v, parse(parts.first()));
  }

  // ---- shared

  private ReadMail finish(
      MailKind kind,
      boolean encrypted,
      SignatureStatus status,
      List<SignatureVerdict> verdicts,
      MimeMessage entity,
      Map<String, List<String>> outerHeaders,
      String outerSubject,
      Optional<AutocryptHeader> autocrypt,
      List<AutocryptHeader> gossip,
      boolean trustProtected)
      throws MessagingException, IOException, MailException {
    Optional<ProtectedHeaders> ph = trustProtected ? protectedHeaders(entity) : Optional.empty();
    int[] count = {0};
    MailPart body = walk(entity, 0, count, ph.isPresent());
    String subject = ph.flatMap(ProtectedHeaders::subject).orElse(outerSubject);
    List<String> from =
        ph.map(h -> h.fields().get("from"))
            .filter(l -> !l.isEmpty())
            .orElse(outerHeaders.get("from"));
    return new ReadMail(
        kind,
        encrypted,
        status,
        verdicts,
        signedBySender(verdicts, from),
        ph,
        subject,
        outerHeaders,
        body,
        autocrypt,
        gossip);
  }

  /** A good signature whose certificate carries the single From address as a user ID. */
  private boolean signedBySender(List<SignatureVerdict> verdicts, List<String> fromValues) {
    if (fromValues == null || fromValues.size() != 1) {
      return false;
    }
    List<MailAddress> from;
    try {
      from = MailAddress.parseList(fromValues.get(0));
    } catch (MailException | IllegalArgumentException e) {
      return false;
    }
    if (from.size() != 1) {
      return false;
    }
    String addr = from.get(0).canonical();
    for (SignatureVerdict v : verdicts) {
      if (!v.isGood() || v.certificateFingerprint().isEmpty()) {
        continue;
      }
      for (Certificate c : verifiers) {
        if (!c.fingerprint().equals(v.certificateFingerprint().get())) {
          continue;
        }
        for (String uid : c.userIds()) {
          if (uidAddress(uid).equals(addr)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String uidAddress(String uid) {
    int lt = uid.lastIndexOf('<');
    int gt = uid.lastIndexOf('>');
    String a = lt >= 0 && gt > lt ? uid.substring(lt + 1, gt) : uid;
    return a.strip().toLowerCase(Locale.ROOT);
  }

  private Optional<ProtectedHeaders> protectedHeaders(MimeMessage e) throws MessagingException {
    ContentType ct = contentType(e);
    String hp = ct.getParameter("hp");
    HeaderProtection scheme;
    if ("cipher".equalsIgnoreCase(hp)) {
      scheme = HeaderProtection.RFC9788_CIPHER;
    } else if ("clear".equalsIgnoreCase(hp)) {
      scheme = HeaderProtection.RFC9788_CLEAR;
    } else if ("v1".equalsIgnoreCase(ct.getParameter("protected-headers"))) {
      scheme = HeaderProtection.DRAFT_V1;
    } else {
      return Optional.empty();
    }
    Map<String, List<String>> fields = new LinkedHashMap<>();
    for (String name : PROTECTABLE) {
      String[] vs = e.getHeader(name);
      if (vs != null) {
        List<String> l = new ArrayList<>();
        for (String v : vs) {
          decoded(v).ifPresent(l::add);
        }
        fields.put(name, List.copyOf(l));
      }
    }
    return Optional.of(new ProtectedHeaders(scheme, fields));
  }

  /**
   * The MIME tree below {@code p}. With protected headers, legacy-display parts (RFC 9788 {@code
   * hp-legacy-display="1"}, or the draft's {@code protected-headers} text part) are left out: the
   * headers they repeat are reported properly.
   */
  private MailPart walk(Part p, int depth, int[] count, boolean dropLegacy)
      throws MessagingException, IOException, MailException {
    if (depth > limits.maxDepth()) {
      throw new MailException(MailError.TOO_LARGE, "the message is nested too deeply");
    }
    if (++count[0] > limits.maxParts()) {
      throw new MailException(MailError.TOO_LARGE, "the message has too many parts");
    }
    ContentType ct = contentType(p);
    String type = ct.getBaseType().toLowerCase(Locale.ROOT);
    Optional<String> fileName = Optional.empty();
    try {
      fileName = Optional.ofNullable(p.getFileName()).map(n -> decoded(n).orElse(n));
    } catch (MessagingException | RuntimeException e) {
      // a broken file name parameter: keep the part, without a name
    }
    boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(disposition(p));
    if (type.startsWith("multipart/")) {
      MimeMultipart mp = multipart(p);
      List<MailPart> children = new ArrayList<>();
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart c = mp.getBodyPart(i);
        if (dropLegacy && isLegacyDisplay(c)) {
          continue;
        }
        children.add(walk(c, depth + 1, count, dropLegacy));
      }
      return new MailPart(type, Optional.empty(), fileName, attachment, new byte[0], children);
    }
    return new MailPart(
        type,
        Optional.ofNullable(ct.getParameter("charset")),
        fileName,
        attachment,
        leafBytes(p, limits.maxDecryptedBytes()),
        List.of());
  }

  private static boolean isLegacyDisplay(Part p) throws MessagingException {
    ContentType ct;
    try {
      ct = new ContentType(Optional.ofNullable(p.getContentType()).orElse("text/plain"));
    } catch (ParseException e) {
      return false;
    }
    if ("1".equals(ct.getParameter("hp-legacy-display"))) {
      return true;
    }
    return ct.getParameter("protected-headers") != null
        && (ct.match("text/rfc822-headers") || ct.match("text/plain"));
  }

  /** Encrypted content outside a proper envelope: PGP/MIME parts or armored messages in text. */
  private static boolean holdsEncryptedContent(MailPart body) {
    for (MailPart p : body.flatten()) {
      if (p.mediaType().equals("multipart/encrypted")
          || p.mediaType().equals("application/pgp-encrypted")) {
        return true;
      }
      if (p.mediaType().startsWith("text/") && !p.attachment()) {
        String s = p.text();
        if (s.contains(BEGIN_MESSAGE)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Exchange/Outlook rewrites multipart/encrypted into multipart/mixed: an optional empty text
   * part, then application/pgp-encrypted ("Version: 1"), then the ciphertext. Accepted only in
   * exactly that shape, so no attacker text can ride along.
   */
  private Optional<BodyPart> exchangeMangled(MimeMessage m, ContentType ct)
      throws MessagingException, IOException, MailException {
    if (!ct.match("multipart/mixed")) {
      return Optional.empty();
    }
    MimeMultipart mp = multipart(m);
    int n = mp.getCount();
    int first = 0;
    if (n == 3) {
      BodyPart t = mp.getBodyPart(0);
      if (!contentType(t).match("text/plain")
          || !new String(leafBytes(t, 4096), StandardCharsets.UTF_8).isBlank()) {
        return Optional.empty();
      }
      first = 1;
    } else if (n != 2) {
      return Optional.empty();
    }
    BodyPart version = mp.getBodyPart(first);
    BodyPart data = mp.getBodyPart(first + 1);
    if (!contentType(version).match("application/pgp-encrypted")) {
      return Optional.empty();
    }
    String v = new String(leafBytes(version, 4096), StandardCharsets.US_ASCII);
    if (!v.contains("Version: 1")) {
      return Optional.empty();
    }
    if (!contentType(data).match("application/octet-stream")) {
      return Optional.empty();
    }
    return Optional.of(data);
  }

  private Optional<AutocryptHeader> autocryptOf(MimeMessage m, Map<String, List<String>> h)
      throws MessagingException {
    List<String> from = h.getOrDefault("from", List.of());
    List<MailAddress> addrs;
    try {
      addrs = from.isEmpty() ? List.of() : MailAddress.parseList(from.get(0));
    } catch (MailException | IllegalArgumentException e) {
      return Optional.empty();
    }
    Optional<String> autoSubmitted =
        Optional.ofNullable(h.get("auto-submitted")).flatMap(l -> l.stream().findFirst());
    String ct = Optional.ofNullable(m.getContentType()).orElse("text/plain");
    if (from.size() != 1 || Autocrypt.ignores(autoSubmitted, ct, addrs.size())) {
      return Optional.empty();
    }
    return Autocrypt.selectHeader(values(m, "Autocrypt"), addrs.get(0).address());
  }

  private MimeMessage parse(byte[] bytes) throws MessagingException {
    return new MimeMessage(session, new SharedByteArrayInputStream(bytes));
  }

  private static MimeMultipart multipart(Part p)
      throws MessagingException, IOException, MailException {
    Object c = p.getContent();
    if (c instanceof MimeMultipart mp) {
      return mp;
    }
    throw malformed("a multipart has no readable parts");
  }

  private static ContentType contentType(Part p) throws MessagingException {
    String s = p.getContentType();
    try {
      return new ContentType(s == null ? "text/plain" : s);
    } catch (ParseException e) {
      // RFC 2045: an unreadable Content-Type means text/plain
      return new ContentType("text", "plain", null);
    }
  }

  private static String disposition(Part p) {
    try {
      return p.getDisposition();
    } catch (MessagingException | RuntimeException e) {
      return null;
    }
  }

  private static void requireProtocol(ContentType ct, String protocol) throws MailException {
    String p = ct.getParameter("protocol");
    if (p == null || !p.strip().equalsIgnoreCase(protocol)) {
      throw malformed(ct.getBaseType() + " without protocol=\"" + protocol + "\"");
    }
  }

  /** A leaf part's content with the transfer encoding undone, bounded. */
  private static byte[] leafBytes(Part p, long max)
      throws MessagingException, IOException, MailException {
    try (InputStream in = p.getInputStream()) {
      byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 16));
      if (b.length > max) {
        throw new MailException(MailError.TOO_LARGE, "a part is larger than the limit");
      }
      return b;
    }
  }

  private static java.nio.charset.Charset charset(ContentType ct) {
    String cs = ct.getParameter("charset");
    try {
      return cs == null
          ? StandardCharsets.US_ASCII
          : java.nio.charset.Charset.forName(MimeUtility.javaCharset(cs));
    } catch (RuntimeException e) {
      return StandardCharsets.UTF_8;
    }
  }

  private static List<String> values(MimePart m, String name) throws MessagingException {
    String[] v = m.getHeader(name);
    return v == null ? List.of() : Arrays.asList(v);
  }

  private static Map<String, List<String>> headers(MimeMessage m) throws MessagingException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Enumeration<Header> e = m.getAllHeaders();
    while (e.hasMoreElements()) {
      Header h = e.nextElement();
      out.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(MimeUtility.unfold(h.getValue()));
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return out;
  }

  private static Optional<String> decoded(String v) {
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(MimeUtility.decodeText(MimeUtility.unfold(v)));
    } catch (java.io.UnsupportedEncodingException | RuntimeException e) {
      return Optional.of(MimeUtility.unfold(v));
    }
  }

  private static boolean causedByLimit(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof Streams.LimitExceeded) {
        return true;
      }
    }
    return false;
  }

  private static MailException limitOr(IOException e) {
    if (causedByLimit(e)) {
      return new MailException(MailError.TOO_LARGE, "the message is larger than the limit", e);
    }
    return new MailException(MailError.MALFORMED_MAIL, "the message cannot be read", e);
  }

  private static MailException malformed(String why) {
    return new MailException(MailError.MALFORMED_MAIL, why);
  }

  private static MailException malformed(String why, Throwable cause) {
    return new MailException(MailError.MALFORMED_MAIL, why, cause);
  }
}
