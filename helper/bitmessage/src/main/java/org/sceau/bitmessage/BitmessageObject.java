package org.sceau.bitmessage;

import java.util.Arrays;
import org.sceau.bitmessage.internal.Bytes;
import org.sceau.bitmessage.internal.Hashes;
import org.sceau.bitmessage.internal.WireWriter;

/**
 * A Bitmessage object as relayed by the network: {@code nonce u64 ‖ expiresTime u64 ‖ objectType
 * u32 ‖ version var_int ‖ stream var_int ‖ payload}. The payload's meaning depends on type and
 * version (see {@link ObjectReader}); unknown types are valid objects too and are relayed.
 */
public record BitmessageObject(
    long nonce, long expiresTime, long objectType, long version, long stream, byte[] payload) {

  public static final long GETPUBKEY = 0;
  public static final long PUBKEY = 1;
  public static final long MSG = 2;
  public static final long BROADCAST = 3;

  public BitmessageObject {
    if (objectType < 0 || objectType > 0xffffffffL) {
      throw new IllegalArgumentException("object type is a u32");
    }
    if (version < 0 || stream < 0) {
      throw new IllegalArgumentException("version and stream must not be negative");
    }
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Payload length without copying. */
  public int payloadLength() {
    return payload.length;
  }

  /** The object's bytes, as in an {@code object} packet's payload. */
  public byte[] encode() {
    return new WireWriter(payload.length + 40)
        .u64(nonce)
        .bytes(headerWithoutNonce())
        .bytes(payload)
        .toByteArray();
  }

  /** Bytes from expiresTime through stream: the signed header (see PROTOCOL-NOTES §2). */
  public byte[] headerWithoutNonce() {
    return new WireWriter(32)
        .u64(expiresTime)
        .u32(objectType)
        .varint(version)
        .varint(stream)
        .toByteArray();
  }

  /**
   * The object without its nonce: what the proof of work covers (its SHA-512 is the initial hash).
   */
  public byte[] encodeWithoutNonce() {
    return Bytes.concat(headerWithoutNonce(), payload);
  }

  /** SHA512(SHA512(object))[0:32]: the inventory vector (also PyBitmessage's msgid). */
  public byte[] inventoryHash() {
    return Hashes.inventoryHash(encode());
  }

  public BitmessageObject withNonce(long newNonce) {
    return new BitmessageObject(newNonce, expiresTime, objectType, version, stream, payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BitmessageObject b
        && b.nonce == nonce
        && b.expiresTime == expiresTime
        && b.objectType == objectType
        && b.version == version
        && b.stream == stream
        && Arrays.equals(b.payload, payload);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(payload) ^ Long.hashCode(nonce);
  }

  @Override
  public String toString() {
    return "BitmessageObject[type="
        + objectType
        + ", version="
        + version
        + ", stream="
        + stream
        + ", expires="
        + expiresTime
        + ", payload="
        + payload.length
        + " bytes]";
  }
}
