package org.sceau.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sceau.vault.TestVaults.FAST;
import static org.sceau.vault.TestVaults.pass;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes records carrying a unique marker (as text, UTF-16 and base64), locks, then searches every
 * file under the vault's data directory, its backup, the JVM temp directory and the system temp
 * directories: the marker appears nowhere.
 */
class PlaintextScanTest {
  @TempDir Path root;

  @Test
  void markerAppearsInNoFileAfterLock() throws Exception {
    Instant start = Instant.now().minusSeconds(2);
    String marker =
        "SCEAU-MARKER-" + HexFormat.of().formatHex(java.security.SecureRandom.getSeed(8));
    Path data = root.resolve("data");
    Vault v = Vault.at(data, FAST);
    v.create(pass("correct horse"), null);
    RecordStore s = v.store("scan.test");
    for (int i = 0; i < 50; i++) {
      s.put("text-" + marker + "-" + i, marker.getBytes(StandardCharsets.UTF_8));
      s.put("utf16-" + i, marker.getBytes(StandardCharsets.UTF_16LE));
      s.put("utf16be-" + i, marker.getBytes(StandardCharsets.UTF_16BE));
      s.put("b64-" + i, Base64.getEncoder().encode(marker.getBytes(StandardCharsets.UTF_8)));
      v.store("scan.log").append(("log line " + marker).getBytes(StandardCharsets.UTF_8));
    }
    v.backup(root.resolve("backup.sceau"), pass("backup pass"));
    v.lock();
    v.deposit("scan.inbox", "deposit-" + marker, marker.getBytes(StandardCharsets.UTF_8));
    v.close();

    List<byte[]> needles = new ArrayList<>();
    needles.add(marker.getBytes(StandardCharsets.UTF_8));
    needles.add(marker.getBytes(StandardCharsets.UTF_16LE));
    needles.add(marker.getBytes(StandardCharsets.UTF_16BE));
    byte[] b64 = Base64.getEncoder().encode(marker.getBytes(StandardCharsets.UTF_8));
    // The base64 text without its padding, so a marker inside a longer base64 string is found.
    needles.add(java.util.Arrays.copyOf(b64, 16));
    // The random part alone, in case the prefix was split.
    needles.add(marker.substring(13).getBytes(StandardCharsets.US_ASCII));

    List<Path> scanned = new ArrayList<>();
    List<Path> hits = new ArrayList<>();
    scan(root, null, needles, scanned, hits);
    // Temp directories are shared with other processes: only files changed during this test.
    FileTime since = FileTime.from(start);
    scan(Path.of(System.getProperty("java.io.tmpdir")), since, needles, scanned, hits);
    for (String t : new String[] {"/tmp", "/var/tmp", System.getenv("XDG_RUNTIME_DIR")}) {
      if (t != null && Files.isDirectory(Path.of(t))) {
        scan(Path.of(t), since, needles, scanned, hits);
      }
    }
    assertTrue(scanned.size() >= 3, "scanned " + scanned);
    assertTrue(scanned.contains(root.resolve("backup.sceau")));
    assertEquals(List.of(), hits, "marker found in files");
  }

  @Test
  void scannerFindsTheMarkerInAPlainFile() throws Exception {
    // Control: the scan is able to see a marker that is there, in each encoding.
    String marker = "SCEAU-MARKER-control";
    byte[] b64 = Base64.getEncoder().encode(marker.getBytes(StandardCharsets.UTF_8));
    for (byte[] content :
        List.of(
            marker.getBytes(StandardCharsets.UTF_8),
            marker.getBytes(StandardCharsets.UTF_16LE),
            b64)) {
      Path f = root.resolve("plain");
      Files.write(f, content);
      List<Path> hits = new ArrayList<>();
      scan(
          root,
          null,
          List.of(
              marker.getBytes(StandardCharsets.UTF_8),
              marker.getBytes(StandardCharsets.UTF_16LE),
              java.util.Arrays.copyOf(b64, 16)),
          new ArrayList<>(),
          hits);
      assertEquals(List.of(f), hits);
    }
  }

  private static void scan(
      Path dir, FileTime since, List<byte[]> needles, List<Path> scanned, List<Path> hits)
      throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (!attrs.isRegularFile()
                || (since != null && attrs.lastModifiedTime().compareTo(since) < 0)
                || attrs.size() > 256L * 1024 * 1024
                || scanned.contains(file)) {
              return FileVisitResult.CONTINUE;
            }
            try (InputStream in = Files.newInputStream(file)) {
              byte[] all = in.readAllBytes();
              scanned.add(file);
              for (byte[] n : needles) {
                if (indexOf(all, n) >= 0) {
                  hits.add(file);
                  break;
                }
              }
            } catch (IOException e) {
              // Another user's or a vanished file: not ours.
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            return FileVisitResult.CONTINUE;
          }
        });
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
