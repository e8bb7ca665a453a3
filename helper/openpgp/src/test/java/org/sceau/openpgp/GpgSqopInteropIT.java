package org.sceau.openpgp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interop with the real tools from Debian: GnuPG 2.2 ({@code gpg}) and Sequoia's {@code sqop}.
 * Every direction (ours -> theirs, theirs -> ours), encrypt, sign, encrypt+sign, Curve25519 and
 * RSA-3072 keys made by each side, armored and binary, plus tampered input that must fail with the
 * right error. sqop 0.27 cannot make RSA keys, so it uses gpg's RSA key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpgSqopInteropIT {
  enum Kt {
    CV25519,
    RSA3072
  }

  static final byte[] MAIL =
      ("Subject: interop\r\n\r\nGr\u00fc\u00dfe aus K\u00f6ln \u20ac\r\nFrom the line start  \r\n"
              + "- dash line\nlast line without newline")
          .getBytes(UTF_8);
  static final Passphrase OUR_PASS = Passphrase.of("our key passphrase");

  Path dir;
  Tools.Gpg gpg;
  final Map<Kt, GeneratedKey> ours = new EnumMap<>(Kt.class);
  final Map<Kt, Passphrase> ourPass = new EnumMap<>(Kt.class);
  final Map<Kt, String> gpgFpr = new EnumMap<>(Kt.class);
  final Map<Kt, byte[]> gpgCert = new EnumMap<>(Kt.class);
  final Map<Kt, Path> sqopKey = new EnumMap<>(Kt.class);
  final Map<Kt, Path> sqopCert = new EnumMap<>(Kt.class);

  @BeforeAll
  void setUp() throws Exception {
    dir = Files.createTempDirectory("sceau-interop");
    gpg = new Tools.Gpg(dir.resolve("gnupg"));
    ours.put(
        Kt.CV25519,
        Keys.generate(KeySpec.of("Ours <ours-cv@example.org>").withPassphrase(OUR_PASS)));
    ourPass.put(Kt.CV25519, OUR_PASS);
    ours.put(
        Kt.RSA3072,
        Keys.generate(
            KeySpec.of("Ours RSA <ours-rsa@example.org>").withProfile(KeyProfile.RSA_3072)));
    ourPass.put(Kt.RSA3072, Passphrase.none());

    for (Kt kt : Kt.values()) {
      String email = "gpg-" + kt.name().toLowerCase() + "@example.org";
      String prim = kt == Kt.CV25519 ? "ed25519" : "rsa3072";
      String enc = kt == Kt.CV25519 ? "cv25519" : "rsa3072";
      gpg.ok(null, null, "--quick-gen-key", "Gpg <" + email + ">", prim, "sign,cert", "never");
      String fpr = gpg.fingerprint(email);
      gpg.ok(null, null, "--quick-add-key", fpr, enc, "encr", "never");
      gpgFpr.put(kt, fpr);
      gpgCert.put(kt, gpg.ok(null, null, "--export", fpr).out());
      // our certificates go into gpg's keyring (gpg needs them to encrypt to us and to verify us)
      gpg.ok(null, ours.get(kt).key().certificate().encoded(Encoding.ARMORED), "--import");
    }
    // sqop: its own Curve25519 key; for RSA it holds gpg's key (sqop 0.27 generates no RSA)
    Tools.Result g = Tools.sqop(null, "generate-key", "Sqop <sqop@example.org>");
    assertEquals(0, g.exit(), g.err());
    sqopKey.put(Kt.CV25519, write("sqop-cv.key", g.out()));
    byte[] rsaSecret = gpg.ok(null, null, "--export-secret-keys", gpgFpr.get(Kt.RSA3072)).out();
    sqopKey.put(Kt.RSA3072, write("sqop-rsa.key", rsaSecret));
    for (Kt kt : Kt.values()) {
      Tools.Result c = Tools.sqop(Files.readAllBytes(sqopKey.get(kt)), "extract-cert");
      assertEquals(0, c.exit(), c.err());
      sqopCert.put(kt, write("sqop-" + kt + ".cert", c.out()));
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    if (gpg != null) {
      gpg.kill();
    }
    Tools.deleteTree(dir);
  }

  Path write(String name, byte[] b) throws Exception {
    return Files.write(dir.resolve(name), b);
  }

  static Stream<Arguments> cases() {
    return Stream.of(Kt.values())
        .flatMap(kt -> Stream.of(Encoding.values()).map(e -> Arguments.of(kt, e)));
  }

  byte[] ourEncrypt(Kt kt, Certificate to, Encoding e, boolean sign) throws Exception {
    MessageEncryptor.Builder b = MessageEncryptor.builder().to(to).encoding(e);
    if (sign) {
      b.signWith(ours.get(kt).key(), ourPass.get(kt));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.build().encrypt(new ByteArrayInputStream(MAIL), out);
    return out.toByteArray();
  }

  DecryptionResult ourDecrypt(Kt kt, byte[] ct, ByteArrayOutputStream pt, Certificate... verify)
      throws Exception {
    return MessageDecryptor.builder()
        .withKey(ours.get(kt).key(), ourPass.get(kt))
        .verifyWith(verify)
        .build()
        .decrypt(new ByteArrayInputStream(ct), pt);
  }

  // ------------------------------------------------------------------ gpg

  @ParameterizedTest
  @MethodSource("cases")
  void gpgDecryptsAndVerifiesOurEncryptedSignedMessage(Kt kt, Encoding e) throws Exception {
    byte[] ct = ourEncrypt(kt, Keys.readCertificate(gpgCert.get(kt)), e, true);
    Path status = dir.resolve("status-" + kt + e);
    Tools.Result r = gpg.ok(null, ct, "--status-file", status.toString(), "--decrypt");
    assertArrayEquals(MAIL, r.out());
    String st = Files.readString(status);
    assertTrue(st.contains("[GNUPG:] DECRYPTION_OKAY"), st);
    assertTrue(st.contains("[GNUPG:] GOODSIG"), st);
    assertTrue(st.contains(ours.get(kt).key().fingerprint()), "VALIDSIG names our key: " + st);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void weDecryptAndVerifyGpgEncryptedSignedMessage(Kt kt, Encoding e) throws Exception {
    String ourFpr = ours.get(kt).key().fingerprint();
    String[] args =
        e == Encoding.ARMORED
            ? new String[] {"--armor", "--encrypt", "-r", ourFpr, "--sign", "-u", gpgFpr.get(kt)}
            : new String[] {"--encrypt", "-r", ourFpr, "--sign", "-u", gpgFpr.get(kt)};
    byte[] ct = gpg.ok(null, MAIL, args).out();
    ByteArrayOutputStream pt = new ByteArrayOutputStream();
    DecryptionResult r = ourDecrypt(kt, ct, pt, Keys.readCertificate(gpgCert.get(kt)));
    assertArrayEquals(MAIL, pt.toByteArray());
    // trap 3: with preferences on the user-ID binding gpg picks AES-256 and a SHA-2 hash we accept
    assertTrue(r.mechanism().contains("AES-256"), r.mechanism());
    assertEquals(SignatureStatus.GOOD, r.signatureStatus(), r.signatures().toString());
    assertEquals(gpgFpr.get(kt), r.signatures().get(0).certificateFingerprint().orElseThrow());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void detachedSignaturesVerifyBothWaysWithGpg(Kt kt, Encoding e) throws Exception {
    Path data = write("data-" + kt + e, MAIL);
    byte[] ourSig =
        DetachedSigner.create(ours.get(kt).key(), ourPass.get(kt), e)
            .sign(new ByteArrayInputStream(MAIL));
    Path sig = write("our-" + kt + e + ".sig", ourSig);
    gpg.ok(null, null, "--verify", sig.toString(), data.toString());

    String[] args =
        e == Encoding.ARMORED
            ? new String[] {"--armor", "--detach-sign", "-u", gpgFpr.get(kt)}
            : new String[] {"--detach-sign", "-u", gpgFpr.get(kt)};
    byte[] gpgSig = gpg.ok(null, MAIL, args).out();
    SignatureVerdict v =
        SignatureVerifier.create(List.of(Keys.readCertificate(gpgCert.get(kt))))
            .requireGood(new ByteArrayInputStream(MAIL), gpgSig);
    assertEquals(gpgFpr.get(kt), v.certificateFingerprint().orElseThrow());
  }

  @ParameterizedTest
  @EnumSource(Kt.class)
  void plainEncryptionBothWaysWithGpg(Kt kt) throws Exception {
    byte[] ct = ourEncrypt(kt, Keys.readCertificate(gpgCert.get(kt)), Encoding.BINARY, false);
    assertArrayEquals(MAIL, gpg.ok(null, ct, "--decrypt").out());
    byte[] back = gpg.ok(null, MAIL, "--encrypt", "-r", ours.get(kt).key().fingerprint()).out();
    ByteArrayOutputStream pt = new ByteArrayOutputStream();
    DecryptionResult r = ourDecrypt(kt, back, pt);
    assertArrayEquals(MAIL, pt.toByteArray());
    assertEquals(SignatureStatus.NOT_SIGNED, r.signatureStatus());
  }

  @Test
  void tamperedGpgCiphertextFailsAsMalformed() throws Exception {
    byte[] ct =
        gpg.ok(null, MAIL, "--encrypt", "-r", ours.get(Kt.CV25519).key().fingerprint()).out();
    ct[ct.length - 5] ^= 0x20;
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class, () -> ourDecrypt(Kt.CV25519, ct, new ByteArrayOutputStream()));
    assertEquals(OpenPgpError.MALFORMED_MESSAGE, e.code(), e.toString());
  }

  @Test
  void tamperedGpgSignatureIsBad() throws Exception {
    byte[] sig = gpg.ok(null, MAIL, "--detach-sign", "-u", gpgFpr.get(Kt.CV25519)).out();
    SignatureVerifier v =
        SignatureVerifier.create(List.of(Keys.readCertificate(gpgCert.get(Kt.CV25519))));
    byte[] changed = MAIL.clone();
    changed[3] ^= 1;
    assertEquals(
        SignatureStatus.BAD, v.verify(new ByteArrayInputStream(changed), sig).get(0).status());
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class, () -> v.requireGood(new ByteArrayInputStream(changed), sig));
    assertEquals(OpenPgpError.BAD_SIGNATURE, e.code());
    byte[] badSig = sig.clone();
    badSig[badSig.length - 3] ^= 0x01; // inside the signature value
    assertThrows(
        OpenPgpException.class, () -> v.requireGood(new ByteArrayInputStream(MAIL), badSig));
  }

  @Test
  void gpgRejectsOurTamperedCiphertextAndSignature() throws Exception {
    byte[] ct =
        ourEncrypt(
            Kt.CV25519, Keys.readCertificate(gpgCert.get(Kt.CV25519)), Encoding.BINARY, true);
    ct[ct.length - 5] ^= 0x20;
    Tools.Result r = gpg.run(null, ct, "--decrypt");
    assertNotEquals(0, r.exit(), "gpg must refuse a changed ciphertext");
    byte[] sig =
        DetachedSigner.create(ours.get(Kt.CV25519).key(), OUR_PASS, Encoding.BINARY)
            .sign(new ByteArrayInputStream(MAIL));
    byte[] changed = MAIL.clone();
    changed[0] ^= 1;
    Tools.Result v =
        gpg.run(
            null,
            null,
            "--verify",
            write("t.sig", sig).toString(),
            write("t.data", changed).toString());
    assertNotEquals(0, v.exit());
    assertTrue(v.err().contains("BAD signature"), v.err());
  }

  @Test
  void refusesCiphertextWithoutIntegrityProtection() throws Exception {
    // gpg --rfc2440 still writes the old Symmetrically Encrypted Data packet (no MDC)
    byte[] sed =
        gpg.ok("pw-sed", MAIL, "--rfc2440", "--cipher-algo", "AES256", "--symmetric").out();
    OpenPgpException e =
        assertThrows(
            OpenPgpException.class,
            () ->
                MessageDecryptor.builder()
                    .withPassword(Passphrase.of("pw-sed"))
                    .build()
                    .decrypt(new ByteArrayInputStream(sed), new ByteArrayOutputStream()));
    assertEquals(OpenPgpError.INTEGRITY_PROTECTION_MISSING, e.code(), e.toString());
    // the same tool with MDC is fine
    byte[] mdc = gpg.ok("pw-sed", MAIL, "--cipher-algo", "AES256", "--symmetric").out();
    ByteArrayOutputStream pt = new ByteArrayOutputStream();
    MessageDecryptor.builder()
        .withPassword(Passphrase.of("pw-sed"))
        .build()
        .decrypt(new ByteArrayInputStream(mdc), pt);
    assertArrayEquals(MAIL, pt.toByteArray());
  }

  @Test
  void gpgUsesOurProtectedSecretKeyAndReadsMailToSelf() throws Exception {
    // traps 6 and 7: our v4 key, exported with its classic protection, works in GnuPG 2.2;
    // a message we encrypt to ourselves (SEIPDv1) is readable there.
    Tools.Gpg other = new Tools.Gpg(dir.resolve("gnupg-ours"));
    try {
      GeneratedKey me = ours.get(Kt.CV25519);
      other.ok(new String(OUR_PASS.chars()), me.key().encoded(Encoding.ARMORED), "--import");
      byte[] ct = ourEncrypt(Kt.CV25519, me.key().certificate(), Encoding.ARMORED, true);
      Tools.Result r = other.ok(new String(OUR_PASS.chars()), ct, "--decrypt");
      assertArrayEquals(MAIL, r.out());
      // and gpg accepts the revocation certificate made at generation
      // (gpg may still exit non-zero afterwards on its trust database; the import line is what
      // counts)
      Tools.Result imp = other.run(null, me.revocationCertificate(), "--import");
      assertTrue(imp.err().contains("revocation certificate imported"), imp.err());
      String colons =
          other.ok(null, null, "--with-colons", "--list-keys", me.key().fingerprint()).outText();
      assertTrue(colons.contains("pub:r:"), "gpg shows the key as revoked: " + colons);
    } finally {
      other.kill();
    }
  }

  // ------------------------------------------------------------------ sqop

  @ParameterizedTest
  @MethodSource("cases")
  void sqopDecryptsAndVerifiesOurEncryptedSignedMessage(Kt kt, Encoding e) throws Exception {
    byte[] ct = ourEncrypt(kt, Keys.readCertificate(Files.readAllBytes(sqopCert.get(kt))), e, true);
    Path ourCert =
        write("ours-" + kt + ".cert", ours.get(kt).key().certificate().encoded(Encoding.ARMORED));
    Path vout = dir.resolve("vout-" + kt + e);
    Tools.Result r =
        Tools.sqop(
            ct,
            "decrypt",
            "--verify-with=" + ourCert,
            "--verifications-out=" + vout,
            sqopKey.get(kt).toString());
    assertEquals(0, r.exit(), r.err());
    assertArrayEquals(MAIL, r.out());
    String v = Files.readString(vout);
    assertTrue(v.contains(ours.get(kt).key().fingerprint()), "sqop verified our signature: " + v);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void weDecryptAndVerifySqopEncryptedSignedMessage(Kt kt, Encoding e) throws Exception {
    Path ourCert =
        write("ours2-" + kt + ".cert", ours.get(kt).key().certificate().encoded(Encoding.BINARY));
    Tools.Result r =
        e == Encoding.ARMORED
            ? Tools.sqop(MAIL, "encrypt", "--sign-with=" + sqopKey.get(kt), ourCert.toString())
            : Tools.sqop(
                MAIL,
                "encrypt",
                "--no-armor",
                "--sign-with=" + sqopKey.get(kt),
                ourCert.toString());
    assertEquals(0, r.exit(), r.err());
    ByteArrayOutputStream pt = new ByteArrayOutputStream();
    Certificate sq = Keys.readCertificate(Files.readAllBytes(sqopCert.get(kt)));
    DecryptionResult d = ourDecrypt(kt, r.out(), pt, sq);
    assertArrayEquals(MAIL, pt.toByteArray());
    assertEquals(SignatureStatus.GOOD, d.signatureStatus(), d.signatures().toString());
    assertEquals(sq.fingerprint(), d.signatures().get(0).certificateFingerprint().orElseThrow());
  }

  @ParameterizedTest
  @EnumSource(Kt.class)
  void detachedSignaturesVerifyBothWaysWithSqop(Kt kt) throws Exception {
    Path ourCert =
        write("ours3-" + kt + ".cert", ours.get(kt).key().certificate().encoded(Encoding.ARMORED));
    byte[] ourSig =
        DetachedSigner.create(ours.get(kt).key(), ourPass.get(kt), Encoding.ARMORED)
            .sign(new ByteArrayInputStream(MAIL));
    Tools.Result v =
        Tools.sqop(
            MAIL, "verify", write("o-" + kt + ".sig", ourSig).toString(), ourCert.toString());
    assertEquals(0, v.exit(), v.err());

    Tools.Result s = Tools.sqop(MAIL, "sign", sqopKey.get(kt).toString());
    assertEquals(0, s.exit(), s.err());
    Certificate sq = Keys.readCertificate(Files.readAllBytes(sqopCert.get(kt)));
    assertTrue(
        SignatureVerifier.create(List.of(sq))
            .requireGood(new ByteArrayInputStream(MAIL), s.out())
            .isGood());
  }

  @Test
  void sqopRejectsOurTamperedCiphertextAndSignature() throws Exception {
    Kt kt = Kt.CV25519;
    byte[] ct =
        ourEncrypt(
            kt, Keys.readCertificate(Files.readAllBytes(sqopCert.get(kt))), Encoding.BINARY, false);
    ct[ct.length - 5] ^= 0x20;
    Tools.Result r = Tools.sqop(ct, "decrypt", sqopKey.get(kt).toString());
    assertNotEquals(0, r.exit(), "sqop must refuse a changed ciphertext");
    byte[] sig =
        DetachedSigner.create(ours.get(kt).key(), OUR_PASS, Encoding.ARMORED)
            .sign(new ByteArrayInputStream(MAIL));
    byte[] changed = MAIL.clone();
    changed[0] ^= 1;
    Path ourCert = write("ours4.cert", ours.get(kt).key().certificate().encoded(Encoding.ARMORED));
    Tools.Result v =
        Tools.sqop(changed, "verify", write("t2.sig", sig).toString(), ourCert.toString());
    assertEquals(3, v.exit(), "SOP exit 3 = no valid signature: " + v.err());
  }

  @Test
  void tamperedSqopCiphertextFailsAsMalformed() throws Exception {
    Kt kt = Kt.CV25519;
    Path ourCert = write("ours5.cert", ours.get(kt).key().certificate().encoded(Encoding.BINARY));
    Tools.Result r = Tools.sqop(MAIL, "encrypt", "--no-armor", ourCert.toString());
    byte[] ct = r.out();
    ct[ct.length - 5] ^= 0x20;
    OpenPgpException e =
        assertThrows(OpenPgpException.class, () -> ourDecrypt(kt, ct, new ByteArrayOutputStream()));
    assertEquals(OpenPgpError.MALFORMED_MESSAGE, e.code(), e.toString());
  }
}
