package org.sceau.openpgp.mail;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.bouncycastle.bcpg.CRC24;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.MessageDecryptor;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SecretKey;

/**
 * Autocrypt Setup Message (Autocrypt Level 1 §4.4): moves a secret key to another mail client. The
 * key is encrypted symmetrically (AES-128, iterated and salted S2K) under a 36-digit setup code
 * that only this side shows, armored with {@code Passphrase-Format: numeric9x4} and {@code
 * Passphrase-Begin}, inside a {@code multipart/mixed} mail marked {@code Autocrypt-Setup-Message:
 * v1} with a text/plain explanation and the {@code application/autocrypt-setup} part.
 *
 * <p>Security: the message is only as strong as the code (about 119 bits), which must reach the
 * other client out of band (the user types it). The key inside is not passphrase-protected itself,
 * as the spec requires; {@link #read} returns it so, and the caller re-protects it at once.
 */
public final class AutocryptSetupMessage {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String BEGIN = "-----BEGIN PGP MESSAGE-----";
  private static final String END = "-----END PGP MESSAGE-----";

  private AutocryptSetupMessage() {}

  /** The message to send to oneself and the code to show the user (never put in the message). */
  public record Export(String setupCode, byte[] message) {
    public Export {
      message = message.clone();
    }

    @Override
    public byte[] message() {
      return message.clone();
    }

    @Override
    public String toString() {
      return "AutocryptSetupMessage.Export[" + message.length + " bytes]";
    }
  }

  /** A fresh setup code: 36 random digits as nine dash-separated blocks of four. */
  static String newSetupCode() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 36; i++) {
      if (i > 0 && i % 4 == 0) {
        sb.append('-');
      }
      sb.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return sb.toString();
  }

  /**
   * The setup code in its canonical form (with dashes), from what a user typed (spaces, dashes or
   * none).
   */
  public static String normalizeSetupCode(String typed) throws MailException {
    String digits = typed.replaceAll("[\\s-]", "");
    if (!digits.matches("[0-9]{36}")) {
      throw new MailException(
          MailError.INVALID_SETUP_MESSAGE, "a setup code is 36 digits (nine blocks of four)");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 36; i += 4) {
      sb.append(i == 0 ? "" : "-").append(digits, i, i + 4);
    }
    return sb.toString();
  }

  /**
   * The setup message for {@code key} (unlocked with {@code pass}), addressed from and to {@code
   * address}.
   */
  public static Export create(
      SecretKey key, Passphrase pass, String address, PreferEncrypt preferEncrypt)
      throws OpenPgpException, MailException {
    String code = newSetupCode();
    byte[] plainKey = Keys.changePassphrase(key, pass, Passphrase.none()).encoded(Encoding.ARMORED);
    // The spec's header inside the key's armor tells the importing client the preference.
    String armoredKey = new String(plainKey, US_ASCII);
    int nl = armoredKey.indexOf('\n');
    byte[] payload =
        (armoredKey.substring(0, nl + 1)
                + "Autocrypt-Prefer-Encrypt: "
                + (preferEncrypt == PreferEncrypt.MUTUAL ? "mutual" : "nopreference")
                + "\n"
                + armoredKey.substring(nl + 1))
            .getBytes(US_ASCII);
    Arrays.fill(plainKey, (byte) 0);
    byte[] encrypted;
    try {
      encrypted = encrypt(payload, code);
    } finally {
      Arrays.fill(payload, (byte) 0);
    }
    String armored =
        armor(
            encrypted,
            List.of("Passphrase-Format: numeric9x4", "Passphrase-Begin: " + code.substring(0, 2)));
    return new Export(code, mime(address, armored));
  }

  private static byte[] encrypt(byte[] payload, String code) throws OpenPgpException {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PGPEncryptedDataGenerator gen =
          new PGPEncryptedDataGenerator(
              new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_128)
                  .setWithIntegrityPacket(true)
                  .setSecureRandom(RANDOM));
      gen.addMethod(
          new BcPBEKeyEncryptionMethodGenerator(
                  code.toCharArray(),
                  new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA256),
                  0xC0)
              .setSecureRandom(RANDOM));
      try (OutputStream enc = gen.open(out, new byte[1 << 14]);
          OutputStream lit =
              new PGPLiteralDataGenerator()
                  .open(enc, PGPLiteralData.BINARY, "", new Date(), new byte[1 << 14])) {
        lit.write(payload);
      }
      return out.toByteArray();
    } catch (IOException | PGPException e) {
      throw new OpenPgpException(OpenPgpError.IO_ERROR, "cannot encrypt the setup message", e);
    }
  }

  /** RFC 9580 §6 armor with the given header lines and a CRC. */
  private static String armor(byte[] data, List<String> headers) {
    StringBuilder sb = new StringBuilder(BEGIN).append("\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    sb.append("\r\n");
    String b64 = java.util.Base64.getEncoder().encodeToString(data);
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append("\r\n");
    }
    CRC24 crc = new CRC24();
    for (byte x : data) {
      crc.update(x & 0xff);
    }
    int v = crc.getValue();
    sb.append('=')
        .append(
            java.util.Base64.getEncoder()
                .encodeToString(new byte[] {(byte) (v >> 16), (byte) (v >> 8), (byte) v}))
        .append("\r\n");
    return sb.append(END).append("\r\n").toString();
  }

  private static byte[] mime(String address, String armored) {
    String boundary = "sceau-setup-" + HexFormat.of().formatHex(random(12));
    String domain = address.substring(address.lastIndexOf('@') + 1);
    String date = new jakarta.mail.internet.MailDateFormat().format(Date.from(Instant.now()));
    String text =
        "This message contains all information to transfer your Autocrypt settings along with"
            + " your secret key securely from your original device.\r\n\r\n"
            + "To set up your new device for Autocrypt, please follow the instructions that"
            + " should be presented by your new device.\r\n\r\n"
            + "You can keep this message and use it as a backup for your secret key. If you want"
            + " to do this, you should write down the Setup Code and store it securely.\r\n";
    String html =
        "<html><body><p>This is the Autocrypt setup file used to transfer settings and keys"
            + " between clients. You can decrypt it using the Setup Code presented on your old"
            + " device, and then import the contained key into your keyring.</p>\r\n<pre>\r\n"
            + armored
            + "</pre></body></html>\r\n";
    String m =
        "From: <"
            + address
            + ">\r\nTo: <"
            + address
            + ">\r\nSubject: Autocrypt Setup Message\r\nDate: "
            + date
            + "\r\nMessage-ID: <"
            + HexFormat.of().formatHex(random(16))
            + "@"
            + domain
            + ">\r\nAutocrypt-Setup-Message: v1\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\""
            + boundary
            + "\"\r\n\r\n--"
            + boundary
            + "\r\nContent-Type: text/plain; charset=us-ascii\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n\r\n"
            + text
            + "\r\n--"
            + boundary
            + "\r\nContent-Type: application/autocrypt-setup\r\n"
            + "Content-Disposition: attachment; filename=\"autocrypt-setup-message.html\"\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n\r\n"
            + html
            + "\r\n--"
            + boundary
            + "--\r\n";
    return m.getBytes(US_ASCII);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /**
   * The secret key inside a setup message (its raw MIME bytes), decrypted with {@code setupCode}
   * (dashes and spaces optional). The key comes back unprotected: re-protect it before storing.
   */
  public static SecretKey read(byte[] message, String setupCode)
      throws MailException, OpenPgpException {
    String code = normalizeSetupCode(setupCode);
    if (message.length > 4 * 1024 * 1024) {
      throw new MailException(MailError.TOO_LARGE, "the setup message is larger than 4 MiB");
    }
    String armored = armoredPayload(message);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    try {
      MessageDecryptor.builder()
          .withPassword(Passphrase.of(code))
          .build()
          .decrypt(new ByteArrayInputStream(armored.getBytes(US_ASCII)), plain);
      byte[] p = plain.toByteArray();
      try {
        List<SecretKey> keys = Keys.readSecretKeys(new ByteArrayInputStream(p));
        if (keys.isEmpty()) {
          throw new MailException(
              MailError.INVALID_SETUP_MESSAGE, "the setup message holds no secret key");
        }
        return keys.get(0);
      } finally {
        Arrays.fill(p, (byte) 0);
      }
    } finally {
      plain.reset();
    }
  }

  /** The armored message from the {@code application/autocrypt-setup} part. */
  private static String armoredPayload(byte[] message) throws MailException {
    try {
      MimeMessage m =
          new MimeMessage(
              Session.getInstance(new Properties()), new SharedByteArrayInputStream(message));
      String[] marker = m.getHeader("Autocrypt-Setup-Message");
      if (marker == null || !marker[0].strip().equalsIgnoreCase("v1")) {
        throw new MailException(
            MailError.INVALID_SETUP_MESSAGE,
            "this is not an Autocrypt Setup Message (no Autocrypt-Setup-Message: v1)");
      }
      if (!(m.getContent() instanceof MimeMultipart mp)) {
        throw new MailException(MailError.INVALID_SETUP_MESSAGE, "the setup message has no parts");
      }
      for (int i = 0; i < mp.getCount() && i < 10; i++) {
        BodyPart p = mp.getBodyPart(i);
        if (!p.isMimeType("application/autocrypt-setup")) {
          continue;
        }
        String content;
        try (InputStream in = p.getInputStream()) {
          content = new String(in.readNBytes(4 * 1024 * 1024), UTF_8);
        }
        int b = content.indexOf(BEGIN);
        int e = content.indexOf(END, Math.max(b, 0));
        if (b < 0 || e < 0) {
          break;
        }
        String block = content.substring(b, e + END.length());
        if (!block.contains("Passphrase-Format: numeric9x4")
            && block.contains("Passphrase-Format")) {
          throw new MailException(
              MailError.INVALID_SETUP_MESSAGE, "the setup message uses another passphrase format");
        }
        return block;
      }
      throw new MailException(
          MailError.INVALID_SETUP_MESSAGE, "the setup message has no encrypted setup part");
    } catch (MessagingException | IOException | RuntimeException e) {
      throw new MailException(
          MailError.INVALID_SETUP_MESSAGE, "the setup message cannot be read", e);
    }
  }
}
