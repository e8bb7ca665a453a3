package org.sceau.bitmessage;

import org.sceau.bitmessage.internal.WireReader;

/**
 * Decodes objects from bytes (an {@code object} packet's payload, or a stored object). Input longer
 * than {@link #MAX_OBJECT_LENGTH} is refused before it is read; every malformed input gives a
 * {@link BitmessageException}, never another exception.
 */
public final class ObjectCodec {
  /** PyBitmessage refuses objects larger than 2^18 bytes. */
  public static final int MAX_OBJECT_LENGTH = 1 << 18;

  /** nonce + expiresTime + type + 1-byte version + 1-byte stream. */
  public static final int MIN_OBJECT_LENGTH = 22;

  private ObjectCodec() {}

  public static BitmessageObject decode(byte[] data)
      throws MalformedObjectException, TooLargeException {
    if (data.length > MAX_OBJECT_LENGTH) {
      throw new TooLargeException("object of " + data.length + " bytes is over the 2^18 limit");
    }
    if (data.length < MIN_OBJECT_LENGTH) {
      throw new MalformedObjectException("object too short");
    }
    WireReader r = new WireReader(data);
    long nonce = r.u64("nonce");
    long expires = r.u64("expiresTime");
    long type = r.u32("object type");
    long version = r.varintInRange(Long.MAX_VALUE, "object version");
    long stream = r.varintInRange(Long.MAX_VALUE, "stream");
    return new BitmessageObject(nonce, expires, type, version, stream, r.rest());
  }

  /** Longest accepted lifetime: 28 days plus PyBitmessage's 3-hour grace. */
  public static final long MAX_TTL_SECONDS = 28 * 86400 + 3 * 3600;

  /** Objects expired for longer than this are dropped. */
  public static final long EXPIRED_TOLERANCE_SECONDS = 3600;

  /**
   * The relay rules PyBitmessage applies before it stores or forwards an object (network/
   * bmobject.py): expiry window and per-type sizes. The proof of work is checked separately ({@link
   * ProofOfWork#check}).
   *
   * @param now seconds since the epoch
   */
  public static void checkRelayRules(BitmessageObject o, long now)
      throws MalformedObjectException, TooLargeException {
    int length = o.encode().length;
    if (length > MAX_OBJECT_LENGTH) {
      throw new TooLargeException("object over the 2^18-byte limit");
    }
    if (o.expiresTime() - now > MAX_TTL_SECONDS) {
      throw new MalformedObjectException("object expires too far in the future");
    }
    if (o.expiresTime() - now < -EXPIRED_TOLERANCE_SECONDS) {
      throw new MalformedObjectException("object expired more than an hour ago");
    }
    long t = o.objectType();
    if (t == BitmessageObject.GETPUBKEY && length < 42) {
      throw new MalformedObjectException("getpubkey object too short");
    }
    if (t == BitmessageObject.PUBKEY && (length < 146 || length > 440)) {
      throw new MalformedObjectException("pubkey object size out of range");
    }
    if (t == BitmessageObject.BROADCAST && (length < 180 || o.version() < 2)) {
      throw new MalformedObjectException("broadcast object too short or too old a version");
    }
  }

  public static byte[] encode(BitmessageObject object) {
    return object.encode();
  }
}
