package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The second wall: even if the socket's permissions were loosened, a process of another user is
 * refused by the peer-credential check. Needs root (to run a client as `nobody`), as CI is.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PeerCheckIT {
  @Test
  void anotherUsersConnectionIsRefusedEvenThroughLoosenedPermissions() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as another user");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")), "needs runuser");
    try (Sandbox sandbox = new Sandbox()) {
      sandbox.startHelper();
      // Loosen everything on the way, as a careless admin might.
      for (Path p : List.of(sandbox.root, sandbox.runtime, sandbox.socket().getParent())) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
      }
      Files.setPosixFilePermissions(sandbox.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));

      // The build folder may sit under a private home (CI clones anywhere): give `nobody` its own
      // readable copy of the program.
      Path cp = Files.createDirectories(sandbox.root.resolve("cp/lib"));
      Files.copy(
          Sandbox.APP_BUILD.resolve("sceau-app.jar"), cp.getParent().resolve("sceau-app.jar"));
      try (var jars = Files.newDirectoryStream(Sandbox.APP_BUILD.resolve("lib"), "*.jar")) {
        for (Path jar : jars) {
          Files.copy(jar, cp.resolve(jar.getFileName()));
        }
      }
      try (var all = Files.walk(cp.getParent())) {
        for (Path p : all.toList()) {
          Files.setPosixFilePermissions(
              p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
      Files.setPosixFilePermissions(sandbox.root, PosixFilePermissions.fromString("rwx--x--x"));
      ProcessBuilder pb =
          new ProcessBuilder(
              "/usr/sbin/runuser",
              "-u",
              "nobody",
              "--",
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              cp.getParent().resolve("sceau-app.jar") + ":" + cp + "/*",
              "org.sceau.app.cli.SceauCli",
              "status");
      pb.environment().put("SCEAU_RUNTIME_DIR", sandbox.socket().getParent().toString());
      pb.environment().put("HOME", "/tmp");
      pb.redirectErrorStream(true);
      Process other = pb.start();
      String out = new String(other.getInputStream().readAllBytes());
      assertTrue(other.waitFor(60, TimeUnit.SECONDS));
      // Connected (the permissions allowed it), then dropped by the helper before any answer.
      assertEquals(1, other.exitValue(), out);
      assertTrue(out.contains("the connection to the helper failed"), out);
      assertTrue(!out.contains("is running"), out);

      // The owner still gets through.
      Process mine = sandbox.java(List.of(), "org.sceau.app.cli.SceauCli", "status");
      assertTrue(mine.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, mine.exitValue());
    }
  }
}
