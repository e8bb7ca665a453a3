package org.sceau.bitmessage;

import java.math.BigInteger;
import java.util.Arrays;
import org.sceau.bitmessage.internal.Base58;
import org.sceau.bitmessage.internal.Bytes;
import org.sceau.bitmessage.internal.Hashes;
import org.sceau.bitmessage.internal.WireReader;
import org.sceau.bitmessage.internal.WireWriter;

/**
 * A Bitmessage address ({@code BM-…}): version, stream and the 20-byte RIPE hash of the owner's
 * public keys. Versions 2, 3 and 4 are accepted on input; new identities use 3 or 4.
 *
 * <pre>{@code
 * BitmessageAddress a = BitmessageAddress.parse("BM-2cXesDBLQAuHbHffcbKkqTZj9giNTt9npa");
 * byte[] tag = a.tag();   // what v4 getpubkey, pubkey and v5 broadcast objects carry
 * }</pre>
 */
public record BitmessageAddress(int version, long stream, byte[] ripe) {

  public BitmessageAddress {
    if (version < 2 || version > 4) {
      throw new IllegalArgumentException("address version must be 2, 3 or 4");
    }
    if (stream < 1) {
      throw new IllegalArgumentException("stream must be positive");
    }
    if (ripe == null || ripe.length != 20) {
      throw new IllegalArgumentException("ripe must be 20 bytes");
    }
    ripe = ripe.clone();
  }

  @Override
  public byte[] ripe() {
    return ripe.clone();
  }

  /** The address of the holder of these two 64-byte (X‖Y) public keys. */
  public static BitmessageAddress fromPublicKeys(
      int version, long stream, byte[] signingKey, byte[] encryptionKey) {
    return new BitmessageAddress(version, stream, ripeOf(signingKey, encryptionKey));
  }

  /** RIPEMD-160(SHA-512(0x04‖signing ‖ 0x04‖encryption)) of two 64-byte public keys. */
  public static byte[] ripeOf(byte[] signingKey, byte[] encryptionKey) {
    if (signingKey.length != 64 || encryptionKey.length != 64) {
      throw new IllegalArgumentException("public keys must be 64 bytes");
    }
    byte[] four = {4};
    return Hashes.ripemd160(Hashes.sha512(four, signingKey, four, encryptionKey));
  }

  /** Parses a BM- address (the prefix is optional, surrounding spaces ignored). */
  public static BitmessageAddress parse(String text) throws InvalidAddressException {
    if (text == null) {
      throw new InvalidAddressException("no address given");
    }
    String s = text.strip();
    if (s.startsWith("BM-")) {
      s = s.substring(3);
    }
    // 9 + 9 + 20 + 4 bytes at most: anything longer cannot be an address; also bounds the work.
    if (s.isEmpty() || s.length() > 60) {
      throw new InvalidAddressException("not a Bitmessage address: wrong length");
    }
    BigInteger n = Base58.decodeNumber(s);
    if (n == null || n.signum() == 0) {
      throw new InvalidAddressException("not a Bitmessage address: invalid characters");
    }
    byte[] data = n.toByteArray();
    if (data[0] == 0 && data.length > 1) {
      data = Arrays.copyOfRange(data, 1, data.length);
    }
    if (data.length < 7) {
      throw new InvalidAddressException("not a Bitmessage address: too short");
    }
    byte[] payload = Arrays.copyOf(data, data.length - 4);
    byte[] check = Arrays.copyOf(Hashes.doubleSha512(payload), 4);
    if (!Arrays.equals(check, Arrays.copyOfRange(data, data.length - 4, data.length))) {
      throw new InvalidAddressException("address checksum failed: check for a typing mistake");
    }
    WireReader r = new WireReader(payload);
    long version;
    long stream;
    try {
      version = r.varint("address version");
      stream = r.varint("stream");
    } catch (MalformedObjectException e) {
      throw new InvalidAddressException("address has a malformed version or stream");
    }
    if (version < 2 || version > 4) {
      throw new InvalidAddressException(
          "unsupported address version " + Long.toUnsignedString(version));
    }
    if (stream < 1 || stream > 0xffffffffL) {
      throw new InvalidAddressException("address has an invalid stream number");
    }
    byte[] embedded = r.rest();
    byte[] ripe = new byte[20];
    if (version == 4) {
      if (embedded.length > 0 && embedded[0] == 0) {
        throw new InvalidAddressException("address is not encoded canonically (v4 leading zero)");
      }
      if (embedded.length < 4 || embedded.length > 20) {
        throw new InvalidAddressException("address RIPE has an invalid length");
      }
    } else if (embedded.length < 18 || embedded.length > 20) {
      throw new InvalidAddressException("address RIPE has an invalid length");
    }
    System.arraycopy(embedded, 0, ripe, 20 - embedded.length, embedded.length);
    return new BitmessageAddress((int) version, stream, ripe);
  }

  /** The 32-byte tag (v4): second half of SHA512(SHA512(version ‖ stream ‖ ripe)). */
  public byte[] tag() {
    byte[] data = new WireWriter(30).varint(version).varint(stream).bytes(ripe).toByteArray();
    return Arrays.copyOfRange(Hashes.doubleSha512(data), 32, 64);
  }

  /** The BM- string, encoded as PyBitmessage's encodeAddress does. */
  @Override
  public String toString() {
    int strip = 0;
    if (version == 4) {
      while (strip < 20 && ripe[strip] == 0) {
        strip++;
      }
    } else if (ripe[0] == 0) {
      strip = ripe[1] == 0 ? 2 : 1;
    }
    byte[] payload =
        new WireWriter(40)
            .varint(version)
            .varint(stream)
            .bytes(ripe, strip, 20 - strip)
            .toByteArray();
    byte[] check = Arrays.copyOf(Hashes.doubleSha512(payload), 4);
    return "BM-" + Base58.encode(Bytes.concat(payload, check));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BitmessageAddress a
        && a.version == version
        && a.stream == stream
        && Arrays.equals(a.ripe, ripe);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ripe) * 31 + version * 7 + Long.hashCode(stream);
  }
}
