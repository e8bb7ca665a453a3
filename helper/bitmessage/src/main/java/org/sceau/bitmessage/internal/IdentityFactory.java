package org.sceau.bitmessage.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.sceau.bitmessage.Identity;
import org.sceau.bitmessage.InvalidAddressException;
import org.sceau.bitmessage.PowDifficulty;

/** Creates identities the way PyBitmessage's addressGenerator does. */
public final class IdentityFactory {
  private IdentityFactory() {}

  private static void checkArgs(int version, int zeros) {
    if (version != 3 && version != 4) {
      throw new IllegalArgumentException("new addresses are version 3 or 4");
    }
    if (zeros < 1 || zeros > 2) {
      throw new IllegalArgumentException("leading zero bytes must be 1 or 2");
    }
  }

  static boolean hasLeadingZeros(byte[] ripe, int zeros) {
    for (int i = 0; i < zeros; i++) {
      if (ripe[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ripe65(byte[] pub65a, byte[] pub65b) {
    return Hashes.ripemd160(Hashes.sha512(pub65a, pub65b));
  }

  /** Random signing key, then random encryption keys until the RIPE has the leading zeros. */
  public static Identity random(int version, long stream, int zeros) {
    checkArgs(version, zeros);
    byte[] sign = Secp256k1.randomPrivateKey();
    byte[] signPub = Secp256k1.publicKey65(sign);
    while (true) {
      byte[] enc = Secp256k1.randomPrivateKey();
      if (hasLeadingZeros(ripe65(signPub, Secp256k1.publicKey65(enc)), zeros)) {
        PrivateIdentity id =
            new PrivateIdentity(version, stream, sign, enc, PowDifficulty.DEFAULT, false);
        Arrays.fill(sign, (byte) 0);
        Arrays.fill(enc, (byte) 0);
        return id;
      }
    }
  }

  /**
   * priv(n) = SHA512(utf8(passphrase) ‖ varint(n))[0:32]; signing nonce starts at 0, encryption at
   * 1, both advance by 2 per candidate; a batch continues the sequence.
   */
  public static List<Identity> deterministic(
      String passphrase, int version, long stream, int count, int zeros, boolean chan) {
    checkArgs(version, zeros);
    if (passphrase == null || passphrase.isEmpty()) {
      throw new IllegalArgumentException("passphrase must not be empty");
    }
    if (count < 1 || count > 1000) {
      throw new IllegalArgumentException("count must be 1..1000");
    }
    byte[] pass = passphrase.getBytes(StandardCharsets.UTF_8);
    List<Identity> out = new ArrayList<>(count);
    // Candidates are independent, so waves of them are tried on all cores; the results are taken
    // in candidate order, so the outcome is exactly PyBitmessage's sequential one.
    int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    long firstCandidate = 0;
    while (out.size() < count) {
      long base = firstCandidate;
      List<List<Long>> found =
          IntStream.range(0, workers)
              .parallel()
              .mapToObj(w -> matches(pass, base + (long) w * BATCH, zeros))
              .collect(Collectors.toList());
      for (List<Long> batch : found) {
        for (long candidate : batch) {
          if (out.size() < count) {
            out.add(identity(pass, candidate, version, stream, chan));
          }
        }
      }
      firstCandidate += (long) workers * BATCH;
    }
    Arrays.fill(pass, (byte) 0);
    return out;
  }

  private static final int BATCH = 64;

  /** Candidate n uses signing nonce 2n and encryption nonce 2n + 1. */
  private static List<Long> matches(byte[] pass, long first, int zeros) {
    List<Long> hits = new ArrayList<>(2);
    for (long n = first; n < first + BATCH; n++) {
      byte[] sign = candidateKey(pass, 2 * n);
      byte[] enc = candidateKey(pass, 2 * n + 1);
      if (hasLeadingZeros(ripe65(Secp256k1.publicKey65(sign), Secp256k1.publicKey65(enc)), zeros)) {
        hits.add(n);
      }
      Arrays.fill(sign, (byte) 0);
      Arrays.fill(enc, (byte) 0);
    }
    return hits;
  }

  private static byte[] candidateKey(byte[] pass, long nonce) {
    return Arrays.copyOf(Hashes.sha512(pass, WireWriter.varintBytes(nonce)), 32);
  }

  private static Identity identity(
      byte[] pass, long candidate, int version, long stream, boolean chan) {
    byte[] sign = candidateKey(pass, 2 * candidate);
    byte[] enc = candidateKey(pass, 2 * candidate + 1);
    try {
      return new PrivateIdentity(version, stream, sign, enc, PowDifficulty.DEFAULT, chan);
    } finally {
      Arrays.fill(sign, (byte) 0);
      Arrays.fill(enc, (byte) 0);
    }
  }

  public static Identity fromWif(int version, long stream, Identity.WifKeys keys, boolean chan)
      throws InvalidAddressException {
    // Version 2 identities are legacy (PyBitmessage no longer makes them, and their pubkey has
    // another layout): only 3 and 4 are restored.
    if (version < 3 || version > 4 || stream < 1) {
      throw new InvalidAddressException("only version 3 and 4 identities can be restored");
    }
    byte[] sign = Wif.decode(keys.signingKey());
    byte[] enc = Wif.decode(keys.encryptionKey());
    if (sign == null || enc == null) {
      throw new InvalidAddressException("private key is not valid WIF");
    }
    return new PrivateIdentity(version, stream, sign, enc, PowDifficulty.DEFAULT, chan);
  }
}
