package org.sceau.openpgp;

/** Keys shared by the unit tests: generation is the slow part, so it happens once per JVM. */
final class TestKeys {
  static final Passphrase ALICE_PASS = Passphrase.of("correct horse battery staple");
  static final GeneratedKey ALICE;
  static final GeneratedKey BOB;

  static {
    try {
      ALICE = Keys.generate(KeySpec.of("Alice <alice@example.org>").withPassphrase(ALICE_PASS));
      BOB = Keys.generate(KeySpec.of("Bob <bob@example.org>"));
    } catch (OpenPgpException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private TestKeys() {}
}
