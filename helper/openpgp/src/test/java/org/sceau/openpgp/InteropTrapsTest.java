package org.sceau.openpgp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.Test;
import org.sceau.openpgp.internal.Bc;
import org.sceau.openpgp.internal.BcSecretKey;

/** The seven interop traps found by the probe (FINDINGS.md), each pinned by a test. */
class InteropTrapsTest {

  @Test
  void trap1_callersPassphraseArrayIsNotWipedByKeyGeneration() throws Exception {
    char[] mine = "s3cret passphrase".toCharArray();
    Passphrase p = Passphrase.of(mine);
    GeneratedKey g = Keys.generate(KeySpec.of("T1 <t1@example.org>").withPassphrase(p));
    assertArrayEquals("s3cret passphrase".toCharArray(), mine);
    assertArrayEquals("s3cret passphrase".toCharArray(), p.chars());
    assertTrue(g.key().isProtected());
    assertTrue(g.key().unlocks(p), "the same Passphrase still unlocks the key it protected");
    assertFalse(g.key().unlocks(Passphrase.of("\0\0\0")));
  }

  @Test
  void trap2_dataSignaturesUseSha512NotSha3() throws Exception {
    byte[] sig =
        DetachedSigner.create(TestKeys.BOB.key(), Passphrase.none(), Encoding.BINARY)
            .sign(new ByteArrayInputStream("x".getBytes(UTF_8)));
    PGPSignatureList l =
        (PGPSignatureList) Bc.impl().pgpObjectFactory(new ByteArrayInputStream(sig)).nextObject();
    assertEquals(HashAlgorithmTags.SHA512, l.get(0).getHashAlgorithm());
    for (int h :
        userIdSelfSignature(TestKeys.BOB).getHashedSubPackets().getPreferredHashAlgorithms()) {
      assertNotEquals(HashAlgorithmTags.SHA3_512, h);
      assertNotEquals(HashAlgorithmTags.SHA3_256, h);
    }
  }

  @Test
  void trap3_preferencesAreOnTheUserIdBindingToo() throws Exception {
    PGPSignature uidSig = userIdSelfSignature(TestKeys.BOB);
    int[] sym = uidSig.getHashedSubPackets().getPreferredSymmetricAlgorithms();
    assertNotNull(sym, "GnuPG 2.2 reads preferences from the user-ID self-signature");
    assertEquals(SymmetricKeyAlgorithmTags.AES_256, sym[0]);
    assertEquals(
        HashAlgorithmTags.SHA512, uidSig.getHashedSubPackets().getPreferredHashAlgorithms()[0]);
    assertNotNull(uidSig.getHashedSubPackets().getFeatures());
    assertTrue(uidSig.getHashedSubPackets().getKeyExpirationTime() > 0, "expiry on the binding");
  }

  @Test
  void trap4_armorCarriesCrc24() throws Exception {
    String armored = new String(TestKeys.BOB.key().certificate().encoded(Encoding.ARMORED), UTF_8);
    assertTrue(
        armored.matches("(?s).*\n=[A-Za-z0-9+/]{4}\r?\n-----END PGP PUBLIC KEY BLOCK-----.*"),
        armored);
  }

  @Test
  void trap5_v6KeysUseArgon2WithSaneMemory() throws Exception {
    GeneratedKey g =
        Keys.generate(
            KeySpec.of("V6 <v6@example.org>")
                .withProfile(KeyProfile.CURVE25519_V6)
                .withPassphrase(Passphrase.of("pw")));
    OpenPGPKey k = BcSecretKey.unwrap(g.key());
    assertEquals(6, g.key().certificate().version());
    for (OpenPGPKey.OpenPGPSecretKey s : k.getSecretKeys().values()) {
      PGPSecretKey sk = s.getPGPSecretKey();
      assertEquals(253, sk.getS2KUsage(), "AEAD protection on v6");
      assertEquals(4, sk.getS2K().getType(), "Argon2");
      assertTrue(sk.getS2K().getMemorySizeExponent() <= 16, "at most 64 MiB, not BC's 2 GiB");
    }
    assertTrue(g.key().unlocks(Passphrase.of("pw")));
  }

  @Test
  void trap6_v4KeysAdvertiseMdcButNotSeipdV2() throws Exception {
    Features f = userIdSelfSignature(TestKeys.BOB).getHashedSubPackets().getFeatures();
    assertTrue(f.supportsModificationDetection());
    assertFalse(f.supportsFeature(Features.FEATURE_SEIPD_V2));
    // a message to oneself is therefore SEIPDv1, which GnuPG 2.2 reads
    ByteArrayOutputStream ct = new ByteArrayOutputStream();
    MessageEncryptor.builder()
        .to(TestKeys.ALICE.key().certificate())
        .build()
        .encrypt(new ByteArrayInputStream("self".getBytes(UTF_8)), ct);
    DecryptionResult r =
        MessageDecryptor.builder()
            .withKey(TestKeys.ALICE.key(), TestKeys.ALICE_PASS)
            .build()
            .decrypt(new ByteArrayInputStream(ct.toByteArray()), new ByteArrayOutputStream());
    assertTrue(r.mechanism().startsWith("SEIPDv1"), r.mechanism());
  }

  @Test
  void trap7_v4SecretKeysUseClassicCfbProtection() throws Exception {
    OpenPGPKey k =
        BcSecretKey.unwrap(Keys.readSecretKey(TestKeys.ALICE.key().encoded(Encoding.BINARY)));
    for (OpenPGPKey.OpenPGPSecretKey s : k.getSecretKeys().values()) {
      assertEquals(254, s.getPGPSecretKey().getS2KUsage(), "SHA-1 checked CFB, not AEAD");
      assertEquals(3, s.getPGPSecretKey().getS2K().getType(), "iterated+salted S2K, not Argon2");
    }
    // and it survives a passphrase change
    SecretKey changed =
        Keys.changePassphrase(TestKeys.ALICE.key(), TestKeys.ALICE_PASS, Passphrase.of("new pw"));
    for (OpenPGPKey.OpenPGPSecretKey s : BcSecretKey.unwrap(changed).getSecretKeys().values()) {
      assertEquals(254, s.getPGPSecretKey().getS2KUsage());
    }
    assertTrue(changed.unlocks(Passphrase.of("new pw")));
  }

  static PGPSignature userIdSelfSignature(GeneratedKey g) {
    PGPPublicKey pk = BcSecretKey.unwrap(g.key()).getPGPSecretKeyRing().getPublicKey();
    java.util.Iterator<String> ids = pk.getUserIDs();
    String uid = ids.next();
    return pk.getSignaturesForID(uid).next();
  }

  static byte[] dearmor(byte[] b) throws Exception {
    return PGPUtil.getDecoderStream(new ByteArrayInputStream(b)).readAllBytes();
  }
}
