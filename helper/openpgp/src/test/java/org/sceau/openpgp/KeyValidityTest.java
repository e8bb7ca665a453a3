package org.sceau.openpgp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.Test;
import org.sceau.openpgp.internal.Bc;
import org.sceau.openpgp.internal.BcCertificate;
import org.sceau.openpgp.internal.BcSecretKey;

/** RFC 9580 validity (expired, revoked, weak, bad binding) and the verdicts that follow from it. */
class KeyValidityTest {
  static final byte[] DATA = "validity".getBytes(UTF_8);

  @Test
  void freshKeyIsUsableWithExpiryAndRevocationCertificate() throws Exception {
    CertificateStatus st = TestKeys.BOB.key().certificate().status();
    assertTrue(st.isUsable() && st.canEncrypt() && st.canSign(), st.toString());
    assertTrue(st.expires().isPresent(), "default validity is a few years, renewable");
    assertTrue(new String(TestKeys.BOB.revocationCertificate(), UTF_8).contains("=")); // CRC line
  }

  @Test
  void expiredCertificateIsUnusableWithReason() throws Exception {
    GeneratedKey g =
        Keys.generate(KeySpec.of("Short <short@example.org>").withValidity(Duration.ofDays(1)));
    BcCertificate c = (BcCertificate) g.key().certificate();
    CertificateStatus later = c.statusAt(new Date(System.currentTimeMillis() + 2 * 86_400_000L));
    assertFalse(later.isUsable());
    assertTrue(later.problem().orElseThrow().startsWith("expired"), later.toString());
  }

  @Test
  void revokedCertificateIsUnusableAndRefusedAsRecipient() throws Exception {
    GeneratedKey g = Keys.generate(KeySpec.of("Gone <gone@example.org>"));
    byte[] sig =
        DetachedSigner.create(g.key(), Passphrase.none(), Encoding.BINARY)
            .sign(new ByteArrayInputStream(DATA));
    Certificate revoked = Keys.revoke(g.key(), Passphrase.none()).certificate();
    assertEquals("revoked", revoked.status().problem().orElseThrow());
    OpenPgpException e =
        assertThrows(OpenPgpException.class, () -> MessageEncryptor.builder().to(revoked).build());
    assertEquals(OpenPgpError.NO_KEY_FOR_RECIPIENT, e.code());
    // merging the revocation into the known certificate (a key ring update) propagates it
    KeyRing ring = new InMemoryKeyRing();
    ring.addCertificate(g.key().certificate());
    ring.addCertificate(revoked);
    assertEquals(
        "revoked",
        ring.certificate(g.key().fingerprint()).orElseThrow().status().problem().orElseThrow());
    assertEquals(1, ring.certificatesFor("gone@example.org").size());
    // and an earlier signature by the revoked key gets an explicit verdict
    SignatureVerdict v =
        SignatureVerifier.create(List.of(revoked))
            .verify(new ByteArrayInputStream(DATA), sig)
            .get(0);
    assertEquals(SignatureStatus.KEY_REVOKED, v.status(), v.toString());
  }

  @Test
  void weakAlgorithmIsUnusableWithReason() throws Exception {
    OpenPGPKey weak =
        Bc.api()
            .generateKey(4, new Date(), false)
            .withPrimaryKey(g -> g.generateRsaKeyPair(1024))
            .addUserId("Weak <weak@example.org>")
            .addEncryptionSubkey(g -> g.generateRsaKeyPair(1024))
            .build();
    CertificateStatus st = new BcCertificate(weak.toCertificate()).status();
    assertFalse(st.isUsable());
    assertTrue(st.problem().orElseThrow().contains("RSA-1024"), st.toString());
  }

  @Test
  void brokenSubkeyBindingMeansNoEncryptionKey() throws Exception {
    byte[] bin = TestKeys.BOB.key().certificate().encoded(Encoding.BINARY);
    bin[bin.length - 3] ^= 0x01; // last packet: the encryption subkey's binding signature
    Certificate broken = Keys.readCertificate(bin);
    assertFalse(broken.status().canEncrypt(), broken.status().toString());
    OpenPgpException e =
        assertThrows(OpenPgpException.class, () -> MessageEncryptor.builder().to(broken).build());
    assertEquals(OpenPgpError.NO_KEY_FOR_RECIPIENT, e.code());
  }

  @Test
  void signatureMadeAfterExpiryIsKeyExpired() throws Exception {
    GeneratedKey g =
        Keys.generate(KeySpec.of("Exp <exp@example.org>").withValidity(Duration.ofSeconds(1)));
    OpenPGPKey k = BcSecretKey.unwrap(g.key());
    OpenPGPCertificate.OpenPGPComponentKey signing = k.getSigningKeys().get(0);
    PGPPublicKey pub = signing.getPGPPublicKey();
    PGPSignatureGenerator gen =
        new PGPSignatureGenerator(
            Bc.impl().pgpContentSignerBuilder(pub.getAlgorithm(), HashAlgorithmTags.SHA512), pub);
    gen.init(
        PGPSignature.BINARY_DOCUMENT,
        k.getSecretKey(signing).unlock().getKeyPair().getPrivateKey());
    PGPSignatureSubpacketGenerator sp = new PGPSignatureSubpacketGenerator();
    Thread.sleep(2100); // the key expires one second after its creation
    sp.setSignatureCreationTime(false, new Date());
    sp.setIssuerFingerprint(false, pub);
    gen.setHashedSubpackets(sp.generate());
    gen.update(DATA);
    byte[] sig = gen.generate().getEncoded();
    SignatureVerdict v =
        SignatureVerifier.create(List.of(g.key().certificate()))
            .verify(new ByteArrayInputStream(DATA), sig)
            .get(0);
    assertEquals(SignatureStatus.KEY_EXPIRED, v.status(), v.toString());
  }

  @Test
  void importsArmoredAndBinaryAndMergesUpdates() throws Exception {
    Certificate a =
        Keys.readCertificate(TestKeys.BOB.key().certificate().encoded(Encoding.ARMORED));
    Certificate b = Keys.readCertificate(TestKeys.BOB.key().certificate().encoded(Encoding.BINARY));
    assertEquals(a.fingerprint(), b.fingerprint());
    assertEquals(List.of("Bob <bob@example.org>"), a.userIds());
    Certificate merged = Keys.merge(a, b);
    assertArrayEquals(a.encoded(Encoding.BINARY), merged.encoded(Encoding.BINARY), "no duplicates");
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class, () -> Keys.merge(a, TestKeys.ALICE.key().certificate()));
    assertEquals(OpenPgpError.MALFORMED_KEY, e.code());
    OpenPgpException garbage =
        assertThrows(
            OpenPgpException.class, () -> Keys.readCertificate("not a key".getBytes(UTF_8)));
    assertEquals(OpenPgpError.MALFORMED_KEY, garbage.code());
    SecretKey sk = Keys.readSecretKey(TestKeys.ALICE.key().encoded(Encoding.ARMORED));
    assertTrue(sk.isProtected());
    assertEquals(TestKeys.ALICE.key().fingerprint(), sk.fingerprint());
    new ByteArrayOutputStream();
  }
}
