package org.sceau.openpgp.internal;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPSignature;
import org.sceau.openpgp.SignatureStatus;
import org.sceau.openpgp.SignatureVerdict;

/** Turns BC's document signatures into explicit verdicts. */
public final class Verdicts {
  private Verdicts() {}

  public static List<SignatureVerdict> of(List<OpenPGPSignature.OpenPGPDocumentSignature> sigs) {
    List<SignatureVerdict> out = new ArrayList<>();
    for (OpenPGPSignature.OpenPGPDocumentSignature s : sigs) {
      out.add(of(s));
    }
    return out;
  }

  /** Verdicts for verified signatures plus UNKNOWN_KEY ones for signatures BC could not check. */
  public static List<SignatureVerdict> of(
      List<OpenPGPSignature.OpenPGPDocumentSignature> sigs,
      List<OpenPGPSignature> unknown,
      List<org.bouncycastle.bcpg.KeyIdentifier> missing) {
    List<SignatureVerdict> out = of(sigs);
    if (unknown.isEmpty()) {
      java.util.Set<String> seen = new java.util.LinkedHashSet<>();
      for (org.bouncycastle.bcpg.KeyIdentifier id : missing) {
        if (seen.add(id.toString())) {
          out.add(
              new SignatureVerdict(
                  SignatureStatus.UNKNOWN_KEY,
                  Optional.empty(),
                  id.toString(),
                  Optional.empty(),
                  "signer's key not known"));
        }
      }
    }
    for (OpenPGPSignature s : unknown) {
      out.add(
          new SignatureVerdict(
              SignatureStatus.UNKNOWN_KEY,
              Optional.empty(),
              s.getKeyIdentifier() == null ? "unknown" : s.getKeyIdentifier().toString(),
              Optional.ofNullable(s.getSignature().getCreationTime()).map(Date::toInstant),
              "signer's key not known"));
    }
    return out;
  }

  /**
   * BC silently skips some signatures (e.g. made by a key that had expired by then). Every
   * signature packet in {@code sigBytes} without a verdict yet gets one here, from the certificates
   * alone.
   */
  public static List<SignatureVerdict> dropped(
      byte[] sigBytes, List<SignatureVerdict> have, List<OpenPGPCertificate> certs) {
    List<SignatureVerdict> out = new ArrayList<>();
    List<PGPSignature> all = new ArrayList<>();
    try {
      Object o =
          Bc.impl()
              .pgpObjectFactory(
                  org.bouncycastle.openpgp.PGPUtil.getDecoderStream(
                      new java.io.ByteArrayInputStream(sigBytes)))
              .nextObject();
      if (o instanceof org.bouncycastle.openpgp.PGPSignatureList l) {
        l.forEach(all::add);
      }
    } catch (java.io.IOException | RuntimeException e) {
      return out;
    }
    if (all.size() <= have.size()) {
      return out;
    }
    for (PGPSignature sig : all.subList(have.size(), all.size())) {
      Date when = sig.getCreationTime();
      Optional<java.time.Instant> created = Optional.ofNullable(when).map(Date::toInstant);
      OpenPGPCertificate.OpenPGPComponentKey issuer = null;
      for (OpenPGPCertificate c : certs) {
        issuer = c.getSigningKeyFor(sig);
        if (issuer == null) {
          for (org.bouncycastle.bcpg.KeyIdentifier id : sig.getKeyIdentifiers()) {
            issuer = issuer != null ? issuer : c.getKey(id);
          }
        }
        if (issuer != null) {
          break;
        }
      }
      if (issuer == null) {
        out.add(
            new SignatureVerdict(
                SignatureStatus.UNKNOWN_KEY, Optional.empty(), "unknown", created, "not known"));
        continue;
      }
      OpenPGPCertificate cert = issuer.getCertificate();
      Optional<String> fpr = Optional.of(Bc.hex(cert.getFingerprint()));
      String keyId = Bc.hex(issuer.getPGPPublicKey().getFingerprint());
      Date exp = expiry(cert, when);
      if (cert.getPrimaryKey().getRevocation(new Date()) != null) {
        out.add(new SignatureVerdict(SignatureStatus.KEY_REVOKED, fpr, keyId, created, "revoked"));
      } else if (exp != null && !exp.after(when)) {
        out.add(
            new SignatureVerdict(
                SignatureStatus.KEY_EXPIRED,
                fpr,
                keyId,
                created,
                "key expired on " + exp.toInstant()));
      } else {
        out.add(new SignatureVerdict(SignatureStatus.BAD, fpr, keyId, created, "not acceptable"));
      }
    }
    return out;
  }

  /**
   * Expiry as known at {@code when}; BC answers null once the key has expired, so ask for now too.
   */
  static Date expiry(OpenPGPCertificate cert, Date when) {
    Date e = cert.getExpirationTime(when);
    return e != null ? e : cert.getExpirationTime();
  }

  /** Verdicts for signatures BC rejected before verification (reported to its callback). */
  public static List<SignatureVerdict> rejected(List<Exception> errors) {
    List<SignatureVerdict> out = new ArrayList<>();
    for (Exception e : errors) {
      if (e instanceof org.bouncycastle.openpgp.api.exception.OpenPGPSignatureException se
          && se.getSignature() instanceof OpenPGPSignature.OpenPGPDocumentSignature ds) {
        out.add(of(ds));
      } else if (e instanceof org.bouncycastle.openpgp.api.exception.OpenPGPSignatureException se
          && se.getSignature() != null) {
        out.add(
            new SignatureVerdict(
                se.getSignature().getIssuer() == null
                    ? SignatureStatus.UNKNOWN_KEY
                    : SignatureStatus.BAD,
                Optional.empty(),
                String.valueOf(se.getSignature().getKeyIdentifier()),
                Optional.ofNullable(se.getSignature().getCreationTime()).map(Date::toInstant),
                String.valueOf(e.getMessage())));
      }
    }
    return out;
  }

  public static SignatureVerdict of(OpenPGPSignature.OpenPGPDocumentSignature s) {
    PGPSignature sig = s.getSignature();
    String keyId = s.getKeyIdentifier() == null ? "unknown" : s.getKeyIdentifier().toString();
    Optional<java.time.Instant> created =
        Optional.ofNullable(sig.getCreationTime()).map(Date::toInstant);
    OpenPGPCertificate.OpenPGPComponentKey issuer = s.getIssuer();
    if (issuer == null) {
      return new SignatureVerdict(
          SignatureStatus.UNKNOWN_KEY, Optional.empty(), keyId, created, "signer's key not known");
    }
    OpenPGPCertificate cert = issuer.getCertificate();
    Optional<String> fpr = Optional.of(Bc.hex(cert.getFingerprint()));
    keyId = Bc.hex(issuer.getPGPPublicKey().getFingerprint());
    String detail;
    boolean valid;
    try {
      valid = s.isValid(Bc.policy());
      detail = valid ? "good signature" : "signature does not verify";
    } catch (Exception e) {
      valid = false;
      detail = String.valueOf(e.getMessage());
    }
    Date when = sig.getCreationTime();
    Date now = new Date();
    if (cert.getPrimaryKey().getRevocation(when) != null
        || issuer.getRevocation(when) != null
        || cert.getPrimaryKey().getRevocation(now) != null) {
      return new SignatureVerdict(SignatureStatus.KEY_REVOKED, fpr, keyId, created, "key revoked");
    }
    Date exp = expiry(cert, when);
    if (exp != null && !exp.after(when)) {
      return new SignatureVerdict(
          SignatureStatus.KEY_EXPIRED, fpr, keyId, created, "key expired on " + exp.toInstant());
    }
    // BC's isValid does not apply the primary key's expiry to a subkey's signature: checked above.
    if (valid) {
      return new SignatureVerdict(SignatureStatus.GOOD, fpr, keyId, created, detail);
    }
    String lower = detail.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("revoked")) {
      return new SignatureVerdict(SignatureStatus.KEY_REVOKED, fpr, keyId, created, detail);
    }
    if (lower.contains("expired")) {
      return new SignatureVerdict(SignatureStatus.KEY_EXPIRED, fpr, keyId, created, detail);
    }
    return new SignatureVerdict(SignatureStatus.BAD, fpr, keyId, created, detail);
  }
}
