package org.sceau.bitmessage.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.sceau.bitmessage.MalformedObjectException;

/**
 * secp256k1 operations on Bouncy Castle's low-level API (the JDK dropped the curve in 16). Public
 * keys travel as 64 bytes X‖Y; hashes use the 65-byte 0x04‖X‖Y form.
 */
public final class Secp256k1 {
  private static final X9ECParameters X9 = CustomNamedCurves.getByName("secp256k1");
  public static final ECDomainParameters DOMAIN =
      new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(), X9.getH());
  private static final FixedPointCombMultiplier MULT = new FixedPointCombMultiplier();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secp256k1() {}

  /** True if {@code priv} (32 bytes) is a usable private scalar: 0 < d < n. */
  public static boolean isValidPrivateKey(byte[] priv) {
    if (priv.length != 32) {
      return false;
    }
    BigInteger d = new BigInteger(1, priv);
    return d.signum() > 0 && d.compareTo(DOMAIN.getN()) < 0;
  }

  public static byte[] randomPrivateKey() {
    byte[] k = new byte[32];
    do {
      RANDOM.nextBytes(k);
    } while (!isValidPrivateKey(k));
    return k;
  }

  public static ECPoint publicPoint(byte[] priv) {
    return MULT.multiply(DOMAIN.getG(), new BigInteger(1, priv)).normalize();
  }

  /** 65-byte uncompressed public key of a private key. */
  public static byte[] publicKey65(byte[] priv) {
    return publicPoint(priv).getEncoded(false);
  }

  /** 64-byte X‖Y public key (wire form). */
  public static byte[] publicKey64(byte[] priv) {
    return Arrays.copyOfRange(publicKey65(priv), 1, 65);
  }

  public static byte[] to65(byte[] key64) {
    byte[] out = new byte[65];
    out[0] = 4;
    System.arraycopy(key64, 0, out, 1, 64);
    return out;
  }

  /** Parses and validates a 64-byte X‖Y point; a point off the curve is malformed input. */
  public static ECPoint decodePoint64(byte[] key64) throws MalformedObjectException {
    if (key64.length != 64) {
      throw new MalformedObjectException("public key must be 64 bytes");
    }
    return decodePoint(to65(key64));
  }

  public static ECPoint decodePoint(byte[] key65) throws MalformedObjectException {
    try {
      ECPoint p = DOMAIN.getCurve().decodePoint(key65);
      if (p.isInfinity() || !p.isValid()) {
        throw new MalformedObjectException("public key is not a valid secp256k1 point");
      }
      return p.normalize();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new MalformedObjectException("public key is not a valid secp256k1 point");
    }
  }

  /** Raw ECDH: the 32-byte x-coordinate of priv·P (no KDF), as OpenSSL's ECDH_compute_key. */
  public static byte[] ecdhX(byte[] priv, ECPoint p) {
    ECPoint s = p.multiply(new BigInteger(1, priv)).normalize();
    return BigIntegers.asUnsignedByteArray(32, s.getAffineXCoord().toBigInteger());
  }

  /** DER ECDSA signature over SHA-256(data), deterministic k (RFC 6979). */
  public static byte[] signSha256(byte[] priv, byte[] data) {
    byte[] digest = Hashes.sha256(data);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(new BigInteger(1, priv), DOMAIN));
    BigInteger[] rs = signer.generateSignature(digest);
    // Low-S form: accepted everywhere, and keeps signatures non-malleable.
    BigInteger s = rs[1];
    if (s.compareTo(DOMAIN.getN().shiftRight(1)) > 0) {
      s = DOMAIN.getN().subtract(s);
    }
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(s)})
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Verifies a DER signature with SHA-256, then with SHA-1 (what PyBitmessage accepts from older
   * peers). Malformed DER simply fails verification.
   */
  public static boolean verify(ECPoint pub, byte[] data, byte[] derSig) {
    BigInteger[] rs = parseDer(derSig);
    if (rs == null) {
      return false;
    }
    return verifyDigest(pub, Hashes.sha256(data), rs) || verifyDigest(pub, sha1(data), rs);
  }

  /** Verifies with one named digest only ("sha256" or "sha1"). */
  public static boolean verifyWith(String digest, ECPoint pub, byte[] data, byte[] derSig) {
    BigInteger[] rs = parseDer(derSig);
    if (rs == null) {
      return false;
    }
    byte[] h = "sha1".equals(digest) ? sha1(data) : Hashes.sha256(data);
    return verifyDigest(pub, h, rs);
  }

  private static boolean verifyDigest(ECPoint pub, byte[] digest, BigInteger[] rs) {
    ECDSASigner v = new ECDSASigner();
    v.init(false, new ECPublicKeyParameters(pub, DOMAIN));
    return v.verifySignature(digest, rs[0], rs[1]);
  }

  private static byte[] sha1(byte[] data) {
    SHA1Digest d = new SHA1Digest();
    d.update(data, 0, data.length);
    byte[] out = new byte[20];
    d.doFinal(out, 0);
    return out;
  }

  private static BigInteger[] parseDer(byte[] der) {
    if (der.length < 8 || der.length > 72) {
      return null;
    }
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(der);
      if (!(p instanceof ASN1Sequence seq) || seq.size() != 2) {
        return null;
      }
      // Strict DER, as OpenSSL's ECDSA_verify insists on it.
      if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)) {
        return null;
      }
      BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
      BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
      BigInteger n = DOMAIN.getN();
      if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
        return null;
      }
      return new BigInteger[] {r, s};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
