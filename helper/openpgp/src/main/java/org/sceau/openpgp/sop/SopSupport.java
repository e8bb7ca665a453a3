package org.sceau.openpgp.sop;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPSignature;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.internal.Bc;
import sop.Verification;
import sop.enums.SignatureMode;
import sop.exception.SOPGPException;

/** Shared helpers: reading keys, passwords, mapping errors to SOP exit codes. */
final class SopSupport {
  private SopSupport() {}

  static List<OpenPGPKey> keys(InputStream in) throws IOException {
    try {
      return Bc.parseKeys(Bc.readBounded(in));
    } catch (OpenPgpException e) {
      throw new SOPGPException.BadData(e.getMessage(), e);
    }
  }

  static List<OpenPGPCertificate> certs(InputStream in) throws IOException {
    try {
      List<OpenPGPCertificate> l = Bc.parseCertificates(Bc.readBounded(in));
      for (OpenPGPCertificate c : l) {
        if (c.isSecretKey()) {
          // SOP: secret keys where certificates are expected are an error (do not leak them).
          throw new SOPGPException.BadData("expected a certificate, got a secret key");
        }
      }
      return l;
    } catch (OpenPgpException e) {
      throw new SOPGPException.BadData(e.getMessage(), e);
    }
  }

  /** Passwords must be UTF-8; SOP asks to try them with trailing whitespace removed as well. */
  static String password(byte[] b) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SOPGPException.PasswordNotHumanReadable("password is not UTF-8");
    }
  }

  static List<char[]> variants(List<String> passwords) {
    List<char[]> out = new ArrayList<>();
    for (String p : passwords) {
      out.add(p.toCharArray());
      String t = p.stripTrailing();
      if (!t.equals(p)) {
        out.add(t.toCharArray());
      }
    }
    return out;
  }

  static boolean isUtf8(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** Buffers text input (bounded) so it can be checked for UTF-8 before signing. */
  static InputStream requireText(InputStream in) throws IOException {
    byte[] b = in.readNBytes(64 * 1024 * 1024 + 1);
    if (b.length > 64 * 1024 * 1024) {
      throw new SOPGPException.BadData("text input larger than 64 MiB");
    }
    if (!isUtf8(b)) {
      throw new SOPGPException.ExpectedText("input is not UTF-8 text");
    }
    return new ByteArrayInputStream(b);
  }

  static SOPGPException map(OpenPgpException e) {
    return switch (e.code()) {
      case MALFORMED_MESSAGE, MALFORMED_KEY -> new SOPGPException.BadData(e.getMessage(), e);
      case NO_DECRYPTION_KEY, INTEGRITY_PROTECTION_MISSING ->
          new SOPGPException.CannotDecrypt(e.getMessage(), e);
      case KEY_IS_PROTECTED, WRONG_PASSPHRASE -> keyIsProtected(e);
      case KEY_CANNOT_SIGN -> new SOPGPException.KeyCannotSign(e.getMessage(), e);
      case NO_KEY_FOR_RECIPIENT, KEY_UNUSABLE ->
          new SOPGPException.CertCannotEncrypt(e.getMessage(), e);
      case UNSUPPORTED_ALGORITHM -> new SOPGPException.UnsupportedAsymmetricAlgo(e.getMessage(), e);
      case NO_SIGNATURE, BAD_SIGNATURE -> new SOPGPException.NoSignature(e.getMessage());
      case IO_ERROR -> new SOPGPException.UnspecificFailure(e);
    };
  }

  private static SOPGPException keyIsProtected(OpenPgpException e) {
    SOPGPException.KeyIsProtected k = new SOPGPException.KeyIsProtected(e.getMessage());
    k.initCause(e);
    return k;
  }

  static Verification verification(OpenPGPSignature.OpenPGPDocumentSignature s) {
    int type = s.getSignature().getSignatureType();
    SignatureMode mode =
        type == org.bouncycastle.openpgp.PGPSignature.CANONICAL_TEXT_DOCUMENT
            ? SignatureMode.text
            : SignatureMode.binary;
    return new Verification(
        s.getCreationTime(),
        Bc.hex(s.getIssuer().getPGPPublicKey().getFingerprint()),
        Bc.hex(s.getIssuerCertificate().getFingerprint()),
        mode,
        (String) null);
  }

  /** Only signatures that are valid (key valid at signing time, in the time window) count. */
  static List<Verification> good(
      List<OpenPGPSignature.OpenPGPDocumentSignature> sigs, Date notBefore, Date notAfter) {
    List<Verification> out = new ArrayList<>();
    for (OpenPGPSignature.OpenPGPDocumentSignature s : sigs) {
      try {
        if (s.getIssuer() == null || !org.sceau.openpgp.internal.Verdicts.of(s).isGood()) {
          continue;
        }
      } catch (Exception e) {
        continue;
      }
      Date t = s.getCreationTime();
      if (notBefore != null && t.before(notBefore)) {
        continue;
      }
      if (notAfter != null && t.after(notAfter)) {
        continue;
      }
      out.add(verification(s));
    }
    return out;
  }
}
