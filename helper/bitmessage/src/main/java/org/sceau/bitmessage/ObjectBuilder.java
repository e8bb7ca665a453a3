package org.sceau.bitmessage;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import org.sceau.bitmessage.internal.AddressKeys;
import org.sceau.bitmessage.internal.Bytes;
import org.sceau.bitmessage.internal.Ecies;
import org.sceau.bitmessage.internal.Plaintexts;
import org.sceau.bitmessage.internal.PrivateIdentity;
import org.sceau.bitmessage.internal.Secp256k1;
import org.sceau.bitmessage.internal.WireWriter;

/**
 * Builds, signs and encrypts objects exactly as PyBitmessage 0.6.3.2 lays them out. Each method
 * returns a {@link PendingObject}: run it through {@link ProofOfWork} to get the object to send.
 * Objects built here decode with {@link ObjectReader}, the code path that reads the reference
 * client's objects.
 *
 * <pre>{@code
 * long exp = ObjectBuilder.expiresIn(Duration.ofDays(4));
 * BitmessageObject ack = pow.solve(ObjectBuilder.ack(to.address().stream(),
 *     ObjectBuilder.expiresIn(ObjectBuilder.ackTtl(Duration.ofDays(4)))));
 * BitmessageObject msg = pow.solve(ObjectBuilder.msg(me, to, MessageContent.simple(s, b), ack, exp));
 * }</pre>
 */
public final class ObjectBuilder {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** PyBitmessage clamps TTLs to 28 days. */
  public static final Duration MAX_TTL = Duration.ofDays(28);

  private ObjectBuilder() {}

  /**
   * now + ttl ± up to 300 s of random jitter (as PyBitmessage does, so that the expiry does not
   * tell when the object was made to the second).
   */
  public static long expiresIn(Duration ttl) {
    long secs = Math.max(300, Math.min(ttl.getSeconds(), MAX_TTL.getSeconds()));
    return System.currentTimeMillis() / 1000 + secs + RANDOM.nextInt(601) - 300;
  }

  /** The ack's TTL bucket for a msg TTL: 1 day, 7 days or 28 days (PyBitmessage). */
  public static Duration ackTtl(Duration msgTtl) {
    if (msgTtl.compareTo(Duration.ofDays(1)) < 0) {
      return Duration.ofDays(1);
    }
    if (msgTtl.compareTo(Duration.ofDays(7)) < 0) {
      return Duration.ofDays(7);
    }
    return Duration.ofDays(28);
  }

  private static byte[] header(long expires, long type, long version, long stream) {
    return new WireWriter(24).u64(expires).u32(type).varint(version).varint(stream).toByteArray();
  }

  /** The identity's pubkey: v4 encrypted with the address key and tagged, v3 in the clear. */
  public static PendingObject pubkey(Identity identity, long expiresTime) {
    PrivateIdentity id = PrivateIdentity.of(identity);
    PublicIdentity pub = id.publicIdentity();
    BitmessageAddress a = pub.address();
    Plaintexts.Pubkey plain =
        new Plaintexts.Pubkey(
            pub.behavior(), pub.signingKey(), pub.encryptionKey(), pub.difficulty(), new byte[0]);
    byte[] unsigned = plain.encodeUnsigned(true);
    byte[] header = header(expiresTime, BitmessageObject.PUBKEY, a.version(), a.stream());
    if (a.version() >= 4) {
      byte[] tag = a.tag();
      byte[] sig = id.sign(Bytes.concat(header, tag, unsigned));
      byte[] clear =
          new WireWriter(unsigned.length + 80).bytes(unsigned).varBytes(sig).toByteArray();
      byte[] enc = Ecies.encrypt(AddressKeys.publicKey(a), clear);
      return new PendingObject(Bytes.concat(header, tag, enc), expiresTime, PowDifficulty.DEFAULT);
    }
    byte[] sig = id.sign(Bytes.concat(header, unsigned));
    byte[] payload =
        new WireWriter(unsigned.length + 80).bytes(unsigned).varBytes(sig).toByteArray();
    return new PendingObject(Bytes.concat(header, payload), expiresTime, PowDifficulty.DEFAULT);
  }

  /** A request for {@code address}'s pubkey (by tag for v4, by RIPE for v2/v3). */
  public static PendingObject getPubkey(BitmessageAddress address, long expiresTime) {
    byte[] header =
        header(expiresTime, BitmessageObject.GETPUBKEY, address.version(), address.stream());
    byte[] payload = address.version() >= 4 ? address.tag() : address.ripe();
    return new PendingObject(Bytes.concat(header, payload), expiresTime, PowDifficulty.DEFAULT);
  }

  /**
   * An ack object: {@code type 2 ‖ version 1 ‖ stream ‖ 32 random bytes}. The recipient relays it
   * unchanged; seeing it means the message was received ({@link ObjectReader#ackData}).
   */
  public static PendingObject ack(long stream, long expiresTime) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    byte[] header = header(expiresTime, BitmessageObject.MSG, 1, stream);
    return new PendingObject(Bytes.concat(header, random), expiresTime, PowDifficulty.DEFAULT);
  }

  /**
   * A msg from {@code from} to {@code to}, encrypted to the recipient's encryption key, signed,
   * with {@code ack} (a finished ack object, or null for none, e.g. to a chan) embedded. The proof
   * of work uses the recipient's demanded difficulty.
   */
  public static PendingObject msg(
      Identity from,
      PublicIdentity to,
      MessageContent content,
      BitmessageObject ack,
      long expiresTime)
      throws TooLargeException {
    PrivateIdentity id = PrivateIdentity.of(from);
    PublicIdentity me = id.publicIdentity();
    byte[] ackPacket =
        ack == null ? new byte[0] : PacketCodec.encode(new Packet("object", ack.encode()));
    Plaintexts.Msg plain =
        new Plaintexts.Msg(
            me.address().version(),
            me.address().stream(),
            me.behavior(),
            me.signingKey(),
            me.encryptionKey(),
            me.difficulty(),
            to.address().ripe(),
            content.encoding(),
            content.encode(),
            ackPacket,
            new byte[0]);
    byte[] unsigned = plain.encodeUnsigned();
    long stream = to.address().stream();
    byte[] header = header(expiresTime, BitmessageObject.MSG, 1, stream);
    byte[] sig = id.sign(Bytes.concat(header, unsigned));
    byte[] clear = new WireWriter(unsigned.length + 80).bytes(unsigned).varBytes(sig).toByteArray();
    byte[] enc = Ecies.encrypt(decodeKey(to.encryptionKey()), clear);
    return checkedSize(new PendingObject(Bytes.concat(header, enc), expiresTime, to.difficulty()));
  }

  /**
   * A broadcast to everyone who knows {@code from}'s address: v5 (tagged) for v4 identities, v4 for
   * v3 identities.
   */
  public static PendingObject broadcast(Identity from, MessageContent content, long expiresTime)
      throws TooLargeException {
    PrivateIdentity id = PrivateIdentity.of(from);
    PublicIdentity me = id.publicIdentity();
    BitmessageAddress a = me.address();
    Plaintexts.Broadcast plain =
        new Plaintexts.Broadcast(
            a.version(),
            a.stream(),
            me.behavior(),
            me.signingKey(),
            me.encryptionKey(),
            me.difficulty(),
            content.encoding(),
            content.encode(),
            new byte[0]);
    byte[] unsigned = plain.encodeUnsigned();
    boolean v5 = a.version() >= 4;
    byte[] header = header(expiresTime, BitmessageObject.BROADCAST, v5 ? 5 : 4, a.stream());
    byte[] tag = v5 ? a.tag() : new byte[0];
    byte[] sig = id.sign(Bytes.concat(header, tag, unsigned));
    byte[] clear = new WireWriter(unsigned.length + 80).bytes(unsigned).varBytes(sig).toByteArray();
    byte[] enc = Ecies.encrypt(AddressKeys.publicKey(a), clear);
    return checkedSize(
        new PendingObject(Bytes.concat(header, tag, enc), expiresTime, PowDifficulty.DEFAULT));
  }

  /** Refuses, before any proof of work, an object the network would drop for its size. */
  private static PendingObject checkedSize(PendingObject p) throws TooLargeException {
    if (p.length() > ObjectCodec.MAX_OBJECT_LENGTH) {
      throw new TooLargeException(
          "the message makes an object of "
              + p.length()
              + " bytes; the network accepts at most "
              + ObjectCodec.MAX_OBJECT_LENGTH
              + ": shorten it");
    }
    return p;
  }

  private static org.bouncycastle.math.ec.ECPoint decodeKey(byte[] key64) {
    try {
      return Secp256k1.decodePoint64(Objects.requireNonNull(key64));
    } catch (MalformedObjectException e) {
      throw new IllegalArgumentException("recipient encryption key is not a valid point", e);
    }
  }
}
