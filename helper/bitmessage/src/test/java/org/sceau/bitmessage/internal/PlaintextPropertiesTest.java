package org.sceau.bitmessage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.sceau.bitmessage.Fuzz;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.Vectors;

/** Decrypted-payload layouts: random/mutated input → typed errors; encode∘decode = identity. */
class PlaintextPropertiesTest {
  private static final List<byte[]> PLAINTEXTS = new ArrayList<>();
  private static final byte[] KEY = Hashes.sha256(new byte[] {7});

  @BeforeContainer
  static void seeds() {
    for (JsonNode v : Vectors.load("ecies").get("decrypt_vectors")) {
      PLAINTEXTS.add(Vectors.hex(v.get("plaintext_hex")));
    }
  }

  @Provide
  Arbitrary<byte[]> mutatedPlaintexts() {
    return Fuzz.mutationsOf(Arbitraries.of(PLAINTEXTS));
  }

  @Property
  void mutatedPlaintextsGiveTypedErrors(@ForAll("mutatedPlaintexts") byte[] data) {
    Fuzz.onlyTypedErrors(data.length, () -> decodeAll(data));
  }

  @Property
  void randomPlaintextsGiveTypedErrors(@ForAll @Size(max = 400) byte[] data) {
    Fuzz.onlyTypedErrors(data.length, () -> decodeAll(data));
  }

  private static void decodeAll(byte[] data) throws Exception {
    Exception last = null;
    for (Fuzz.Decoder d :
        new Fuzz.Decoder[] {
          () -> Plaintexts.Msg.decode(data),
          () -> Plaintexts.Broadcast.decode(data),
          () -> Plaintexts.Pubkey.decode(data, false),
          () -> Plaintexts.Pubkey.decode(data, true)
        }) {
      try {
        d.decode();
      } catch (org.sceau.bitmessage.BitmessageException e) {
        last = e;
      }
    }
    if (last != null) {
      throw last;
    }
  }

  @Property(tries = 200)
  void randomAndMutatedEciesBlobs(@ForAll("eciesBlobs") byte[] blob) {
    Fuzz.onlyTypedErrors(blob.length, () -> Ecies.decrypt(KEY, blob));
  }

  @Provide
  Arbitrary<byte[]> eciesBlobs() {
    List<byte[]> seeds = new ArrayList<>();
    for (JsonNode v : Vectors.load("ecies").get("decrypt_vectors")) {
      seeds.add(Vectors.hex(v.get("ciphertext_hex")));
    }
    return Arbitraries.oneOf(
        Fuzz.mutationsOf(Arbitraries.of(seeds)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
  }

  @Provide
  Arbitrary<byte[]> key64() {
    return Arbitraries.bytes().array(byte[].class).ofSize(64);
  }

  @Provide
  Arbitrary<PowDifficulty> difficulties() {
    return Combinators.combine(
            Arbitraries.longs().between(0, PowDifficulty.MAXIMUM),
            Arbitraries.longs().between(0, PowDifficulty.MAXIMUM))
        .as(PowDifficulty::new);
  }

  @Property
  void msgEncodeDecodeIsIdentity(
      @ForAll @IntRange(min = 3, max = 4) int version,
      @ForAll @IntRange(min = 1, max = 70000) int stream,
      @ForAll int behavior,
      @ForAll("key64") byte[] sk,
      @ForAll("key64") byte[] ek,
      @ForAll("difficulties") PowDifficulty d,
      @ForAll @Size(20) byte[] ripe,
      @ForAll @IntRange(min = 0, max = 1 << 20) int encoding,
      @ForAll @Size(max = 300) byte[] message,
      @ForAll @Size(max = 100) byte[] ack,
      @ForAll @Size(max = 72) byte[] sig)
      throws Exception {
    Plaintexts.Msg m =
        new Plaintexts.Msg(version, stream, behavior, sk, ek, d, ripe, encoding, message, ack, sig);
    byte[] enc = m.encode();
    Plaintexts.Msg back = Plaintexts.Msg.decode(enc);
    assertEquals(m, back);
    assertArrayEquals(enc, back.encode());
  }

  @Property
  void broadcastAndPubkeyEncodeDecodeIsIdentity(
      @ForAll @IntRange(min = 3, max = 4) int version,
      @ForAll @IntRange(min = 1, max = 70000) int stream,
      @ForAll int behavior,
      @ForAll("key64") byte[] sk,
      @ForAll("key64") byte[] ek,
      @ForAll("difficulties") PowDifficulty d,
      @ForAll @IntRange(min = 0, max = 1 << 20) int encoding,
      @ForAll @Size(max = 300) byte[] message,
      @ForAll @Size(max = 72) byte[] sig)
      throws Exception {
    Plaintexts.Broadcast b =
        new Plaintexts.Broadcast(version, stream, behavior, sk, ek, d, encoding, message, sig);
    assertEquals(b, Plaintexts.Broadcast.decode(b.encode()));
    Plaintexts.Pubkey p = new Plaintexts.Pubkey(behavior, sk, ek, d, sig);
    assertEquals(p, Plaintexts.Pubkey.decode(p.encode(true), false));
    Plaintexts.Pubkey v2 =
        new Plaintexts.Pubkey(behavior, sk, ek, PowDifficulty.DEFAULT, new byte[0]);
    assertEquals(v2, Plaintexts.Pubkey.decode(v2.encode(false), true));
  }

  @Property
  void varintEncodeDecodeIsIdentity(@ForAll long v) throws Exception {
    WireReader r = new WireReader(WireWriter.varintBytes(v));
    assertEquals(v, r.varint("v"));
    r.expectEnd("v");
  }

  @Property(tries = 40)
  void eciesEncryptDecryptIsIdentity(@ForAll @Size(max = 200) byte[] plain) throws Exception {
    byte[] priv = Secp256k1.randomPrivateKey();
    byte[] blob = Ecies.encrypt(Secp256k1.publicPoint(priv), plain);
    assertArrayEquals(plain, Ecies.decrypt(priv, blob));
  }

  @Property(tries = 300)
  void simdAndScalarSearchesAgreeWithTheReference(
      @ForAll @Size(64) byte[] initialHash, @ForAll long base) {
    // The target equal to one nonce's own trial value: the first hit can be no later than it.
    long t = PowEngine.trial(initialHash, base + 5);
    int expected = -1;
    for (int i = 0; i < 16; i++) {
      if (Long.compareUnsigned(PowEngine.trial(initialHash, base + i), t) <= 0) {
        expected = i;
        break;
      }
    }
    assertEquals(expected, PowEngine.scalar(initialHash).search(base, 16, t));
    if (Simd.available()) {
      assertEquals(expected, Simd.searcher(initialHash).search(base, 16, t));
    }
  }
}
