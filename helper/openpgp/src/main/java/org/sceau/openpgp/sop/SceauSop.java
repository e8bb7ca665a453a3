package org.sceau.openpgp.sop;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.PacketFormat;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPSignature;
import org.sceau.openpgp.KeyProfile;
import org.sceau.openpgp.KeySpec;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.internal.Bc;
import org.sceau.openpgp.internal.BcSecretKey;
import org.sceau.openpgp.internal.KeyFactory;
import org.sceau.openpgp.internal.Messages;
import sop.DecryptionResult;
import sop.EncryptionResult;
import sop.MicAlg;
import sop.Profile;
import sop.Ready;
import sop.ReadyWithResult;
import sop.SOP;
import sop.SessionKey;
import sop.Signatures;
import sop.SigningResult;
import sop.Verification;
import sop.enums.EncryptAs;
import sop.enums.InlineSignAs;
import sop.enums.SignAs;
import sop.exception.SOPGPException;
import sop.operation.Armor;
import sop.operation.CertifyUserId;
import sop.operation.ChangeKeyPassword;
import sop.operation.Dearmor;
import sop.operation.Decrypt;
import sop.operation.DetachedSign;
import sop.operation.DetachedVerify;
import sop.operation.Encrypt;
import sop.operation.ExtractCert;
import sop.operation.GenerateKey;
import sop.operation.InlineDetach;
import sop.operation.InlineSign;
import sop.operation.InlineVerify;
import sop.operation.ListProfiles;
import sop.operation.MergeCerts;
import sop.operation.RevokeKey;
import sop.operation.UpdateKey;
import sop.operation.ValidateUserId;
import sop.operation.VerifySignatures;
import sop.operation.Version;

/**
 * The Stateless OpenPGP interface (draft-dkg-openpgp-stateless-cli) over Sceau's engine. Every
 * operation streams; the picocli frame in {@link SopMain} maps exceptions to the spec's exit codes.
 */
public final class SceauSop implements SOP {
  static final Profile RFC4880 =
      new Profile("rfc4880", "v4 Ed25519 + Cv25519 (default; GnuPG 2.2, Sequoia, Thunderbird)")
          .withAliases("default", "compatibility", "cv25519");
  static final Profile RSA3072 = new Profile("rsa3072", "v4 RSA-3072");
  static final Profile RFC9580 =
      new Profile("rfc9580", "v6 Ed25519 + X25519 (RFC 9580)").withAliases("performance");
  static final Profile ENCRYPT_DEFAULT =
      new Profile("rfc4880", "SEIPDv1, or SEIPDv2 when every recipient supports it")
          .withAliases("default");
  // rsa4096 stays available in the engine (KeyProfile.RSA_4096); SOP lists what tests can afford.
  static final List<Profile> KEY_PROFILES = List.of(RFC4880, RSA3072, RFC9580);

  @Override
  public Version version() {
    return new SopVersion();
  }

  @Override
  public GenerateKey generateKey() {
    return new Gen();
  }

  @Override
  public ExtractCert extractCert() {
    return new Extract();
  }

  @Override
  public DetachedSign detachedSign() {
    return new Sign();
  }

  @Override
  public DetachedVerify detachedVerify() {
    return new Verify();
  }

  @Override
  public InlineSign inlineSign() {
    return new InSign();
  }

  @Override
  public InlineVerify inlineVerify() {
    return new InVerify();
  }

  @Override
  public InlineDetach inlineDetach() {
    return new Detach();
  }

  @Override
  public Encrypt encrypt() {
    return new Enc();
  }

  @Override
  public Decrypt decrypt() {
    return new Dec();
  }

  @Override
  public Armor armor() {
    return new ArmorOp();
  }

  @Override
  public Dearmor dearmor() {
    return new DearmorOp();
  }

  @Override
  public ListProfiles listProfiles() {
    return command -> {
      if ("generate-key".equals(command)) {
        return KEY_PROFILES;
      }
      if ("encrypt".equals(command)) {
        return List.of(ENCRYPT_DEFAULT);
      }
      throw new SOPGPException.UnsupportedProfile(command);
    };
  }

  @Override
  public RevokeKey revokeKey() {
    return new Revoke();
  }

  @Override
  public ChangeKeyPassword changeKeyPassword() {
    return new ChangePw();
  }

  @Override
  public UpdateKey updateKey() {
    return null; // not supported: SOP reports "unsupported subcommand"
  }

  @Override
  public MergeCerts mergeCerts() {
    return new Merge();
  }

  @Override
  public CertifyUserId certifyUserId() {
    return null;
  }

  @Override
  public ValidateUserId validateUserId() {
    return null;
  }

  // ---------------------------------------------------------------- version

  static final class SopVersion implements Version {
    @Override
    public String getName() {
      return "sceau-sop";
    }

    @Override
    public String getVersion() {
      return "0.1.0";
    }

    @Override
    public String getBackendVersion() {
      return "Bouncy Castle "
          + org.bouncycastle.util.Strings.class.getPackage().getImplementationVersion();
    }

    @Override
    public String getExtendedVersion() {
      return getName()
          + " "
          + getVersion()
          + "\n"
          + getBackendVersion()
          + "\nJava "
          + System.getProperty("java.version")
          + "\nSEIPDv1 AES via the JDK provider; SEIPDv2/AEAD and public-key crypto via Bouncy Castle";
    }

    @Override
    public int getSopSpecRevisionNumber() {
      return 14;
    }

    @Override
    public boolean isSopSpecImplementationIncomplete() {
      return true;
    }

    @Override
    public String getSopSpecImplementationRemarks() {
      return "update-key, certify-user-id, validate-user-id and inline-sign --as=clearsigned are not"
          + " implemented";
    }

    @Override
    public String getSopVVersion() {
      return "1.0";
    }
  }

  // ---------------------------------------------------------------- generate-key

  static final class Gen implements GenerateKey {
    boolean armor = true;
    final List<String> uids = new ArrayList<>();
    String password;
    KeyProfile profile = KeyProfile.CURVE25519;
    boolean signingOnly;

    @Override
    public GenerateKey noArmor() {
      armor = false;
      return this;
    }

    @Override
    public GenerateKey userId(String userId) {
      uids.add(userId);
      return this;
    }

    @Override
    public GenerateKey withKeyPassword(String p) {
      password = p;
      return this;
    }

    @Override
    public GenerateKey withKeyPassword(byte[] p) {
      return withKeyPassword(SopSupport.password(p));
    }

    @Override
    public GenerateKey profile(String name) {
      for (Profile p : KEY_PROFILES) {
        if (p.getName().equals(name) || p.getAliases().contains(name)) {
          profile =
              switch (p.getName()) {
                case "rsa3072" -> KeyProfile.RSA_3072;
                case "rsa4096" -> KeyProfile.RSA_4096;
                case "rfc9580" -> KeyProfile.CURVE25519_V6;
                default -> KeyProfile.CURVE25519;
              };
          return this;
        }
      }
      throw new SOPGPException.UnsupportedProfile("generate-key", name);
    }

    @Override
    public GenerateKey signingOnly() {
      signingOnly = true;
      return this;
    }

    @Override
    public Ready generate() {
      // SOP: trailing whitespace of a new password is stripped.
      Passphrase pass =
          password == null ? Passphrase.none() : Passphrase.of(password.stripTrailing());
      KeySpec spec = new KeySpec(uids, profile, KeySpec.DEFAULT_VALIDITY, pass, signingOnly);
      byte[] out;
      try {
        out = KeyFactory.generate(spec, false).key().encoded(enc(armor));
      } catch (OpenPgpException e) {
        throw SopSupport.map(e);
      }
      return bytes(out);
    }
  }

  static org.sceau.openpgp.Encoding enc(boolean armor) {
    return armor ? org.sceau.openpgp.Encoding.ARMORED : org.sceau.openpgp.Encoding.BINARY;
  }

  static Ready bytes(byte[] b) {
    return new Ready() {
      @Override
      public void writeTo(OutputStream o) throws IOException {
        o.write(b);
      }
    };
  }

  /** Writes every certificate/key, armored once as a whole or binary. */
  static Ready keyMaterial(List<? extends OpenPGPCertificate> certs, boolean armor) {
    return new Ready() {
      @Override
      public void writeTo(OutputStream o) throws IOException {
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        for (OpenPGPCertificate c : certs) {
          bin.write(c.getEncoded(PacketFormat.CURRENT));
        }
        if (!armor) {
          o.write(bin.toByteArray());
          return;
        }
        ArmoredOutputStream a = Bc.armor(new Messages.NonClosingStream(o));
        a.write(bin.toByteArray());
        a.close();
      }
    };
  }

  // ---------------------------------------------------------------- extract-cert

  static final class Extract implements ExtractCert {
    boolean armor = true;

    @Override
    public ExtractCert noArmor() {
      armor = false;
      return this;
    }

    @Override
    public Ready key(InputStream in) throws IOException {
      List<OpenPGPCertificate> certs = new ArrayList<>();
      for (OpenPGPKey k : SopSupport.keys(in)) {
        certs.add(k.toCertificate());
      }
      return keyMaterial(certs, armor);
    }
  }

  // ---------------------------------------------------------------- sign / verify

  static final class Sign implements DetachedSign {
    boolean armor = true;
    boolean text;
    final List<OpenPGPKey> keys = new ArrayList<>();
    final List<String> passwords = new ArrayList<>();

    @Override
    public DetachedSign noArmor() {
      armor = false;
      return this;
    }

    @Override
    public DetachedSign key(InputStream in) throws IOException {
      for (OpenPGPKey k : SopSupport.keys(in)) {
        if (k.getSigningKeys(new Date()).isEmpty()) {
          throw new SOPGPException.KeyCannotSign("key cannot sign: " + Bc.hex(k.getFingerprint()));
        }
        keys.add(k);
      }
      return this;
    }

    @Override
    public DetachedSign withKeyPassword(byte[] p) {
      passwords.add(SopSupport.password(p));
      return this;
    }

    @Override
    public DetachedSign mode(SignAs mode) {
      text = mode == SignAs.text;
      return this;
    }

    @Override
    public ReadyWithResult<SigningResult> data(InputStream in) throws IOException {
      if (keys.isEmpty()) {
        throw new SOPGPException.MissingArg("no signing key");
      }
      try {
        Messages.checkSigners(keys, SopSupport.variants(passwords));
      } catch (OpenPgpException e) {
        throw SopSupport.map(e);
      }
      InputStream data = text ? SopSupport.requireText(in) : in;
      return new ReadyWithResult<>() {
        @Override
        public SigningResult writeTo(OutputStream o) throws IOException {
          try {
            List<OpenPGPSignature.OpenPGPDocumentSignature> s =
                Messages.signDetached(data, o, keys, SopSupport.variants(passwords), armor, text);
            return new SigningResult(
                MicAlg.fromHashAlgorithmId(s.get(0).getSignature().getHashAlgorithm()));
          } catch (OpenPgpException e) {
            throw SopSupport.map(e);
          }
        }
      };
    }
  }

  static final class Verify implements DetachedVerify {
    Date notBefore;
    Date notAfter;
    final List<OpenPGPCertificate> certs = new ArrayList<>();
    byte[] sigs;

    @Override
    public DetachedVerify notBefore(Date d) {
      notBefore = d;
      return this;
    }

    @Override
    public DetachedVerify notAfter(Date d) {
      notAfter = d;
      return this;
    }

    @Override
    public DetachedVerify cert(InputStream in) throws IOException {
      certs.addAll(SopSupport.certs(in));
      return this;
    }

    @Override
    public VerifySignatures signatures(InputStream in) throws IOException {
      try {
        sigs = Bc.readBounded(in);
      } catch (OpenPgpException e) {
        throw new SOPGPException.BadData(e.getMessage(), e);
      }
      if (!Messages.hasSignaturePackets(sigs)) {
        throw new SOPGPException.BadData("no OpenPGP signature in the input");
      }
      return this;
    }

    @Override
    public List<Verification> data(InputStream in) throws IOException {
      if (certs.isEmpty()) {
        throw new SOPGPException.MissingArg("no certificate to verify with");
      }
      List<OpenPGPSignature.OpenPGPDocumentSignature> l;
      try {
        l = Messages.verifyDetached(in, sigs, certs, notBefore, notAfter);
      } catch (OpenPgpException e) {
        throw SopSupport.map(e);
      }
      List<Verification> good = SopSupport.good(l, notBefore, notAfter);
      if (good.isEmpty()) {
        throw new SOPGPException.NoSignature("no good signature by the given certificates");
      }
      return good;
    }
  }

  // ---------------------------------------------------------------- inline sign / verify / detach

  static final class InSign implements InlineSign {
    boolean armor = true;
    InlineSignAs mode = InlineSignAs.binary;
    final List<OpenPGPKey> keys = new ArrayList<>();
    final List<String> passwords = new ArrayList<>();

    @Override
    public InlineSign noArmor() {
      armor = false;
      return this;
    }

    @Override
    public InlineSign key(InputStream in) throws IOException {
      for (OpenPGPKey k : SopSupport.keys(in)) {
        if (k.getSigningKeys(new Date()).isEmpty()) {
          throw new SOPGPException.KeyCannotSign("key cannot sign: " + Bc.hex(k.getFingerprint()));
        }
        keys.add(k);
      }
      return this;
    }

    @Override
    public InlineSign withKeyPassword(byte[] p) {
      passwords.add(SopSupport.password(p));
      return this;
    }

    @Override
    public InlineSign mode(InlineSignAs m) {
      mode = m;
      return this;
    }

    @Override
    public Ready data(InputStream in) throws IOException {
      if (keys.isEmpty()) {
        throw new SOPGPException.MissingArg("no signing key");
      }
      List<char[]> pw = SopSupport.variants(passwords);
      try {
        Messages.checkSigners(keys, pw);
      } catch (OpenPgpException e) {
        throw SopSupport.map(e);
      }
      boolean text = mode != InlineSignAs.binary;
      InputStream data = text ? SopSupport.requireText(in) : in;
      if (mode == InlineSignAs.clearsigned) {
        if (!armor) {
          throw new SOPGPException.IncompatibleOptions("--no-armor with --as=clearsigned");
        }
        return new Ready() {
          @Override
          public void writeTo(OutputStream o) throws IOException {
            try {
              Cleartext.sign(data.readAllBytes(), o, keys, pw);
            } catch (OpenPgpException e) {
              throw SopSupport.map(e);
            }
          }
        };
      }
      Messages.EncryptSpec spec =
          new Messages.EncryptSpec(List.of(), List.of(), keys, pw, armor, text);
      return new Ready() {
        @Override
        public void writeTo(OutputStream o) throws IOException {
          try (OutputStream s = Messages.open(o, spec)) {
            data.transferTo(s);
          } catch (OpenPgpException e) {
            throw SopSupport.map(e);
          }
        }
      };
    }
  }

  static final class InVerify implements InlineVerify {
    Date notBefore;
    Date notAfter;
    final List<OpenPGPCertificate> certs = new ArrayList<>();

    @Override
    public InlineVerify notBefore(Date d) {
      notBefore = d;
      return this;
    }

    @Override
    public InlineVerify notAfter(Date d) {
      notAfter = d;
      return this;
    }

    @Override
    public InlineVerify cert(InputStream in) throws IOException {
      certs.addAll(SopSupport.certs(in));
      return this;
    }

    @Override
    public ReadyWithResult<List<Verification>> data(InputStream in) throws IOException {
      return new ReadyWithResult<>() {
        @Override
        public List<Verification> writeTo(OutputStream o) throws IOException {
          InputStream dec = PGPUtil.getDecoderStream(new java.io.BufferedInputStream(in));
          if (dec instanceof ArmoredInputStream a && a.isClearText()) {
            List<Verification> good = Cleartext.verify(a, o, certs, notBefore, notAfter);
            if (good.isEmpty()) {
              throw new SOPGPException.NoSignature("no good signature by the given certificates");
            }
            return good;
          }
          Messages.Decrypted d;
          try {
            d =
                Messages.decrypt(
                    dec,
                    o,
                    new Messages.DecryptSpec(
                        List.of(), List.of(), certs, List.of(), null, notBefore, notAfter));
          } catch (OpenPgpException e) {
            throw SopSupport.map(e);
          }
          List<Verification> good = SopSupport.good(d.signatures(), notBefore, notAfter);
          if (good.isEmpty()) {
            throw new SOPGPException.NoSignature("no good signature by the given certificates");
          }
          return good;
        }
      };
    }
  }

  static final class Detach implements InlineDetach {
    boolean armor = true;

    @Override
    public InlineDetach noArmor() {
      armor = false;
      return this;
    }

    @Override
    public ReadyWithResult<Signatures> message(InputStream in) throws IOException {
      return new ReadyWithResult<>() {
        @Override
        public Signatures writeTo(OutputStream o) throws IOException {
          List<PGPSignature> sigs = new ArrayList<>();
          InputStream dec = PGPUtil.getDecoderStream(new java.io.BufferedInputStream(in));
          if (dec instanceof ArmoredInputStream a && a.isClearText()) {
            Cleartext.detach(a, o, sigs);
          } else {
            try {
              detachBinary(dec, o, sigs, 0);
            } catch (PGPException | RuntimeException e) {
              throw new SOPGPException.BadData("not an inline-signed message", e);
            }
          }
          if (sigs.isEmpty()) {
            throw new SOPGPException.BadData("no signatures in the message");
          }
          return new Signatures() {
            @Override
            public void writeTo(OutputStream so) throws IOException {
              OutputStream t = new Messages.NonClosingStream(so);
              ArmoredOutputStream a = armor ? Bc.armor(t) : null;
              BCPGOutputStream b = new BCPGOutputStream(a != null ? a : t, PacketFormat.CURRENT);
              for (PGPSignature s : sigs) {
                s.encode(b);
              }
              b.close();
              if (a != null) {
                a.close();
              }
            }
          };
        }
      };
    }

    static void detachBinary(InputStream in, OutputStream o, List<PGPSignature> sigs, int depth)
        throws IOException, PGPException {
      if (depth > 8) {
        throw new SOPGPException.BadData("too deeply nested");
      }
      PGPObjectFactory f = Bc.impl().pgpObjectFactory(in);
      boolean literal = false;
      Object obj;
      while ((obj = f.nextObject()) != null) {
        if (obj instanceof PGPOnePassSignatureList) {
          continue;
        } else if (obj instanceof PGPCompressedData c) {
          detachBinary(c.getDataStream(), o, sigs, depth + 1);
          literal = true;
        } else if (obj instanceof PGPLiteralData l) {
          l.getDataStream().transferTo(o);
          literal = true;
        } else if (obj instanceof PGPSignatureList sl) {
          for (PGPSignature s : sl) {
            sigs.add(s);
          }
        } else {
          throw new SOPGPException.BadData("unexpected packet in a signed message");
        }
      }
      if (!literal && depth == 0) {
        throw new SOPGPException.BadData("no literal data");
      }
    }
  }

  // ---------------------------------------------------------------- encrypt / decrypt

  static final class Enc implements Encrypt {
    boolean armor = true;
    boolean text;
    final List<OpenPGPCertificate> certs = new ArrayList<>();
    final List<OpenPGPKey> signers = new ArrayList<>();
    final List<String> keyPasswords = new ArrayList<>();
    final List<String> passwords = new ArrayList<>();

    @Override
    public Encrypt noArmor() {
      armor = false;
      return this;
    }

    @Override
    public Encrypt mode(EncryptAs mode) {
      text = mode == EncryptAs.text;
      return this;
    }

    @Override
    public Encrypt signWith(InputStream in) throws IOException {
      for (OpenPGPKey k : SopSupport.keys(in)) {
        if (k.getSigningKeys(new Date()).isEmpty()) {
          throw new SOPGPException.KeyCannotSign("key cannot sign: " + Bc.hex(k.getFingerprint()));
        }
        signers.add(k);
      }
      return this;
    }

    @Override
    public Encrypt withKeyPassword(byte[] p) {
      keyPasswords.add(SopSupport.password(p));
      return this;
    }

    @Override
    public Encrypt withPassword(String p) {
      passwords.add(p);
      return this;
    }

    @Override
    public Encrypt withCert(InputStream in) throws IOException {
      for (OpenPGPCertificate c : SopSupport.certs(in)) {
        if (c.getEncryptionKeys(new Date()).isEmpty()) {
          throw new SOPGPException.CertCannotEncrypt(
              "certificate cannot encrypt: " + Bc.hex(c.getFingerprint()));
        }
        certs.add(c);
      }
      return this;
    }

    @Override
    public Encrypt profile(String p) {
      if (!ENCRYPT_DEFAULT.getName().equals(p) && !ENCRYPT_DEFAULT.getAliases().contains(p)) {
        throw new SOPGPException.UnsupportedProfile("encrypt", p);
      }
      return this;
    }

    @Override
    public ReadyWithResult<EncryptionResult> plaintext(InputStream in) throws IOException {
      if (certs.isEmpty() && passwords.isEmpty()) {
        throw new SOPGPException.MissingArg("no certificate or password to encrypt to");
      }
      List<char[]> kp = SopSupport.variants(keyPasswords);
      try {
        Messages.checkSigners(signers, kp);
      } catch (OpenPgpException e) {
        throw SopSupport.map(e);
      }
      InputStream data = text ? SopSupport.requireText(in) : in;
      List<char[]> pw = new ArrayList<>();
      for (String p : passwords) {
        pw.add(p.toCharArray());
      }
      Messages.EncryptSpec spec = new Messages.EncryptSpec(certs, pw, signers, kp, armor, text);
      return new ReadyWithResult<>() {
        @Override
        public EncryptionResult writeTo(OutputStream o) throws IOException {
          PGPSessionKey[] sk = new PGPSessionKey[1];
          try (OutputStream s = Messages.open(o, spec, k -> sk[0] = k)) {
            data.transferTo(s);
          } catch (OpenPgpException e) {
            throw SopSupport.map(e);
          }
          return new EncryptionResult(
              sk[0] == null ? null : new SessionKey((byte) sk[0].getAlgorithm(), sk[0].getKey()));
        }
      };
    }
  }

  static final class Dec implements Decrypt {
    Date notBefore;
    Date notAfter;
    final List<OpenPGPCertificate> certs = new ArrayList<>();
    final List<OpenPGPKey> keys = new ArrayList<>();
    final List<String> keyPasswords = new ArrayList<>();
    final List<String> passwords = new ArrayList<>();
    final List<SessionKey> sessionKeys = new ArrayList<>();

    @Override
    public Decrypt verifyNotBefore(Date d) {
      notBefore = d;
      return this;
    }

    @Override
    public Decrypt verifyNotAfter(Date d) {
      notAfter = d;
      return this;
    }

    @Override
    public Decrypt verifyWithCert(InputStream in) throws IOException {
      certs.addAll(SopSupport.certs(in));
      return this;
    }

    @Override
    public Decrypt withSessionKey(SessionKey k) {
      sessionKeys.add(k);
      return this;
    }

    @Override
    public Decrypt withPassword(String p) {
      passwords.add(p);
      return this;
    }

    @Override
    public Decrypt withKey(InputStream in) throws IOException {
      keys.addAll(SopSupport.keys(in));
      return this;
    }

    @Override
    public Decrypt withKeyPassword(byte[] p) {
      keyPasswords.add(SopSupport.password(p));
      return this;
    }

    @Override
    public ReadyWithResult<DecryptionResult> ciphertext(InputStream in) throws IOException {
      if (keys.isEmpty() && passwords.isEmpty() && sessionKeys.isEmpty()) {
        throw new SOPGPException.MissingArg("no key, password or session key to decrypt with");
      }
      List<char[]> pw = SopSupport.variants(passwords);
      List<char[]> kp = SopSupport.variants(keyPasswords);
      PGPSessionKey sk =
          sessionKeys.isEmpty()
              ? null
              : new PGPSessionKey(sessionKeys.get(0).getAlgorithm(), sessionKeys.get(0).getKey());
      Messages.DecryptSpec spec =
          new Messages.DecryptSpec(keys, kp, certs, pw, sk, notBefore, notAfter);
      return new ReadyWithResult<>() {
        @Override
        public DecryptionResult writeTo(OutputStream o) throws IOException {
          Messages.Decrypted d;
          try {
            d = Messages.decrypt(in, o, spec);
          } catch (OpenPgpException e) {
            if (e.code() == OpenPgpError.NO_DECRYPTION_KEY && lockedWithoutPassword(kp)) {
              throw new SOPGPException.KeyIsProtected("the key is protected: give its password");
            }
            throw SopSupport.map(e);
          }
          if (!d.encrypted()) {
            throw new SOPGPException.BadData("the input is not an encrypted message");
          }
          PGPSessionKey s = d.sessionKey();
          return new DecryptionResult(
              s == null ? null : new SessionKey((byte) s.getAlgorithm(), s.getKey()),
              SopSupport.good(d.signatures(), notBefore, notAfter));
        }
      };
    }

    boolean lockedWithoutPassword(List<char[]> kp) {
      for (OpenPGPKey k : keys) {
        for (OpenPGPKey.OpenPGPSecretKey s : k.getSecretKeys().values()) {
          if (s.isLocked()) {
            boolean ok = false;
            for (char[] p : kp) {
              ok |= s.isPassphraseCorrect(p.clone());
            }
            if (!ok) {
              return true;
            }
          }
        }
      }
      return false;
    }
  }

  // ---------------------------------------------------------------- armor / dearmor

  static final class ArmorOp implements Armor {
    @Override
    public Ready data(InputStream in) throws IOException {
      java.io.BufferedInputStream b = new java.io.BufferedInputStream(in);
      b.mark(64);
      byte[] head = b.readNBytes(32);
      b.reset();
      if (new String(head, StandardCharsets.US_ASCII).trim().startsWith("-----BEGIN PGP")) {
        // Already armored: SOP armor is idempotent.
        return new Ready() {
          @Override
          public void writeTo(OutputStream o) throws IOException {
            b.transferTo(o);
          }
        };
      }
      if (head.length == 0 || (head[0] & 0x80) == 0) {
        throw new SOPGPException.BadData("input is not OpenPGP data");
      }
      return new Ready() {
        @Override
        public void writeTo(OutputStream o) throws IOException {
          ArmoredOutputStream a = Bc.armor(new Messages.NonClosingStream(o));
          b.transferTo(a);
          a.close();
        }
      };
    }
  }

  static final class DearmorOp implements Dearmor {
    @Override
    public Ready data(InputStream in) throws IOException {
      InputStream dec;
      try {
        dec = PGPUtil.getDecoderStream(new java.io.BufferedInputStream(in));
      } catch (IOException e) {
        throw new SOPGPException.BadData("cannot read the input", e);
      }
      return new Ready() {
        @Override
        public void writeTo(OutputStream o) throws IOException {
          try {
            dec.transferTo(o);
          } catch (IOException e) {
            throw new SOPGPException.BadData("bad armor", e);
          }
        }
      };
    }
  }

  // ---------------------------------------------------------------- key management

  static final class Revoke implements RevokeKey {
    boolean armor = true;
    final List<String> passwords = new ArrayList<>();

    @Override
    public RevokeKey noArmor() {
      armor = false;
      return this;
    }

    @Override
    public RevokeKey withKeyPassword(byte[] p) {
      passwords.add(SopSupport.password(p));
      return this;
    }

    @Override
    public Ready keys(InputStream in) throws IOException {
      List<OpenPGPCertificate> out = new ArrayList<>();
      List<char[]> pw = SopSupport.variants(passwords);
      for (OpenPGPKey k : SopSupport.keys(in)) {
        if (!new BcSecretKey(k).isProtected() || unlocksAll(k, pw)) {
          try {
            out.add(KeyFactory.revoke(k, pw).toCertificate());
          } catch (OpenPgpException e) {
            throw SopSupport.map(e);
          }
        } else {
          throw new SOPGPException.KeyIsProtected("the key is protected: give its password");
        }
      }
      return keyMaterial(out, armor);
    }
  }

  static boolean unlocksAll(OpenPGPKey k, List<char[]> pw) {
    OpenPGPKey.OpenPGPSecretKey primary = k.getPrimarySecretKey();
    if (!primary.isLocked()) {
      return true;
    }
    for (char[] p : pw) {
      if (primary.isPassphraseCorrect(p.clone())) {
        return true;
      }
    }
    return false;
  }

  static final class ChangePw implements ChangeKeyPassword {
    boolean armor = true;
    final List<String> olds = new ArrayList<>();
    String newPass;

    @Override
    public ChangeKeyPassword noArmor() {
      armor = false;
      return this;
    }

    @Override
    public ChangeKeyPassword oldKeyPassphrase(String p) {
      olds.add(p);
      return this;
    }

    @Override
    public ChangeKeyPassword newKeyPassphrase(String p) {
      newPass = p;
      return this;
    }

    @Override
    public Ready keys(InputStream in) {
      List<OpenPGPKey> out = new ArrayList<>();
      try {
        for (OpenPGPKey k : SopSupport.keys(in)) {
          out.add(
              KeyFactory.changePassphrase(
                  k,
                  SopSupport.variants(olds),
                  newPass == null || newPass.isEmpty() ? null : newPass.toCharArray()));
        }
      } catch (OpenPgpException e) {
        throw SopSupport.map(e);
      } catch (IOException e) {
        throw new SOPGPException.BadData("cannot read the key", e);
      }
      return keyMaterial(out, armor);
    }
  }

  static final class Merge implements MergeCerts {
    static OpenPGPCertificate join(OpenPGPCertificate a, OpenPGPCertificate b) {
      try {
        return new OpenPGPCertificate(
            org.bouncycastle.openpgp.PGPPublicKeyRing.join(
                a.getPGPPublicKeyRing(), b.getPGPPublicKeyRing()),
            Bc.impl());
      } catch (PGPException e) {
        throw new SOPGPException.BadData("cannot merge", e);
      }
    }

    boolean armor = true;
    final List<OpenPGPCertificate> updates = new ArrayList<>();

    @Override
    public MergeCerts noArmor() {
      armor = false;
      return this;
    }

    @Override
    public MergeCerts updates(InputStream in) throws IOException {
      updates.addAll(SopSupport.certs(in));
      return this;
    }

    @Override
    public Ready baseCertificates(InputStream in) throws IOException {
      // Same fingerprint twice (in the base or in the updates) merges into one certificate.
      java.util.LinkedHashMap<String, OpenPGPCertificate> byFpr = new java.util.LinkedHashMap<>();
      for (OpenPGPCertificate base : SopSupport.certs(in)) {
        byFpr.merge(Bc.hex(base.getFingerprint()), base, Merge::join);
      }
      for (OpenPGPCertificate u : updates) {
        byFpr.computeIfPresent(Bc.hex(u.getFingerprint()), (k, base) -> join(base, u));
      }
      List<OpenPGPCertificate> out = new ArrayList<>(byFpr.values());
      return keyMaterial(out, armor);
    }
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  static String unusedLower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  static ByteArrayInputStream in(byte[] b) {
    return new ByteArrayInputStream(b);
  }
}
