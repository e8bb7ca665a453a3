package org.sceau.openpgp.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PacketFormat;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.api.KeyPassphraseProvider;
import org.bouncycastle.openpgp.api.MessageEncryptionMechanism;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPDetachedSignatureGenerator;
import org.bouncycastle.openpgp.api.OpenPGPDetachedSignatureProcessor;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPMessageGenerator;
import org.bouncycastle.openpgp.api.OpenPGPMessageInputStream;
import org.bouncycastle.openpgp.api.OpenPGPMessageProcessor;
import org.bouncycastle.openpgp.api.OpenPGPSignature;
import org.bouncycastle.openpgp.api.SignatureParameters;
import org.bouncycastle.openpgp.api.exception.InvalidEncryptionKeyException;
import org.bouncycastle.openpgp.api.exception.InvalidSigningKeyException;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;

/** Streaming encrypt/sign and decrypt/verify over BC's high-level API. */
public final class Messages {
  private Messages() {}

  /** What to produce. {@code text}: signatures over canonical text (sig type 0x01). */
  public record EncryptSpec(
      List<OpenPGPCertificate> recipients,
      List<char[]> passwords,
      List<OpenPGPKey> signers,
      List<char[]> keyPassphrases,
      boolean armored,
      boolean text) {}

  static KeyPassphraseProvider.DefaultKeyPassphraseProvider passphrases(List<char[]> list) {
    KeyPassphraseProvider.DefaultKeyPassphraseProvider p =
        new KeyPassphraseProvider.DefaultKeyPassphraseProvider();
    for (char[] c : list) {
      p.addPassphrase(c.clone());
    }
    return p;
  }

  static SignatureParameters.Callback signatureParams(boolean text) {
    return new SignatureParameters.Callback() {
      @Override
      public SignatureParameters apply(SignatureParameters p) {
        p.setSignatureHashAlgorithm(HashAlgorithmTags.SHA512); // interop trap 2
        if (text) {
          p.setSignatureType(PGPSignature.CANONICAL_TEXT_DOCUMENT);
        }
        return p;
      }
    };
  }

  /** Checks that every signer can sign and is unlocked by the passphrases, before any output. */
  public static void checkSigners(List<OpenPGPKey> signers, List<char[]> passes)
      throws OpenPgpException {
    Date now = new Date();
    for (OpenPGPKey k : signers) {
      List<OpenPGPCertificate.OpenPGPComponentKey> sk = k.getSigningKeys(now);
      if (sk.isEmpty()) {
        throw new OpenPgpException(
            OpenPgpError.KEY_CANNOT_SIGN,
            "key " + Bc.hex(k.getFingerprint()) + " has no valid signing key");
      }
      for (OpenPGPCertificate.OpenPGPComponentKey c : sk) {
        OpenPGPKey.OpenPGPSecretKey s = k.getSecretKey(c);
        if (s == null) {
          throw new OpenPgpException(OpenPgpError.KEY_CANNOT_SIGN, "signing key has no secret");
        }
        if (s.isLocked()) {
          boolean ok = false;
          for (char[] p : passes) {
            if (s.isPassphraseCorrect(p.clone())) {
              ok = true;
              break;
            }
          }
          if (!ok) {
            throw new OpenPgpException(
                passes.isEmpty() ? OpenPgpError.KEY_IS_PROTECTED : OpenPgpError.WRONG_PASSPHRASE,
                passes.isEmpty()
                    ? "the signing key is protected: give its passphrase"
                    : "the passphrase does not unlock the signing key");
          }
        }
      }
    }
  }

  /** Opens an encrypting and/or signing stream; closing it finishes the message (not the sink). */
  public static OutputStream open(OutputStream sink, EncryptSpec spec) throws OpenPgpException {
    return open(sink, spec, null);
  }

  /** As {@link #open(OutputStream, EncryptSpec)}, handing the session key to {@code onKey}. */
  public static OutputStream open(
      OutputStream sink, EncryptSpec spec, java.util.function.Consumer<PGPSessionKey> onKey)
      throws OpenPgpException {
    checkSigners(spec.signers(), spec.keyPassphrases());
    OpenPGPMessageGenerator g =
        Bc.api()
            .signAndOrEncryptMessage()
            .setArmored(spec.armored())
            .setArmorStreamFactory(Bc::armor)
            .setCompressionNegotiator((gen, policy) -> CompressionAlgorithmTags.UNCOMPRESSED);
    for (OpenPGPCertificate c : spec.recipients()) {
      try {
        g.addEncryptionCertificate(c);
      } catch (InvalidEncryptionKeyException | RuntimeException e) {
        throw new OpenPgpException(
            OpenPgpError.NO_KEY_FOR_RECIPIENT,
            "certificate " + Bc.hex(c.getFingerprint()) + " has no usable encryption key",
            e);
      }
    }
    if (onKey != null) {
      g.setSessionKeyExtractionCallback(onKey::accept);
    }
    for (char[] pw : spec.passwords()) {
      g.addEncryptionPassphrase(pw.clone());
    }
    KeyPassphraseProvider pp = passphrases(spec.keyPassphrases());
    for (OpenPGPKey k : spec.signers()) {
      try {
        g.addSigningKey(k, pp, signatureParams(spec.text()));
      } catch (InvalidSigningKeyException | RuntimeException e) {
        throw new OpenPgpException(
            OpenPgpError.KEY_CANNOT_SIGN, "key cannot sign: " + e.getMessage(), e);
      }
    }
    try {
      return g.open(new NonClosingStream(sink));
    } catch (PGPException | IOException | RuntimeException e) {
      throw Bc.classify(e, OpenPgpError.IO_ERROR, "cannot start the message");
    }
  }

  /** What to decrypt/verify with. */
  public record DecryptSpec(
      List<OpenPGPKey> keys,
      List<char[]> keyPassphrases,
      List<OpenPGPCertificate> verifiers,
      List<char[]> passwords,
      PGPSessionKey sessionKey,
      Date notBefore,
      Date notAfter) {}

  /** Result plus what SOP needs beyond the public record. */
  public record Decrypted(
      boolean encrypted,
      String mechanism,
      PGPSessionKey sessionKey,
      List<OpenPGPSignature.OpenPGPDocumentSignature> signatures,
      List<OpenPGPSignature> unknownIssuer,
      List<org.bouncycastle.bcpg.KeyIdentifier> missingIssuers) {}

  public static Decrypted decrypt(InputStream in, OutputStream out, DecryptSpec spec)
      throws OpenPgpException {
    OpenPGPMessageProcessor p = Bc.api().decryptAndOrVerifyMessage();
    KeyPassphraseProvider.DefaultKeyPassphraseProvider pp = passphrases(spec.keyPassphrases());
    for (OpenPGPKey k : spec.keys()) {
      p.addDecryptionKey(k);
    }
    for (char[] c : spec.keyPassphrases()) {
      p.addDecryptionKeyPassphrase(c.clone());
    }
    for (OpenPGPCertificate c : spec.verifiers()) {
      p.addVerificationCertificate(c);
    }
    for (char[] c : spec.passwords()) {
      p.addMessagePassphrase(c.clone());
    }
    if (spec.sessionKey() != null) {
      p.setSessionKey(spec.sessionKey());
    }
    if (spec.notBefore() != null) {
      p.verifyNotBefore(spec.notBefore());
    }
    if (spec.notAfter() != null) {
      p.verifyNotAfter(spec.notAfter());
    }
    List<Exception> errors = new ArrayList<>();
    p.setExceptionCallback(errors::add);
    List<org.bouncycastle.bcpg.KeyIdentifier> missing = new ArrayList<>();
    p.setMissingOpenPGPCertificateProvider(
        id -> {
          missing.add(id);
          return null;
        });
    OpenPGPMessageInputStream msg;
    try {
      msg = p.process(in);
    } catch (PGPException | IOException | RuntimeException e) {
      throw decryptFailure(e, errors);
    }
    try (msg) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = msg.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      throw decryptFailure(e, errors);
    }
    OpenPGPMessageInputStream.Result r = msg.getResult();
    MessageEncryptionMechanism m = r.getEncryptionMethod();
    boolean encrypted = m != null && m.isEncrypted();
    return new Decrypted(
        encrypted,
        describe(m),
        encrypted ? r.getSessionKey() : null,
        r.getSignatures() == null ? List.of() : r.getSignatures(),
        unknownIssuers(errors),
        List.copyOf(missing));
  }

  /** BC drops signatures whose issuer it does not know; keep them as UNKNOWN_KEY verdicts. */
  static List<OpenPGPSignature> unknownIssuers(List<Exception> errors) {
    List<OpenPGPSignature> out = new ArrayList<>();
    for (Exception e : errors) {
      if (e instanceof org.bouncycastle.openpgp.api.exception.MissingIssuerCertException m
          && m.getSignature() != null) {
        out.add(m.getSignature());
      }
    }
    return out;
  }

  static OpenPgpException decryptFailure(Exception e, List<Exception> callbackErrors) {
    // BC reports per-key failures to the callback and then throws a generic "no working method".
    for (Exception x : callbackErrors) {
      OpenPgpException c = Bc.classify(x, OpenPgpError.MALFORMED_MESSAGE, "");
      if (c.code() == OpenPgpError.INTEGRITY_PROTECTION_MISSING) {
        return c;
      }
    }
    OpenPgpException c = Bc.classify(e, OpenPgpError.MALFORMED_MESSAGE, "the message is malformed");
    if (c.code() != OpenPgpError.MALFORMED_MESSAGE) {
      return c;
    }
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      m = m + " " + String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
    }
    if (m.contains("decrypt") && (m.contains("key") || m.contains("session"))
        || m.contains("no suitable")
        || m.contains("could not decrypt")
        || m.contains("no working decryption method")) {
      return new OpenPgpException(
          OpenPgpError.NO_DECRYPTION_KEY, "none of the given keys can decrypt this message", e);
    }
    return c;
  }

  static String describe(MessageEncryptionMechanism m) {
    if (m == null || !m.isEncrypted()) {
      return "none";
    }
    String s = m.getMode() + " " + symName(m.getSymmetricKeyAlgorithm());
    if (m.getAeadAlgorithm() != 0) {
      s += "/" + (m.getAeadAlgorithm() == 2 ? "OCB" : m.getAeadAlgorithm() == 1 ? "EAX" : "GCM");
    }
    return s;
  }

  static String symName(int a) {
    return switch (a) {
      case 7 -> "AES-128";
      case 8 -> "AES-192";
      case 9 -> "AES-256";
      case 2 -> "3DES";
      case 3 -> "CAST5";
      case 10 -> "Twofish";
      case 11, 12, 13 -> "Camellia";
      default -> "alg" + a;
    };
  }

  /** Detached signature(s) over {@code data} by every signer, written to {@code out}. */
  public static List<OpenPGPSignature.OpenPGPDocumentSignature> signDetached(
      InputStream data,
      OutputStream out,
      List<OpenPGPKey> signers,
      List<char[]> passes,
      boolean armored,
      boolean text)
      throws OpenPgpException {
    checkSigners(signers, passes);
    OpenPGPDetachedSignatureGenerator g = Bc.api().createDetachedSignature();
    KeyPassphraseProvider pp = passphrases(passes);
    try {
      for (OpenPGPKey k : signers) {
        g.addSigningKey(k, pp, signatureParams(text));
      }
      List<OpenPGPSignature.OpenPGPDocumentSignature> sigs = g.sign(data);
      OutputStream target = new NonClosingStream(out);
      ArmoredOutputStream a = armored ? Bc.armor(target) : null;
      BCPGOutputStream b = new BCPGOutputStream(a != null ? a : target, PacketFormat.CURRENT);
      for (OpenPGPSignature.OpenPGPDocumentSignature s : sigs) {
        s.getSignature().encode(b);
      }
      b.close();
      if (a != null) {
        a.close();
      }
      return sigs;
    } catch (PGPException | IOException | RuntimeException e) {
      throw Bc.classify(e, OpenPgpError.KEY_CANNOT_SIGN, "cannot sign");
    }
  }

  /** Verifies detached signatures (bounded) over streamed data. */
  public static List<OpenPGPSignature.OpenPGPDocumentSignature> verifyDetached(
      InputStream data,
      byte[] signatures,
      List<OpenPGPCertificate> certs,
      Date notBefore,
      Date notAfter)
      throws OpenPgpException {
    return verifyDetached(data, signatures, certs, notBefore, notAfter, new ArrayList<>());
  }

  /** As above; signatures BC rejects outright (with the reason) land in {@code rejected}. */
  public static List<OpenPGPSignature.OpenPGPDocumentSignature> verifyDetached(
      InputStream data,
      byte[] signatures,
      List<OpenPGPCertificate> certs,
      Date notBefore,
      Date notAfter,
      List<Exception> rejected)
      throws OpenPgpException {
    OpenPGPDetachedSignatureProcessor p = Bc.api().verifyDetachedSignature();
    try {
      p.addSignatures(new java.io.ByteArrayInputStream(signatures));
    } catch (IOException | RuntimeException e) {
      throw new OpenPgpException(OpenPgpError.MALFORMED_MESSAGE, "cannot read the signature", e);
    }
    for (OpenPGPCertificate c : certs) {
      p.addVerificationCertificate(c);
    }
    if (notBefore != null) {
      p.verifyNotBefore(notBefore);
    }
    if (notAfter != null) {
      p.verifyNotAfter(notAfter);
    }
    p.setExceptionCallback(rejected::add);
    try {
      List<OpenPGPSignature.OpenPGPDocumentSignature> l = p.process(data);
      if (l.isEmpty() && rejected.isEmpty() && !hasSignaturePackets(signatures)) {
        throw new OpenPgpException(OpenPgpError.MALFORMED_MESSAGE, "no signature in the data");
      }
      return l;
    } catch (IOException | RuntimeException e) {
      throw new OpenPgpException(OpenPgpError.MALFORMED_MESSAGE, "cannot verify", e);
    }
  }

  public static boolean hasSignaturePackets(byte[] sig) {
    try {
      Object o =
          Bc.impl()
              .pgpObjectFactory(
                  org.bouncycastle.openpgp.PGPUtil.getDecoderStream(
                      new java.io.ByteArrayInputStream(sig)))
              .nextObject();
      return o instanceof org.bouncycastle.openpgp.PGPSignatureList;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** BC closes the stream given to open(): keep the caller's sink open. */
  public static final class NonClosingStream extends FilterOutputStream {
    public NonClosingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
