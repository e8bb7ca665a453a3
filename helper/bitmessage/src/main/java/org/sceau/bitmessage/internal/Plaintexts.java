package org.sceau.bitmessage.internal;

import java.util.Arrays;
import org.sceau.bitmessage.MalformedObjectException;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.TooLargeException;

/**
 * The decrypted (or, for pubkey v2/v3, clear) payload layouts of pubkey, msg and broadcast. Each
 * record encodes its unsigned part; since var_ints must be minimal, re-encoding a decoded record
 * gives back exactly the bytes that were signed.
 */
public final class Plaintexts {
  /** A DER secp256k1 signature is at most 72 bytes; a little slack for odd encoders. */
  public static final int MAX_SIGNATURE = 100;

  /** Largest var_int value accepted for address versions and streams. */
  private static final long MAX_SMALL = 0xffffffffL;

  private Plaintexts() {}

  static PowDifficulty readDifficulty(WireReader r) throws MalformedObjectException {
    long ntpb = r.varint("nonce trials per byte");
    long extra = r.varint("extra bytes");
    if (ntpb < 0 || extra < 0 || ntpb > PowDifficulty.MAXIMUM || extra > PowDifficulty.MAXIMUM) {
      throw new MalformedObjectException("demanded difficulty out of range");
    }
    return new PowDifficulty(ntpb, extra);
  }

  static byte[] signature(WireReader r) throws MalformedObjectException, TooLargeException {
    return r.varBytes(MAX_SIGNATURE, "signature");
  }

  /** pubkey payload: bitfield ‖ signKey[64] ‖ encKey[64] (‖ ntpb ‖ extra ‖ sig for v3/v4). */
  public record Pubkey(
      int behavior, byte[] signingKey, byte[] encryptionKey, PowDifficulty difficulty, byte[] sig) {

    public byte[] encodeUnsigned(boolean withDifficulty) {
      WireWriter w =
          new WireWriter(150).u32(behavior & 0xffffffffL).bytes(signingKey).bytes(encryptionKey);
      if (withDifficulty) {
        w.varint(difficulty.nonceTrialsPerByte()).varint(difficulty.payloadLengthExtraBytes());
      }
      return w.toByteArray();
    }

    public byte[] encode(boolean withDifficulty) {
      byte[] u = encodeUnsigned(withDifficulty);
      if (!withDifficulty) {
        return u;
      }
      return new WireWriter(u.length + 80).bytes(u).varBytes(sig).toByteArray();
    }

    /** v2: no difficulty and no signature. Trailing bytes after the signature are ignored. */
    public static Pubkey decode(byte[] data, boolean v2)
        throws MalformedObjectException, TooLargeException {
      WireReader r = new WireReader(data);
      int behavior = (int) r.u32("behavior bitfield");
      byte[] sk = r.bytes(64, "signing key");
      byte[] ek = r.bytes(64, "encryption key");
      if (v2) {
        return new Pubkey(behavior, sk, ek, PowDifficulty.DEFAULT, new byte[0]);
      }
      PowDifficulty d = readDifficulty(r);
      return new Pubkey(behavior, sk, ek, d, signature(r));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pubkey p
          && p.behavior == behavior
          && Arrays.equals(p.signingKey, signingKey)
          && Arrays.equals(p.encryptionKey, encryptionKey)
          && p.difficulty.equals(difficulty)
          && Arrays.equals(p.sig, sig);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(signingKey);
    }
  }

  /**
   * msg plaintext: addrVersion ‖ stream ‖ bitfield ‖ keys ‖ (ntpb ‖ extra if v≥3) ‖ destRipe[20] ‖
   * encoding ‖ message ‖ ackData ‖ sig.
   */
  public record Msg(
      long addressVersion,
      long stream,
      int behavior,
      byte[] signingKey,
      byte[] encryptionKey,
      PowDifficulty difficulty,
      byte[] destinationRipe,
      long encoding,
      byte[] message,
      byte[] ackData,
      byte[] sig) {

    public byte[] encodeUnsigned() {
      WireWriter w = new WireWriter(message.length + ackData.length + 220);
      w.varint(addressVersion).varint(stream).u32(behavior & 0xffffffffL);
      w.bytes(signingKey).bytes(encryptionKey);
      if (addressVersion >= 3) {
        w.varint(difficulty.nonceTrialsPerByte()).varint(difficulty.payloadLengthExtraBytes());
      }
      w.bytes(destinationRipe).varint(encoding).varBytes(message).varBytes(ackData);
      return w.toByteArray();
    }

    public byte[] encode() {
      byte[] u = encodeUnsigned();
      return new WireWriter(u.length + 80).bytes(u).varBytes(sig).toByteArray();
    }

    public static Msg decode(byte[] data) throws MalformedObjectException, TooLargeException {
      WireReader r = new WireReader(data);
      long v = r.varintInRange(MAX_SMALL, "sender address version");
      if (v < 2 || v > 4) {
        throw new MalformedObjectException("sender address version must be 2..4");
      }
      long stream = r.varintInRange(MAX_SMALL, "sender stream");
      if (stream < 1) {
        throw new MalformedObjectException("sender stream must be positive");
      }
      int behavior = (int) r.u32("behavior bitfield");
      byte[] sk = r.bytes(64, "signing key");
      byte[] ek = r.bytes(64, "encryption key");
      PowDifficulty d = v >= 3 ? readDifficulty(r) : PowDifficulty.DEFAULT;
      byte[] dest = r.bytes(20, "destination ripe");
      long encoding = r.varint("encoding");
      byte[] message = r.varBytes(data.length, "message");
      byte[] ack = r.varBytes(data.length, "ack data");
      return new Msg(v, stream, behavior, sk, ek, d, dest, encoding, message, ack, signature(r));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Msg m && Arrays.equals(m.encode(), encode());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(message);
    }
  }

  /** broadcast plaintext: like msg without destination ripe and ack. */
  public record Broadcast(
      long addressVersion,
      long stream,
      int behavior,
      byte[] signingKey,
      byte[] encryptionKey,
      PowDifficulty difficulty,
      long encoding,
      byte[] message,
      byte[] sig) {

    public byte[] encodeUnsigned() {
      WireWriter w = new WireWriter(message.length + 200);
      w.varint(addressVersion).varint(stream).u32(behavior & 0xffffffffL);
      w.bytes(signingKey).bytes(encryptionKey);
      if (addressVersion >= 3) {
        w.varint(difficulty.nonceTrialsPerByte()).varint(difficulty.payloadLengthExtraBytes());
      }
      w.varint(encoding).varBytes(message);
      return w.toByteArray();
    }

    public byte[] encode() {
      byte[] u = encodeUnsigned();
      return new WireWriter(u.length + 80).bytes(u).varBytes(sig).toByteArray();
    }

    public static Broadcast decode(byte[] data) throws MalformedObjectException, TooLargeException {
      WireReader r = new WireReader(data);
      long v = r.varintInRange(MAX_SMALL, "sender address version");
      if (v < 2 || v > 4) {
        throw new MalformedObjectException("sender address version must be 2..4");
      }
      long stream = r.varintInRange(MAX_SMALL, "sender stream");
      if (stream < 1) {
        throw new MalformedObjectException("sender stream must be positive");
      }
      int behavior = (int) r.u32("behavior bitfield");
      byte[] sk = r.bytes(64, "signing key");
      byte[] ek = r.bytes(64, "encryption key");
      PowDifficulty d = v >= 3 ? readDifficulty(r) : PowDifficulty.DEFAULT;
      long encoding = r.varint("encoding");
      byte[] message = r.varBytes(data.length, "message");
      return new Broadcast(v, stream, behavior, sk, ek, d, encoding, message, signature(r));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Broadcast b && Arrays.equals(b.encode(), encode());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(message);
    }
  }
}
