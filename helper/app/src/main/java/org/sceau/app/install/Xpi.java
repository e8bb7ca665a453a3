package org.sceau.app.install;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Packs the add-on's source folder into an .xpi (a zip with manifest.json at its root). */
final class Xpi {
  /** What belongs to development only and must not ship in the add-on. */
  private static final Set<String> EXCLUDED_TOP =
      Set.of(
          "test", "e2e", "node_modules", "target", "pom.xml", "package.json", "package-lock.json");

  private Xpi() {}

  static void pack(Path extensionDir, Path xpi) throws IOException {
    if (!Files.isRegularFile(extensionDir.resolve("manifest.json"))) {
      throw new IOException("No add-on at " + extensionDir + " (manifest.json is missing).");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(extensionDir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !EXCLUDED_TOP.contains(extensionDir.relativize(p).getName(0).toString()))
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
    }
    Path tmp = Files.createTempFile(xpi.getParent(), ".sceau-", ".xpi.tmp");
    try {
      try (OutputStream os = Files.newOutputStream(tmp);
          ZipOutputStream zip = new ZipOutputStream(os)) {
        for (Path f : files) {
          String name = extensionDir.relativize(f).toString().replace('\\', '/');
          ZipEntry e = new ZipEntry(name);
          // Fixed times: the same add-on source gives the same .xpi bytes.
          e.setLastModifiedTime(FileTime.fromMillis(315532800000L));
          zip.putNextEntry(e);
          Files.copy(f, zip);
          zip.closeEntry();
        }
      }
      Files.move(
          tmp,
          xpi,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
