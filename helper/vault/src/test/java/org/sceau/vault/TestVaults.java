package org.sceau.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Shared settings: cheap Argon2 so the suite stays fast (one test covers the defaults). */
final class TestVaults {
  static final KdfParams FAST_KDF = new KdfParams(1024, 1, 1);
  static final VaultOptions FAST = new VaultOptions(Duration.ZERO, FAST_KDF);

  private TestVaults() {}

  static char[] pass(String s) {
    return s.toCharArray();
  }

  static Vault created(Path dir) throws VaultException {
    Vault v = Vault.at(dir, FAST);
    v.create(pass("correct horse"), null);
    return v;
  }

  static Path keyFile(Path dir, String name, byte[] content) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, content);
    return f;
  }

  static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
