package org.sceau.bitmessage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Objects Sceau builds go through the same reader as PyBitmessage's (ObjectVectorsTest). The proof
 * of work is left out here (nonce 0): reading does not depend on it, and the PoW has its own tests.
 */
class RoundTripTest {
  private static final long EXPIRES = System.currentTimeMillis() / 1000 + 4 * 86400;

  private static BitmessageObject unpowed(PendingObject p) throws Exception {
    BitmessageObject o = p.complete(0);
    // Through the bytes, as a peer would receive it.
    return ObjectCodec.decode(o.encode());
  }

  @Test
  void msgFromUsIsReadByTheRecipientWithItsAck() throws Exception {
    Identity alice = LabIdentities.alice();
    Identity bob = LabIdentities.bob();
    BitmessageObject ack = unpowed(ObjectBuilder.ack(1, EXPIRES + 86400));
    MessageContent text = MessageContent.simple("Grüße", "Hello Bob\nsecond line ✓");
    BitmessageObject msg =
        unpowed(ObjectBuilder.msg(alice, bob.publicIdentity(), text, ack, EXPIRES));
    ReceivedMessage r = ObjectReader.readMsg(msg, bob);
    assertEquals(alice.address(), r.sender().address());
    assertEquals(alice.publicIdentity(), r.sender());
    assertEquals(bob.address(), r.recipient());
    assertEquals(text, r.content());
    assertEquals(ack, r.ackObject().orElseThrow());
    assertArrayEquals(ObjectReader.ackData(ack), ObjectReader.ackData(r.ackObject().orElseThrow()));
    assertArrayEquals(msg.inventoryHash(), r.inventoryHash());
    assertEquals(BitmessageObject.MSG, msg.objectType());
    assertThrows(BadMacException.class, () -> ObjectReader.readMsg(msg, alice));
  }

  @Test
  void extendedEncodingAndNoAckRoundTrip() throws Exception {
    Identity alice = Identity.random(3);
    Identity bob = Identity.random(4);
    MessageContent text =
        new MessageContent(MessageContent.ENCODING_EXTENDED, "subj", "body ".repeat(500));
    BitmessageObject msg =
        unpowed(ObjectBuilder.msg(alice, bob.publicIdentity(), text, null, EXPIRES));
    ReceivedMessage r = ObjectReader.readMsg(msg, bob);
    assertEquals(text, r.content());
    assertTrue(r.ackObject().isEmpty());
    assertEquals(3, r.sender().address().version());
  }

  @Test
  void tamperedMsgFailsTheMac() throws Exception {
    Identity bob = LabIdentities.bob();
    BitmessageObject msg =
        unpowed(
            ObjectBuilder.msg(
                LabIdentities.alice(),
                bob.publicIdentity(),
                MessageContent.simple("a", "b"),
                null,
                EXPIRES));
    byte[] bytes = msg.encode();
    bytes[bytes.length - 40] ^= 1;
    BitmessageObject tampered = ObjectCodec.decode(bytes);
    assertThrows(BadMacException.class, () -> ObjectReader.readMsg(tampered, bob));
  }

  @Test
  void msgForwardedToAnotherRecipientIsRefused() throws Exception {
    // Mallory receives a msg for himself and re-encrypts the signed plaintext to Bob: the signed
    // destination RIPE is Mallory's, so Bob must refuse it.
    Identity alice = LabIdentities.alice();
    Identity mallory = Identity.random(4);
    Identity bob = LabIdentities.bob();
    BitmessageObject toMallory =
        unpowed(
            ObjectBuilder.msg(
                alice, mallory.publicIdentity(), MessageContent.simple("s", "b"), null, EXPIRES));
    byte[] clear =
        org.sceau.bitmessage.internal.PrivateIdentity.of(mallory).decrypt(toMallory.payload());
    byte[] reEncrypted =
        org.sceau.bitmessage.internal.Ecies.encrypt(
            org.sceau.bitmessage.internal.Secp256k1.decodePoint64(
                bob.publicIdentity().encryptionKey()),
            clear);
    BitmessageObject forwarded =
        new BitmessageObject(0, toMallory.expiresTime(), 2, 1, 1, reEncrypted);
    BadSignatureException e =
        assertThrows(BadSignatureException.class, () -> ObjectReader.readMsg(forwarded, bob));
    assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
  }

  @Test
  void pubkeysOfV4AndV3IdentitiesAreReadBack() throws Exception {
    for (Identity id : new Identity[] {Identity.random(4), Identity.random(3)}) {
      BitmessageObject o = unpowed(ObjectBuilder.pubkey(id, EXPIRES));
      assertEquals(id.address().version(), o.version());
      PublicIdentity p = ObjectReader.readPubkey(o, id.address());
      assertEquals(id.publicIdentity(), p);
      int len = o.encode().length;
      // PyBitmessage's relay sanity bounds for pubkeys.
      assertTrue(len >= 146 && len <= 440, "pubkey length " + len);
    }
  }

  @Test
  void pubkeyWithAForgedSignatureIsRefused() throws Exception {
    Identity id = Identity.random(3);
    BitmessageObject o = unpowed(ObjectBuilder.pubkey(id, EXPIRES));
    byte[] bytes = o.encode();
    // v3 pubkey: the DER signature is at the end; change a byte inside s.
    bytes[bytes.length - 5] ^= 1;
    BitmessageObject forged = ObjectCodec.decode(bytes);
    assertThrows(BadSignatureException.class, () -> ObjectReader.readPubkey(forged, id.address()));
  }

  @Test
  void broadcastsV5AndV4AreReadBySubscribers() throws Exception {
    for (Identity id : new Identity[] {Identity.random(4), Identity.random(3)}) {
      MessageContent text = MessageContent.simple("news", "to all subscribers");
      BitmessageObject o = unpowed(ObjectBuilder.broadcast(id, text, EXPIRES));
      assertEquals(id.address().version() == 4 ? 5 : 4, o.version());
      ReceivedBroadcast b = ObjectReader.readBroadcast(o, id.address());
      assertEquals(text, b.content());
      assertEquals(id.publicIdentity(), b.sender());
      BitmessageAddress stranger = Identity.random(id.address().version()).address();
      assertThrows(BitmessageException.class, () -> ObjectReader.readBroadcast(o, stranger));
    }
  }

  @Test
  void getpubkeyAsksForTheAddressByTagOrRipe() throws Exception {
    for (Identity id : new Identity[] {Identity.random(4), Identity.random(3)}) {
      BitmessageObject o = unpowed(ObjectBuilder.getPubkey(id.address(), EXPIRES));
      GetPubkeyRequest r = ObjectReader.readGetPubkey(o);
      assertTrue(r.asksFor(id.address()));
      assertTrue(!r.asksFor(Identity.random(id.address().version()).address()));
    }
  }

  @Test
  void ackTtlBucketsAndExpiryJitterFollowPyBitmessage() {
    assertEquals(Duration.ofDays(1), ObjectBuilder.ackTtl(Duration.ofHours(5)));
    assertEquals(Duration.ofDays(7), ObjectBuilder.ackTtl(Duration.ofDays(4)));
    assertEquals(Duration.ofDays(28), ObjectBuilder.ackTtl(Duration.ofDays(10)));
    long now = System.currentTimeMillis() / 1000;
    long e = ObjectBuilder.expiresIn(Duration.ofDays(4));
    assertTrue(Math.abs(e - now - 4 * 86400) <= 302);
    assertTrue(ObjectBuilder.expiresIn(Duration.ofDays(60)) <= now + 28 * 86400 + 302);
  }

  @Test
  void aFullySentMsgPassesThePowCheckAtTinyCostWhenTheRecipientDemandsLittle() throws Exception {
    // Real PoW end to end, but with a tiny target passed explicitly (tests stay fast).
    Identity alice = LabIdentities.alice();
    Identity bob = LabIdentities.bob();
    PendingObject pending =
        ObjectBuilder.msg(
            alice, bob.publicIdentity(), MessageContent.simple("s", "b"), null, EXPIRES);
    long easy = Long.MAX_VALUE / 500; // ~1000 expected trials
    long nonce = ProofOfWork.create(2).start(pending.initialHash(), easy, null).await();
    BitmessageObject msg = pending.complete(nonce);
    assertTrue(Long.compareUnsigned(ProofOfWork.trialValue(msg.encode()), easy) <= 0);
    assertEquals("s", ObjectReader.readMsg(msg, bob).content().subject());
  }

  @Test
  void demandedDifficultyTravelsInThePubkeyAndSetsTheSendersTarget() throws Exception {
    Identity bob = Identity.random(4).withDifficulty(new PowDifficulty(2000, 3000));
    PublicIdentity read =
        ObjectReader.readPubkey(unpowed(ObjectBuilder.pubkey(bob, EXPIRES)), bob.address());
    assertEquals(new PowDifficulty(2000, 3000), read.difficulty());
    PendingObject msg =
        ObjectBuilder.msg(
            LabIdentities.alice(), read, MessageContent.simple("s", "b"), null, EXPIRES);
    assertEquals(new PowDifficulty(2000, 3000), msg.difficulty());
    long now = EXPIRES - 4 * 86400;
    assertEquals(new PowDifficulty(2000, 3000).target(msg.length(), 4 * 86400), msg.target(now));
  }

  @Test
  void aMessageTooLargeForTheNetworkIsRefusedBeforeAnyProofOfWork() throws Exception {
    MessageContent huge = MessageContent.simple("big", "x".repeat(1 << 18));
    TooLargeException e =
        assertThrows(
            TooLargeException.class,
            () ->
                ObjectBuilder.msg(
                    LabIdentities.alice(),
                    LabIdentities.bob().publicIdentity(),
                    huge,
                    null,
                    EXPIRES));
    assertEquals(ErrorCode.TOO_LARGE, e.code());
    assertThrows(
        TooLargeException.class,
        () -> ObjectBuilder.broadcast(LabIdentities.alice(), huge, EXPIRES));
  }
}
