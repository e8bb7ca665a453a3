package org.sceau.openpgp.mail;

import static java.nio.charset.StandardCharsets.US_ASCII;

import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.DetachedSigner;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.MessageEncryptor;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SecretKey;

/**
 * Turns a {@link Draft} into a standard OpenPGP mail, streaming (attachments of any size).
 *
 * <p>{@link #writeEncrypted}: RFC 3156 {@code multipart/encrypted} whose payload is one OpenPGP
 * message that is signed and encrypted (RFC 3156 §6.2, what Thunderbird, Enigmail and SOP produce),
 * to every recipient (To, Cc, Bcc) and to the sender. The payload's root part carries the real
 * headers (RFC 9788 header protection, {@code hp="cipher"}, plus the older {@code
 * protected-headers="v1"} marker that Thunderbird reads), {@code HP-Outer} records of what was sent
 * outside, and {@code Autocrypt-Gossip} for every To/Cc recipient when there are several. The outer
 * Subject is {@code ...}; the sender's {@code Autocrypt:} header goes on the outer message.
 *
 * <p>{@link #writeSigned}: RFC 3156 {@code multipart/signed} ({@code micalg=pgp-sha512}, {@code
 * hp="clear"}). Restriction: attachment sources are opened twice (once to sign, once to write), and
 * must return the same bytes both times.
 *
 * <p>Bcc recipients are not written in any header; they are among the encryption recipients, so
 * their key IDs are visible in the ciphertext to the other recipients (send them a separate copy
 * when that matters).
 *
 * <pre>{@code
 * MailComposer c = MailComposer.builder().signWith(aliceKey, pass)
 *     .recipientKey("bob@example.org", bobCert).autocrypt(PreferEncrypt.MUTUAL).build();
 * c.writeEncrypted(draft, out);
 * }</pre>
 */
public final class MailComposer {
  /** The outer Subject of encrypted mail (what Thunderbird and Enigmail use). */
  public static final String HIDDEN_SUBJECT = "...";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREAMBLE =
      "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)";
  private static final String SIGNED_PREAMBLE =
      "This is an OpenPGP/MIME signed message (RFC 4880 and 3156)";

  private final SecretKey signer;
  private final Passphrase passphrase;
  private final Map<String, Certificate> keys;
  private final PreferEncrypt preferEncrypt;
  private final boolean autocrypt;
  private final Session session = Session.getInstance(new Properties());

  private MailComposer(Builder b) {
    this.signer = b.signer;
    this.passphrase = b.passphrase;
    this.keys = Map.copyOf(b.keys);
    this.preferEncrypt = b.preferEncrypt;
    this.autocrypt = b.autocrypt;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the sender's key and the recipients' certificates. */
  public static final class Builder {
    private SecretKey signer;
    private Passphrase passphrase = Passphrase.none();
    private final Map<String, Certificate> keys = new LinkedHashMap<>();
    private PreferEncrypt preferEncrypt = PreferEncrypt.NOPREFERENCE;
    private boolean autocrypt = true;

    private Builder() {}

    /** The sender's key: signs every message and receives a copy of every encrypted one. */
    public Builder signWith(SecretKey key, Passphrase pass) {
      this.signer = Objects.requireNonNull(key);
      this.passphrase = pass == null ? Passphrase.none() : pass;
      return this;
    }

    /** The certificate to encrypt to (and gossip) for one recipient address. */
    public Builder recipientKey(String address, Certificate cert) {
      keys.put(address.toLowerCase(Locale.ROOT), Objects.requireNonNull(cert));
      return this;
    }

    /** The preference announced in the sender's Autocrypt header (default no preference). */
    public Builder autocrypt(PreferEncrypt p) {
      this.preferEncrypt = Objects.requireNonNull(p);
      this.autocrypt = true;
      return this;
    }

    /** Leave the Autocrypt header out (for an identity that does not take part in Autocrypt). */
    public Builder withoutAutocrypt() {
      this.autocrypt = false;
      return this;
    }

    public MailComposer build() throws MailException {
      if (signer == null) {
        throw new MailException(MailError.INVALID_DRAFT, "no key to sign with was given");
      }
      return new MailComposer(this);
    }
  }

  /**
   * Writes {@code draft} as signed and encrypted PGP/MIME to {@code out} (CRLF line endings,
   * 7-bit). Fails before writing anything when a recipient has no key or the signing key is locked;
   * an I/O failure later (an attachment that cannot be read) leaves partial output, so write to a
   * buffer or file and discard it on error. The result is also the sender's own copy (it is
   * encrypted to the sender too).
   */
  public void writeEncrypted(Draft draft, OutputStream out) throws MailException, OpenPgpException {
    requireUsableSigner();
    Map<String, Certificate> used = recipientCertificates(draft);
    MessageEncryptor enc =
        MessageEncryptor.builder()
            .to(List.copyOf(used.values()))
            .signWith(signer, passphrase)
            .encoding(Encoding.ARMORED)
            .build();
    Fixed f = fix(draft);
    try {
      MimeMessage inner = payload(draft, f, "cipher");
      List<MailAddress> visible = new ArrayList<>(draft.to());
      visible.addAll(draft.cc());
      if (visible.size() > 1) {
        for (MailAddress a : visible) {
          inner.addHeader(
              "Autocrypt-Gossip",
              AutocryptHeader.of(
                      a.address(),
                      PreferEncrypt.NOPREFERENCE,
                      AutocryptKeys.minimal(used.get(a.canonical()), a.address()))
                  .format(false));
        }
      }
      MimeMessage outer = outerHeaders(draft, f, HIDDEN_SUBJECT);
      for (String name : List.of("From", "To", "Cc", "Date", "Subject", "Message-ID")) {
        String v = outer.getHeader(name, ", ");
        if (v != null) {
          inner.addHeader("HP-Outer", name + ": " + MimeUtility.unfold(v));
        }
      }
      String boundary = boundary();
      outer.setHeader(
          "Content-Type",
          "multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n boundary=\""
              + boundary
              + "\"");
      OutputStream o = Streams.crlf(Streams.nonClosing(out));
      writeHeaders(outer, o);
      ascii(o, "\r\n" + PREAMBLE + "\r\n--" + boundary + "\r\n");
      ascii(
          o,
          "Content-Type: application/pgp-encrypted\r\n"
              + "Content-Description: PGP/MIME version identification\r\n\r\n"
              + "Version: 1\r\n\r\n--"
              + boundary
              + "\r\n");
      ascii(
          o,
          "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n"
              + "Content-Description: OpenPGP encrypted message\r\n"
              + "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n");
      try (OutputStream plain = Streams.crlf(enc.open(Streams.nonClosing(o)))) {
        inner.writeTo(plain);
      }
      ascii(o, "\r\n--" + boundary + "--\r\n");
      o.flush();
    } catch (MessagingException e) {
      throw new MailException(MailError.INVALID_DRAFT, "the message cannot be built", e);
    } catch (IOException e) {
      throw ioFailure(e);
    }
  }

  /**
   * {@code draft} as inline PGP (see {@link InlineMail}): the text body (the HTML body turned into
   * text when there is no text body) signed and encrypted as one armored message, each attachment
   * signed and encrypted as its own binary file, all to every recipient and the sender. Fails
   * before encrypting anything when a recipient has no key or the signing key is locked.
   */
  public InlineMail encryptInline(Draft draft) throws MailException, OpenPgpException {
    requireUsableSigner();
    List<Certificate> to = recipientCertificates(draft).values().stream().toList();
    String text =
        draft.plainText().orElseGet(() -> draft.html().map(HtmlContent::toText).orElse(""));
    // Signed as binary over CRLF text: the engine's text mode writes a binary literal packet under
    // a text signature, which GnuPG 2.2 reports as BAD; canonical CRLF gives the same bytes to all.
    String canonical = text.replaceAll("\r?\n", "\r\n");
    MessageEncryptor textEnc =
        MessageEncryptor.builder()
            .to(to)
            .signWith(signer, passphrase)
            .encoding(Encoding.ARMORED)
            .build();
    java.io.ByteArrayOutputStream armored = new java.io.ByteArrayOutputStream();
    textEnc.encrypt(
        new java.io.ByteArrayInputStream(
            canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        armored);
    MessageEncryptor fileEnc =
        MessageEncryptor.builder()
            .to(to)
            .signWith(signer, passphrase)
            .encoding(Encoding.BINARY)
            .build();
    List<InlineMail.EncryptedFile> files = new ArrayList<>();
    for (Attachment a : draft.attachments()) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      try (InputStream in = a.source().open()) {
        fileEnc.encrypt(in, out);
      } catch (IOException e) {
        throw ioFailure(e);
      }
      files.add(
          new InlineMail.EncryptedFile(
              a.fileName() + ".pgp", "application/octet-stream", out.toByteArray()));
    }
    return new InlineMail(new String(armored.toByteArray(), US_ASCII), files);
  }

  /**
   * {@code draft}'s text body (the HTML body turned into text when there is no text body) as a
   * cleartext-signed message (RFC 9580 section 7, SHA-512): the signed-only fallback for sending
   * through Thunderbird itself. Attachments are not signed; they go as they are. Lines are wrapped
   * at {@value #INLINE_WIDTH} characters (at spaces) and lose trailing blanks before signing: a
   * mail client sending plain text as format=flowed would otherwise break long lines itself, after
   * the signature, and the signature would no longer match.
   */
  public String signInline(Draft draft) throws MailException, OpenPgpException {
    requireUsableSigner();
    String text =
        wrap(
            draft.plainText().orElseGet(() -> draft.html().map(HtmlContent::toText).orElse("")),
            INLINE_WIDTH);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      org.sceau.openpgp.sop.Cleartext.sign(
          text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          out,
          List.of(org.sceau.openpgp.internal.BcSecretKey.unwrap(signer)),
          passphrase.isEmpty() ? List.of() : List.of(passphrase.chars()));
    } catch (IOException e) {
      throw ioFailure(e);
    }
    // The armor writer mixes LF (its headers) and CRLF (the text lines); a mail body has one kind.
    return out.toString(java.nio.charset.StandardCharsets.UTF_8).replace("\r\n", "\n");
  }

  /** Thunderbird's default plain-text wrap length (mailnews.wraplength). */
  static final int INLINE_WIDTH = 72;

  /** Hard-wraps lines longer than {@code width} at their last space; strips trailing blanks. */
  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].stripTrailing();
      while (line.length() > width) {
        int cut = line.lastIndexOf(' ', width);
        if (cut <= 0) {
          break; // one long word: left whole
        }
        out.append(line, 0, cut).append('\n');
        line = line.substring(cut + 1).stripLeading();
      }
      out.append(line);
      if (i < lines.length - 1) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** The certificate of every recipient (To, Cc, Bcc), or INVALID_DRAFT naming those without. */
  private Map<String, Certificate> recipientCertificates(Draft draft) throws MailException {
    List<MailAddress> all = draft.allRecipients();
    if (all.isEmpty()) {
      throw new MailException(MailError.INVALID_DRAFT, "the message has no recipient");
    }
    List<String> missing = new ArrayList<>();
    Map<String, Certificate> used = new LinkedHashMap<>();
    for (MailAddress a : all) {
      Certificate c = keys.get(a.canonical());
      if (c == null) {
        missing.add(a.address());
      } else {
        used.put(a.canonical(), c);
      }
    }
    if (!missing.isEmpty()) {
      throw new MailException(MailError.INVALID_DRAFT, "no key for " + String.join(", ", missing));
    }
    return used;
  }

  /** Writes {@code draft} as signed-only PGP/MIME ({@code multipart/signed}) to {@code out}. */
  public void writeSigned(Draft draft, OutputStream out) throws MailException, OpenPgpException {
    requireUsableSigner();
    Fixed f = fix(draft);
    try {
      MimeMessage inner = payload(draft, f, "clear");
      byte[] sig = sign(inner);
      MimeMessage outer = outerHeaders(draft, f, draft.subject());
      String boundary = boundary();
      outer.setHeader(
          "Content-Type",
          "multipart/signed; micalg=pgp-sha512; protocol=\"application/pgp-signature\";\r\n"
              + " boundary=\""
              + boundary
              + "\"");
      OutputStream o = Streams.nonClosing(out);
      OutputStream c = Streams.crlf(o);
      writeHeaders(outer, c);
      ascii(c, "\r\n" + SIGNED_PREAMBLE + "\r\n--" + boundary + "\r\n");
      OutputStream escaped = Streams.escapeFrom(Streams.nonClosing(c));
      inner.writeTo(escaped);
      escaped.close();
      ascii(
          c,
          "\r\n--"
              + boundary
              + "\r\nContent-Type: application/pgp-signature; name=\"OpenPGP_signature.asc\"\r\n"
              + "Content-Description: OpenPGP digital signature\r\n"
              + "Content-Disposition: attachment; filename=\"OpenPGP_signature.asc\"\r\n\r\n");
      c.write(sig);
      ascii(c, "\r\n--" + boundary + "--\r\n");
      c.flush();
    } catch (MessagingException e) {
      throw new MailException(MailError.INVALID_DRAFT, "the message cannot be built", e);
    } catch (IOException e) {
      throw ioFailure(e);
    }
  }

  /**
   * The engine only finds a locked or unusable signing key when its stream opens, which is after
   * the outer headers are written; checking first keeps "nothing written" true for these errors.
   */
  private void requireUsableSigner() throws OpenPgpException {
    if (signer.isProtected() && passphrase.isEmpty()) {
      throw new OpenPgpException(
          OpenPgpError.KEY_IS_PROTECTED, "the signing key is protected; give its passphrase");
    }
    if (signer.isProtected() && !signer.unlocks(passphrase)) {
      throw new OpenPgpException(
          OpenPgpError.WRONG_PASSPHRASE, "the passphrase does not unlock the signing key");
    }
    if (!signer.certificate().status().canSign()) {
      throw new OpenPgpException(
          OpenPgpError.KEY_CANNOT_SIGN,
          "the signing key cannot sign: "
              + signer.certificate().status().problem().orElse("no valid signing subkey"));
    }
  }

  /** Signs the canonical (CRLF) bytes of {@code entity}, streamed through a pipe, no spooling. */
  private byte[] sign(MimeMessage entity) throws OpenPgpException, MailException {
    DetachedSigner signerFn = DetachedSigner.create(signer, passphrase, Encoding.ARMORED);
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (PipedInputStream in = new PipedInputStream(64 * 1024)) {
      PipedOutputStream pipe = new PipedOutputStream(in);
      Thread writer =
          new Thread(
              () -> {
                try (OutputStream o = Streams.escapeFrom(Streams.crlf(pipe))) {
                  entity.writeTo(o);
                } catch (IOException | MessagingException e) {
                  failure.set(e);
                }
              },
              "sceau-mail-sign");
      writer.setDaemon(true);
      writer.start();
      byte[] sig;
      try {
        sig = signerFn.sign(in);
      } finally {
        in.close();
        writer.join(60_000);
      }
      if (failure.get() != null) {
        throw ioFailure(failure.get());
      }
      return sig;
    } catch (IOException e) {
      throw ioFailure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailException(MailError.IO_ERROR, "interrupted while signing");
    }
  }

  private record Fixed(String messageId, Instant date) {}

  private static Fixed fix(Draft d) {
    String domain = d.from().address().substring(d.from().address().indexOf('@') + 1);
    String id =
        d.messageId().orElseGet(() -> HexFormat.of().formatHex(randomBytes(16)) + "@" + domain);
    return new Fixed(bracket(id), d.date().orElseGet(Instant::now));
  }

  /** The payload's root entity: the real headers, then the body and attachments. */
  private MimeMessage payload(Draft d, Fixed f, String hp)
      throws MessagingException, MailException {
    MimeMessage m = new MimeMessage(session);
    setAddressHeaders(m, d);
    m.setSubject(d.subject(), "UTF-8");
    m.setSentDate(Date.from(f.date()));
    threading(m, d);
    MimeBodyPart body = body(d);
    if (d.attachments().isEmpty()) {
      if (d.plainText().isPresent() && d.html().isPresent()) {
        try {
          m.setContent((MimeMultipart) body.getContent());
        } catch (IOException e) {
          throw new MessagingException("body", e);
        }
      } else {
        boolean html = d.plainText().isEmpty() && d.html().isPresent();
        m.setText(
            html ? d.html().get() : d.plainText().orElse(""), "UTF-8", html ? "html" : "plain");
        m.setHeader("Content-Transfer-Encoding", "quoted-printable");
      }
    } else {
      MimeMultipart mixed = new MimeMultipart("mixed");
      mixed.addBodyPart(body);
      for (Attachment a : d.attachments()) {
        mixed.addBodyPart(attachment(a));
      }
      m.setContent(mixed);
    }
    m.saveChanges();
    // saveChanges invents a Message-ID; the protected one must equal the outer one.
    m.setHeader("Message-ID", f.messageId());
    m.removeHeader("MIME-Version");
    ContentType ct = new ContentType(m.getContentType());
    ct.setParameter("hp", hp);
    ct.setParameter("protected-headers", "v1");
    m.setHeader("Content-Type", ct.toString());
    return m;
  }

  private static MimeBodyPart body(Draft d) throws MessagingException, MailException {
    if (d.plainText().isEmpty() && d.html().isEmpty()) {
      return text("", "plain");
    }
    if (d.html().isEmpty()) {
      return text(d.plainText().get(), "plain");
    }
    if (d.plainText().isEmpty()) {
      return text(d.html().get(), "html");
    }
    MimeMultipart alt = new MimeMultipart("alternative");
    alt.addBodyPart(text(d.plainText().get(), "plain"));
    alt.addBodyPart(text(d.html().get(), "html"));
    MimeBodyPart p = new MimeBodyPart();
    p.setContent(alt);
    return p;
  }

  private static MimeBodyPart text(String s, String subtype) throws MessagingException {
    MimeBodyPart p = new MimeBodyPart();
    p.setText(s, "UTF-8", subtype);
    // Quoted-printable keeps the entity 7-bit and encodes trailing white space, so a signature
    // over it survives transport.
    p.setHeader("Content-Transfer-Encoding", "quoted-printable");
    return p;
  }

  private static MimeBodyPart attachment(Attachment a) throws MessagingException {
    MimeBodyPart p = new MimeBodyPart();
    p.setDataHandler(new DataHandler(new SourceDataSource(a)));
    p.setFileName(a.fileName());
    p.setDisposition(MimeBodyPart.ATTACHMENT);
    ContentType ct = new ContentType(a.mediaType());
    // ParameterList encodes a non-ASCII name per RFC 2231, keeping the headers 7-bit
    jakarta.mail.internet.ParameterList pl =
        ct.getParameterList() == null
            ? new jakarta.mail.internet.ParameterList()
            : ct.getParameterList();
    pl.set("name", a.fileName(), "UTF-8");
    ct.setParameterList(pl);
    p.setHeader("Content-Type", ct.toString());
    p.setHeader("Content-Transfer-Encoding", "base64");
    return p;
  }

  /** Outer (or protected) address headers; Bcc is never written. */
  private static void setAddressHeaders(MimeMessage m, Draft d) throws MessagingException {
    m.setFrom(internet(d.from()));
    if (!d.to().isEmpty()) {
      m.setRecipients(Message.RecipientType.TO, internet(d.to()));
    }
    if (!d.cc().isEmpty()) {
      m.setRecipients(Message.RecipientType.CC, internet(d.cc()));
    }
    if (d.replyTo().isPresent()) {
      m.setReplyTo(new Address[] {internet(d.replyTo().get())});
    }
  }

  private static void threading(MimeMessage m, Draft d) throws MessagingException {
    if (d.inReplyTo().isPresent()) {
      m.setHeader("In-Reply-To", bracket(d.inReplyTo().get()));
    }
    if (!d.references().isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (String r : d.references()) {
        sb.append(sb.length() == 0 ? "" : " ").append(bracket(r));
      }
      m.setHeader("References", MimeUtility.fold(12, sb.toString()));
    }
  }

  private MimeMessage outerHeaders(Draft d, Fixed f, String subject)
      throws MessagingException, OpenPgpException {
    MimeMessage m = new MimeMessage(session);
    m.setHeader("MIME-Version", "1.0");
    setAddressHeaders(m, d);
    m.setHeader("Date", new MailDateFormat().format(Date.from(f.date())));
    m.setHeader("Message-ID", f.messageId());
    m.setSubject(subject, "UTF-8");
    threading(m, d);
    if (autocrypt) {
      m.setHeader(
          "Autocrypt",
          AutocryptHeader.of(
                  d.from().address(),
                  preferEncrypt,
                  AutocryptKeys.minimal(signer.certificate(), d.from().address()))
              .format());
    }
    return m;
  }

  private static void writeHeaders(MimeMessage m, OutputStream o)
      throws MessagingException, IOException {
    var lines = m.getAllHeaderLines();
    while (lines.hasMoreElements()) {
      ascii(o, lines.nextElement() + "\r\n");
    }
  }

  private static InternetAddress internet(MailAddress a) throws MessagingException {
    try {
      return new InternetAddress(a.address(), a.name().orElse(null), "UTF-8");
    } catch (java.io.UnsupportedEncodingException e) {
      throw new MessagingException("charset", e);
    }
  }

  private static InternetAddress[] internet(List<MailAddress> l) throws MessagingException {
    InternetAddress[] r = new InternetAddress[l.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = internet(l.get(i));
    }
    return r;
  }

  private static String bracket(String id) {
    String s = id.strip();
    return s.startsWith("<") ? s : "<" + s + ">";
  }

  private static String boundary() {
    return "sceau-" + HexFormat.of().formatHex(randomBytes(12));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static void ascii(OutputStream o, String s) throws IOException {
    o.write(s.getBytes(US_ASCII));
  }

  private static MailException ioFailure(Exception e) {
    return new MailException(
        MailError.IO_ERROR, "writing the message failed: " + e.getClass().getSimpleName(), e);
  }

  /** Streams an {@link Attachment} into Jakarta Mail without buffering it. */
  private record SourceDataSource(Attachment a) implements DataSource {
    @Override
    public InputStream getInputStream() throws IOException {
      return a.source().open();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      throw new IOException("read-only");
    }

    @Override
    public String getContentType() {
      return a.mediaType();
    }

    @Override
    public String getName() {
      return a.fileName();
    }
  }
}
