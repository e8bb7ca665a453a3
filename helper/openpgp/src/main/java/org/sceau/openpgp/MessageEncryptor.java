package org.sceau.openpgp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sceau.openpgp.internal.BcCertificate;
import org.sceau.openpgp.internal.BcSecretKey;
import org.sceau.openpgp.internal.Messages;

/**
 * Encrypts and/or signs a message, streaming in constant memory.
 *
 * <p>Guarantees: the ciphertext is always integrity-protected (SEIPDv1 with MDC, or SEIPDv2/AEAD
 * when every recipient advertises it); signatures use SHA-512; armor carries a CRC. When a signing
 * key is given, the message is also encrypted to the sender's own certificate unless {@link
 * Builder#encryptToSender(boolean)} says otherwise, so the sender can read their sent mail.
 *
 * <pre>{@code
 * MessageEncryptor enc = MessageEncryptor.builder()
 *     .to(bobCert).signWith(aliceKey, alicePass).build();
 * try (OutputStream out = enc.open(sink)) { body.transferTo(out); }
 * }</pre>
 */
public interface MessageEncryptor {

  /**
   * A stream whose bytes are encrypted/signed into {@code sink}; close it to finish the message.
   */
  OutputStream open(OutputStream sink) throws OpenPgpException;

  /** Encrypts everything from {@code in} into {@code out}. */
  default void encrypt(InputStream in, OutputStream out) throws OpenPgpException {
    try (OutputStream o = open(out)) {
      in.transferTo(o);
    } catch (IOException e) {
      throw new OpenPgpException(OpenPgpError.IO_ERROR, "cannot write the message", e);
    }
  }

  static Builder builder() {
    return new Builder();
  }

  /** Collects recipients and signers; {@link #build()} checks them. */
  final class Builder {
    private final Map<String, Certificate> recipients = new LinkedHashMap<>();
    private final List<SecretKey> signers = new ArrayList<>();
    private final List<Passphrase> passphrases = new ArrayList<>();
    private final List<Passphrase> passwords = new ArrayList<>();
    private Encoding encoding = Encoding.ARMORED;
    private boolean toSender = true;
    private boolean text;

    private Builder() {}

    public Builder to(Certificate... certs) {
      for (Certificate c : certs) {
        recipients.put(c.fingerprint(), c);
      }
      return this;
    }

    public Builder to(List<Certificate> certs) {
      return to(certs.toArray(new Certificate[0]));
    }

    /** Also (or only) encrypt with a password (SKESK). */
    public Builder withPassword(Passphrase password) {
      passwords.add(password);
      return this;
    }

    public Builder signWith(SecretKey key, Passphrase passphrase) {
      signers.add(key);
      passphrases.add(passphrase);
      return this;
    }

    public Builder encoding(Encoding e) {
      this.encoding = e;
      return this;
    }

    /** Default true: with a signer, also encrypt to the signer's own certificate. */
    public Builder encryptToSender(boolean b) {
      this.toSender = b;
      return this;
    }

    /** Sign as canonical text (line endings normalised to CRLF before hashing). */
    public Builder text(boolean t) {
      this.text = t;
      return this;
    }

    public MessageEncryptor build() throws OpenPgpException {
      Map<String, Certificate> all = new LinkedHashMap<>(recipients);
      if (toSender && !recipients.isEmpty()) {
        for (SecretKey k : signers) {
          all.putIfAbsent(k.fingerprint(), k.certificate());
        }
      }
      List<OpenPGPCertificate> rc = new ArrayList<>();
      for (Certificate c : all.values()) {
        CertificateStatus st = c.status();
        if (!st.canEncrypt()) {
          throw new OpenPgpException(
              OpenPgpError.NO_KEY_FOR_RECIPIENT,
              "cannot encrypt to "
                  + c.fingerprint()
                  + ": "
                  + st.problem().orElse("no encryption subkey"));
        }
        rc.add(BcCertificate.unwrap(c));
      }
      List<OpenPGPKey> sk = new ArrayList<>();
      for (SecretKey k : signers) {
        sk.add(BcSecretKey.unwrap(k));
      }
      List<char[]> pp = new ArrayList<>();
      for (Passphrase p : passphrases) {
        if (!p.isEmpty()) {
          pp.add(p.chars());
        }
      }
      List<char[]> pw = new ArrayList<>();
      for (Passphrase p : passwords) {
        pw.add(p.chars());
      }
      Messages.EncryptSpec spec =
          new Messages.EncryptSpec(
              List.copyOf(rc), pw, List.copyOf(sk), pp, encoding == Encoding.ARMORED, text);
      return sink -> Messages.open(sink, spec);
    }
  }
}
