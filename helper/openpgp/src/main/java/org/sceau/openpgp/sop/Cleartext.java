package org.sceau.openpgp.sop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PacketFormat;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.internal.Bc;
import org.sceau.openpgp.internal.Messages;
import sop.Verification;
import sop.enums.SignatureMode;
import sop.exception.SOPGPException;

/**
 * Cleartext signature framework (RFC 9580 section 7): BC's high-level API has no writer for it, so
 * this uses its packet-level classes. Signed text = lines joined by CRLF, trailing whitespace
 * removed, without the line break that precedes the signature armor.
 *
 * <p>Public only for {@code MailComposer.signInline} (the mail package's cleartext-signed body);
 * not part of the SOP face.
 */
public final class Cleartext {
  private Cleartext() {}

  public static void sign(
      byte[] text, OutputStream o, List<OpenPGPKey> keys, List<char[]> passwords)
      throws IOException, OpenPgpException {
    Date now = new Date();
    List<PGPSignatureGenerator> gens = new ArrayList<>();
    try {
      for (OpenPGPKey k : keys) {
        OpenPGPCertificate.OpenPGPComponentKey c = k.getSigningKeys(now).get(0);
        OpenPGPKey.OpenPGPSecretKey s = k.getSecretKey(c);
        PGPPrivateKey priv = unlock(s, passwords);
        PGPPublicKey pub = c.getPGPPublicKey();
        PGPSignatureGenerator g =
            new PGPSignatureGenerator(
                Bc.impl().pgpContentSignerBuilder(pub.getAlgorithm(), HashAlgorithmTags.SHA512),
                pub);
        g.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, priv);
        PGPSignatureSubpacketGenerator sp = new PGPSignatureSubpacketGenerator();
        sp.setSignatureCreationTime(false, now);
        sp.setIssuerFingerprint(false, pub);
        if (pub.getVersion() == 4) {
          sp.setIssuerKeyID(false, pub.getKeyID());
        }
        g.setHashedSubpackets(sp.generate());
        gens.add(g);
      }
    } catch (PGPException e) {
      throw Bc.classify(e, OpenPgpError.KEY_CANNOT_SIGN, "cannot sign");
    }
    List<String> lines = lines(text);
    ArmoredOutputStream a = Bc.armor(new Messages.NonClosingStream(o));
    a.beginClearText(HashAlgorithmTags.SHA512);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      byte[] canon = stripTrailing(line).getBytes(StandardCharsets.UTF_8);
      for (PGPSignatureGenerator g : gens) {
        g.update(canon);
        if (i < lines.size() - 1) {
          g.update(new byte[] {'\r', '\n'});
        }
      }
      // ArmoredOutputStream dash-escapes lines starting with '-' itself.
      a.write(line.getBytes(StandardCharsets.UTF_8));
      a.write(new byte[] {'\r', '\n'});
    }
    a.endClearText();
    BCPGOutputStream b = new BCPGOutputStream(a, PacketFormat.CURRENT);
    try {
      for (PGPSignatureGenerator g : gens) {
        g.generate().encode(b);
      }
    } catch (PGPException e) {
      throw new OpenPgpException(OpenPgpError.KEY_CANNOT_SIGN, "cannot sign", e);
    }
    b.flush();
    a.close();
  }

  static PGPPrivateKey unlock(OpenPGPKey.OpenPGPSecretKey s, List<char[]> pw)
      throws PGPException, OpenPgpException {
    if (!s.isLocked()) {
      return s.unlock().getKeyPair().getPrivateKey();
    }
    for (char[] p : pw) {
      if (s.isPassphraseCorrect(p.clone())) {
        return s.unlock(p.clone()).getKeyPair().getPrivateKey();
      }
    }
    throw new OpenPgpException(OpenPgpError.KEY_IS_PROTECTED, "the signing key is protected");
  }

  /** Lines of the text (split on LF, CR dropped); a final line break yields a last empty line. */
  static List<String> lines(byte[] text) {
    String s = new String(text, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        String l = s.substring(start, i);
        out.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  static String stripTrailing(String l) {
    int e = l.length();
    while (e > 0
        && (l.charAt(e - 1) == ' ' || l.charAt(e - 1) == '\t' || l.charAt(e - 1) == '\r')) {
      e--;
    }
    return l.substring(0, e);
  }

  /**
   * A cleartext-signed message taken apart (for {@code MailReader}): the text as read (LF line
   * ends), the exact bytes signed, and the signature packets (binary).
   */
  public record Parts(byte[] text, byte[] signed, byte[] signature) {}

  /** Takes {@code message} apart; IOException when it is not one cleartext-signed message. */
  public static Parts split(byte[] message) throws IOException {
    InputStream dec =
        org.bouncycastle.openpgp.PGPUtil.getDecoderStream(
            new java.io.ByteArrayInputStream(message));
    if (!(dec instanceof ArmoredInputStream a) || !a.isClearText()) {
      throw new IOException("not a cleartext-signed message");
    }
    Text t = readClearText(a);
    return new Parts(t.text(), t.signed(), a.readAllBytes());
  }

  /** The cleartext as read and as signed: {@code text} has LF line ends, {@code signed} CRLF. */
  record Text(byte[] text, byte[] signed) {}

  /** Reads the cleartext part. */
  static Text readClearText(ArmoredInputStream a) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    int ch;
    while ((ch = a.read()) >= 0) {
      if (!a.isClearText()) {
        break; // that byte already belongs to the signature's armor header line
      }
      raw.write(ch);
      if (raw.size() > 64 * 1024 * 1024) {
        throw new SOPGPException.BadData("cleartext larger than 64 MiB");
      }
    }
    byte[] r = raw.toByteArray();
    int len = r.length;
    // drop the line break that belongs to the armor, not to the text
    if (len > 0 && r[len - 1] == '\n') {
      len--;
      if (len > 0 && r[len - 1] == '\r') {
        len--;
      }
    }
    List<String> lines = lines(java.util.Arrays.copyOf(r, len));
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    for (int i = 0; i < lines.size(); i++) {
      signed.write(stripTrailing(lines.get(i)).getBytes(StandardCharsets.UTF_8));
      text.write(lines.get(i).getBytes(StandardCharsets.UTF_8));
      if (i < lines.size() - 1) {
        signed.write('\r');
        signed.write('\n');
        text.write('\n');
      }
    }
    return new Text(text.toByteArray(), signed.toByteArray());
  }

  static List<PGPSignature> readSignatures(InputStream a) throws IOException {
    List<PGPSignature> sigs = new ArrayList<>();
    PGPObjectFactory f = Bc.impl().pgpObjectFactory(a);
    Object o;
    while ((o = f.nextObject()) != null) {
      if (o instanceof PGPSignatureList l) {
        for (PGPSignature s : l) {
          sigs.add(s);
        }
      }
    }
    return sigs;
  }

  static void detach(ArmoredInputStream a, OutputStream o, List<PGPSignature> sigs)
      throws IOException {
    Text t = readClearText(a);
    o.write(t.text());
    sigs.addAll(readSignatures(a));
  }

  /** Verifies a cleartext-signed message; writes the text; returns the good verifications. */
  static List<Verification> verify(
      ArmoredInputStream a,
      OutputStream o,
      List<OpenPGPCertificate> certs,
      Date notBefore,
      Date notAfter)
      throws IOException {
    Text read = readClearText(a);
    byte[] text = read.signed();
    List<PGPSignature> sigs = readSignatures(a);
    o.write(read.text());
    List<Verification> good = new ArrayList<>();
    for (PGPSignature s : sigs) {
      for (OpenPGPCertificate c : certs) {
        OpenPGPCertificate.OpenPGPComponentKey k = c.getSigningKeyFor(s);
        if (k == null) {
          continue;
        }
        try {
          s.init(Bc.impl().pgpContentVerifierBuilderProvider(), k.getPGPPublicKey());
          s.update(text);
          Date t = s.getCreationTime();
          if (s.verify()
              && k.isSigningKey(t)
              && c.getPrimaryKey().getRevocation(t) == null
              && (notBefore == null || !t.before(notBefore))
              && (notAfter == null || !t.after(notAfter))) {
            good.add(
                new Verification(
                    t,
                    Bc.hex(k.getPGPPublicKey().getFingerprint()),
                    Bc.hex(c.getFingerprint()),
                    SignatureMode.text,
                    (String) null));
          }
        } catch (PGPException | RuntimeException e) {
          // a malformed or unverifiable signature is simply not a good one
        }
      }
    }
    return good;
  }
}
