package org.sceau.openpgp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code sceau-sop} launcher (target/sceau-sop, one JVM per call) as other programs see it: the
 * SOP draft's exit codes, and its output read by sqop and gpg.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SopCliIT {
  static final byte[] TEXT = "Hello from the CLI\n- dash\ntrailing  \n".getBytes(UTF_8);
  Path dir;
  Path key;
  Path cert;
  Tools.Gpg gpg;

  Tools.Result sop(byte[] stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("sceau.sop.launcher", "target/sceau-sop"));
    cmd.addAll(List.of(args));
    return Tools.run(cmd, stdin, null);
  }

  @BeforeAll
  void setUp() throws Exception {
    dir = Files.createTempDirectory("sceau-sop-cli");
    gpg = new Tools.Gpg(dir.resolve("gnupg"));
    Tools.Result g = sop(null, "generate-key", "--profile=rfc4880", "Cli <cli@example.org>");
    assertEquals(0, g.exit(), g.err());
    key = Files.write(dir.resolve("cli.key"), g.out());
    Tools.Result c = sop(g.out(), "extract-cert");
    assertEquals(0, c.exit(), c.err());
    cert = Files.write(dir.resolve("cli.cert"), c.out());
  }

  @AfterAll
  void tearDown() throws Exception {
    gpg.kill();
    Tools.deleteTree(dir);
  }

  @Test
  void versionAndProfiles() throws Exception {
    Tools.Result v = sop(null, "version");
    assertEquals(0, v.exit(), v.err());
    assertTrue(v.outText().startsWith("sceau-sop "), v.outText());
    Tools.Result p = sop(null, "list-profiles", "generate-key");
    assertEquals(0, p.exit());
    assertTrue(p.outText().startsWith("rfc4880"), p.outText());
  }

  @Test
  void encryptsForSqopAndReadsBackWithVerifications() throws Exception {
    Tools.Result ct = sop(TEXT, "encrypt", "--sign-with=" + key, cert.toString());
    assertEquals(0, ct.exit(), ct.err());
    Tools.Result sq =
        Tools.sqop(
            ct.out(),
            "decrypt",
            "--verify-with=" + cert,
            "--verifications-out=" + dir.resolve("sq.ver"),
            key.toString());
    assertEquals(0, sq.exit(), sq.err());
    assertArrayEquals(TEXT, sq.out());
    Tools.Result pt =
        sop(
            ct.out(),
            "decrypt",
            "--verify-with=" + cert,
            "--verifications-out=" + dir.resolve("o.ver"),
            key.toString());
    assertEquals(0, pt.exit(), pt.err());
    assertArrayEquals(TEXT, pt.out());
    assertTrue(Files.readString(dir.resolve("o.ver")).contains("mode:binary"));
  }

  @Test
  void clearsignedTextVerifiesInGpgAndSqop() throws Exception {
    Tools.Result cs = sop(TEXT, "inline-sign", "--as=clearsigned", key.toString());
    assertEquals(0, cs.exit(), cs.err());
    assertTrue(cs.outText().startsWith("-----BEGIN PGP SIGNED MESSAGE-----"));
    gpg.ok(null, Files.readAllBytes(cert), "--import");
    Tools.Result g = gpg.run(null, cs.out(), "--verify");
    assertEquals(0, g.exit(), g.err());
    Tools.Result sq = Tools.sqop(cs.out(), "inline-verify", cert.toString());
    assertEquals(0, sq.exit(), sq.err());
    Tools.Result ours = sop(cs.out(), "inline-verify", cert.toString());
    assertEquals(0, ours.exit(), ours.err());
  }

  @Test
  void exitCodesFollowTheSopDraft() throws Exception {
    Tools.Result other = sop(null, "generate-key", "Other <other@example.org>");
    Path otherKey = Files.write(dir.resolve("other.key"), other.out());
    Tools.Result ct = sop(TEXT, "encrypt", cert.toString());
    assertEquals(29, sop(ct.out(), "decrypt", otherKey.toString()).exit(), "CANNOT_DECRYPT");

    Tools.Result sig = sop(TEXT, "sign", key.toString());
    Path sigFile = Files.write(dir.resolve("t.sig"), sig.out());
    byte[] changed = TEXT.clone();
    changed[0] ^= 1;
    assertEquals(
        3, sop(changed, "verify", sigFile.toString(), cert.toString()).exit(), "NO_SIGNATURE");
    assertEquals(0, sop(TEXT, "verify", sigFile.toString(), cert.toString()).exit());

    assertEquals(41, sop("garbage".getBytes(UTF_8), "extract-cert").exit(), "BAD_DATA");
    assertEquals(
        89, sop(null, "generate-key", "--profile=nope", "x").exit(), "UNSUPPORTED_PROFILE");
    assertEquals(69, sop(null, "update-key").exit(), "UNSUPPORTED_SUBCOMMAND");

    Path pw = Files.write(dir.resolve("pw"), "secret".getBytes(UTF_8));
    Tools.Result locked =
        sop(null, "generate-key", "--with-key-password=" + pw, "L <l@example.org>");
    Path lockedKey = Files.write(dir.resolve("locked.key"), locked.out());
    assertEquals(67, sop(TEXT, "sign", lockedKey.toString()).exit(), "KEY_IS_PROTECTED");
    assertEquals(0, sop(TEXT, "sign", "--with-key-password=" + pw, lockedKey.toString()).exit());
  }
}
