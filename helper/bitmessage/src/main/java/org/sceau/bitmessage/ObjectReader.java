package org.sceau.bitmessage;

import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.sceau.bitmessage.internal.AddressKeys;
import org.sceau.bitmessage.internal.Bytes;
import org.sceau.bitmessage.internal.Ecies;
import org.sceau.bitmessage.internal.Plaintexts;
import org.sceau.bitmessage.internal.PrivateIdentity;
import org.sceau.bitmessage.internal.Secp256k1;

/**
 * Reads, decrypts and verifies objects, whether PyBitmessage or this library made them. Failures
 * are typed: {@link BadMacException} when an encrypted payload is not for the given key (the normal
 * outcome of trial-decrypting someone else's msg), {@link BadSignatureException}, {@link
 * MalformedObjectException}, {@link UnsupportedObjectException} for other types/versions.
 */
public final class ObjectReader {
  private ObjectReader() {}

  private static void expect(BitmessageObject o, long type, String what)
      throws UnsupportedObjectException {
    if (o.objectType() != type) {
      throw new UnsupportedObjectException("object is not a " + what);
    }
  }

  /** The question a getpubkey object asks. */
  public static GetPubkeyRequest readGetPubkey(BitmessageObject o)
      throws MalformedObjectException, UnsupportedObjectException {
    expect(o, BitmessageObject.GETPUBKEY, "getpubkey");
    if (o.version() < 2 || o.version() > 4) {
      throw new UnsupportedObjectException(
          "getpubkey version " + o.version() + " is not supported");
    }
    int want = o.version() >= 4 ? 32 : 20;
    if (o.payloadLength() != want) {
      throw new MalformedObjectException("getpubkey payload must be " + want + " bytes");
    }
    return new GetPubkeyRequest(o.version(), o.stream(), o.payload());
  }

  /** The 32-byte tag of a pubkey v4 or broadcast v5 (to match against wanted addresses). */
  public static byte[] tag(BitmessageObject o) throws UnsupportedObjectException {
    boolean tagged =
        (o.objectType() == BitmessageObject.PUBKEY && o.version() >= 4)
            || (o.objectType() == BitmessageObject.BROADCAST && o.version() >= 5)
            || (o.objectType() == BitmessageObject.GETPUBKEY && o.version() >= 4);
    if (!tagged || o.payloadLength() < 32) {
      throw new UnsupportedObjectException("object carries no tag");
    }
    return Arrays.copyOf(o.payload(), 32);
  }

  /**
   * Reads the pubkey of {@code address}: decrypts a v4 pubkey with the address key, checks that the
   * keys hash to the address and that the signature verifies.
   */
  public static PublicIdentity readPubkey(BitmessageObject o, BitmessageAddress address)
      throws MalformedObjectException,
          BadMacException,
          BadSignatureException,
          UnsupportedObjectException,
          TooLargeException {
    expect(o, BitmessageObject.PUBKEY, "pubkey");
    if (o.version() != address.version()) {
      throw new UnsupportedObjectException("pubkey version does not match the address version");
    }
    if (o.stream() != address.stream()) {
      throw new MalformedObjectException("pubkey stream does not match the address");
    }
    byte[] payload = o.payload();
    byte[] header = o.headerWithoutNonce();
    Plaintexts.Pubkey p;
    byte[] signedPrefix;
    if (o.version() == 4) {
      if (payload.length < 32 + Ecies.MIN_LENGTH) {
        throw new MalformedObjectException("pubkey v4 too short");
      }
      byte[] tag = Arrays.copyOf(payload, 32);
      if (!Arrays.equals(tag, address.tag())) {
        throw new BadMacException("pubkey tag does not belong to this address");
      }
      byte[] clear =
          Ecies.decrypt(
              AddressKeys.privateKey(address), Arrays.copyOfRange(payload, 32, payload.length));
      p = Plaintexts.Pubkey.decode(clear, false);
      signedPrefix = Bytes.concat(header, tag);
    } else if (o.version() == 3 || o.version() == 2) {
      p = Plaintexts.Pubkey.decode(payload, o.version() == 2);
      signedPrefix = header;
    } else {
      throw new UnsupportedObjectException("pubkey version " + o.version() + " is not supported");
    }
    PublicIdentity pub =
        publicIdentity(
            address.version(),
            address.stream(),
            p.behavior(),
            p.signingKey(),
            p.encryptionKey(),
            p.difficulty());
    if (!pub.address().equals(address)) {
      throw new BadSignatureException("pubkey keys do not belong to the requested address");
    }
    if (o.version() >= 3) {
      verify(p.signingKey(), Bytes.concat(signedPrefix, p.encodeUnsigned(true)), p.sig(), "pubkey");
    }
    return pub;
  }

  /**
   * Decrypts a msg with {@code me}'s encryption key and verifies it. A {@link BadMacException}
   * means "not for this identity" (try the next one). A msg whose signed destination is another
   * address (surreptitious forwarding) fails with {@link BadSignatureException}.
   */
  public static ReceivedMessage readMsg(BitmessageObject o, Identity me)
      throws MalformedObjectException,
          BadMacException,
          BadSignatureException,
          UnsupportedObjectException,
          TooLargeException {
    expect(o, BitmessageObject.MSG, "msg");
    if (o.version() != 1) {
      throw new UnsupportedObjectException("msg version " + o.version() + " is not supported");
    }
    PrivateIdentity id = PrivateIdentity.of(me);
    byte[] clear = id.decrypt(o.payload());
    Plaintexts.Msg m = Plaintexts.Msg.decode(clear);
    PublicIdentity sender =
        publicIdentity(
            m.addressVersion(),
            m.stream(),
            m.behavior(),
            m.signingKey(),
            m.encryptionKey(),
            m.difficulty());
    verify(
        m.signingKey(), Bytes.concat(o.headerWithoutNonce(), m.encodeUnsigned()), m.sig(), "msg");
    if (!Arrays.equals(m.destinationRipe(), me.address().ripe())) {
      throw new BadSignatureException(
          "the sender addressed this msg to someone else (surreptitious forwarding)");
    }
    MessageContent content = MessageContent.decode(m.encoding(), m.message());
    return new ReceivedMessage(me.address(), sender, content, m.ackData(), o.inventoryHash());
  }

  /**
   * Decrypts and verifies a broadcast from {@code sender} (a subscription): v5 broadcasts must
   * carry the sender's tag; the signing keys must hash to the sender's address.
   */
  public static ReceivedBroadcast readBroadcast(BitmessageObject o, BitmessageAddress sender)
      throws MalformedObjectException,
          BadMacException,
          BadSignatureException,
          UnsupportedObjectException,
          TooLargeException {
    expect(o, BitmessageObject.BROADCAST, "broadcast");
    byte[] payload = o.payload();
    byte[] signedPrefix;
    byte[] blob;
    if (o.version() == 5) {
      if (payload.length < 32 + Ecies.MIN_LENGTH) {
        throw new MalformedObjectException("broadcast v5 too short");
      }
      byte[] tag = Arrays.copyOf(payload, 32);
      if (sender.version() < 4 || !Arrays.equals(tag, sender.tag())) {
        throw new BadMacException("broadcast tag does not belong to this address");
      }
      signedPrefix = Bytes.concat(o.headerWithoutNonce(), tag);
      blob = Arrays.copyOfRange(payload, 32, payload.length);
    } else if (o.version() == 4) {
      if (sender.version() >= 4) {
        throw new BadMacException("v4 broadcasts come from v2/v3 addresses only");
      }
      signedPrefix = o.headerWithoutNonce();
      blob = payload;
    } else {
      throw new UnsupportedObjectException(
          "broadcast version " + o.version() + " is not supported");
    }
    byte[] clear = Ecies.decrypt(AddressKeys.privateKey(sender), blob);
    Plaintexts.Broadcast b = Plaintexts.Broadcast.decode(clear);
    PublicIdentity pub =
        publicIdentity(
            b.addressVersion(),
            b.stream(),
            b.behavior(),
            b.signingKey(),
            b.encryptionKey(),
            b.difficulty());
    if (!pub.address().equals(sender)) {
      throw new BadSignatureException("broadcast was not made by the subscribed address");
    }
    verify(b.signingKey(), Bytes.concat(signedPrefix, b.encodeUnsigned()), b.sig(), "broadcast");
    return new ReceivedBroadcast(
        pub, MessageContent.decode(b.encoding(), b.message()), o.inventoryHash());
  }

  /**
   * What a sender watches for to know its msg arrived: the ack object's bytes after nonce and
   * expiresTime ({@code type ‖ version ‖ stream ‖ 32 random bytes}), as PyBitmessage compares.
   */
  public static byte[] ackData(BitmessageObject ack) {
    byte[] e = ack.encode();
    return Arrays.copyOfRange(e, 16, e.length);
  }

  private static PublicIdentity publicIdentity(
      long version, long stream, int behavior, byte[] sk, byte[] ek, PowDifficulty d)
      throws MalformedObjectException {
    // Validates both points before anything else uses them.
    Secp256k1.decodePoint64(sk);
    Secp256k1.decodePoint64(ek);
    if (version < 2 || version > 4 || stream < 1) {
      throw new MalformedObjectException("bad address version or stream");
    }
    return new PublicIdentity(
        BitmessageAddress.fromPublicKeys((int) version, stream, sk, ek), behavior, sk, ek, d);
  }

  private static void verify(byte[] signingKey, byte[] data, byte[] sig, String what)
      throws MalformedObjectException, BadSignatureException {
    ECPoint p = Secp256k1.decodePoint64(signingKey);
    if (!Secp256k1.verify(p, data, sig)) {
      throw new BadSignatureException(what + " signature does not verify");
    }
  }
}
