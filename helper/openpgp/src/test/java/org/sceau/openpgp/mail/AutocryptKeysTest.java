package org.sceau.openpgp.mail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.openpgp.mail.MailKeys.BOB;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.GeneratedKey;
import org.sceau.openpgp.KeySpec;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SignatureStatus;

/** The Autocrypt header carries a trimmed key: the address's user ID only, still usable. */
class AutocryptKeysTest {

  @Test
  void headerKeyHasOnlyTheSendersUserIdAndStillVerifiesAndEncrypts() throws Exception {
    GeneratedKey two =
        Keys.generate(
            KeySpec.of("x")
                .withUserIds(
                    List.of("Alice <alice@example.org>", "Alice at Work <alice@work.example>")));
    assertEquals(2, two.key().certificate().userIds().size());
    MailComposer c =
        MailComposer.builder()
            .signWith(two.key(), Passphrase.none())
            .recipientKey("bob@example.org", BOB.key().certificate())
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    c.writeEncrypted(
        Draft.of(
            MailAddress.of("alice@example.org"),
            List.of(MailAddress.of("bob@example.org")),
            "s",
            "hello"),
        out);
    ReadMail seen =
        MailReader.builder().withKey(BOB.key(), Passphrase.none()).build().read(out.toByteArray());
    Certificate fromHeader = seen.autocrypt().orElseThrow().certificate();
    assertEquals(two.key().fingerprint(), fromHeader.fingerprint());
    assertEquals(List.of("Alice <alice@example.org>"), fromHeader.userIds());
    assertTrue(fromHeader.status().canEncrypt());
    assertTrue(fromHeader.status().canSign());
    assertTrue(
        fromHeader.encoded(Encoding.BINARY).length
            < two.key().certificate().encoded(Encoding.BINARY).length);
    assertTrue(!new String(out.toByteArray(), UTF_8).contains("work.example"));

    // A peer that knows Alice only from this header verifies her signature.
    ReadMail verified =
        MailReader.builder()
            .withKey(BOB.key(), Passphrase.none())
            .verifyWith(List.of(fromHeader))
            .build()
            .read(out.toByteArray());
    assertEquals(SignatureStatus.GOOD, verified.signatureStatus());
    assertTrue(verified.signedBySender());
  }

  @Test
  void aCertificateWithoutTheAddressIsSentWhole() throws Exception {
    Certificate c = BOB.key().certificate();
    assertEquals(c, AutocryptKeys.minimal(c, "someone@else.example"));
    assertEquals(
        List.of(c.encoded(Encoding.BINARY).length),
        List.of(AutocryptKeys.minimal(c, "bob@example.org").encoded(Encoding.BINARY).length));
  }
}
