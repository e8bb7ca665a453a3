package org.sceau.openpgp.mail;

import org.sceau.openpgp.GeneratedKey;
import org.sceau.openpgp.KeySpec;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;

/** Keys shared by the mail unit tests: generated once per JVM. */
final class MailKeys {
  static final Passphrase ALICE_PASS = Passphrase.of("alice mail passphrase");
  static final GeneratedKey ALICE;
  static final GeneratedKey BOB;
  static final GeneratedKey CAROL;

  static {
    try {
      ALICE = Keys.generate(KeySpec.of("Alice <alice@example.org>").withPassphrase(ALICE_PASS));
      BOB = Keys.generate(KeySpec.of("Bob <bob@example.org>"));
      CAROL = Keys.generate(KeySpec.of("Carol <carol@example.net>"));
    } catch (OpenPgpException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private MailKeys() {}
}
