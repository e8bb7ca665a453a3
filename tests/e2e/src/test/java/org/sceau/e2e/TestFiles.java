package org.sceau.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Cleaning up and scanning the files a test's processes wrote. */
final class TestFiles {
  private TestFiles() {}

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The forms plaintext could take on disk: as is (UTF-8), UTF-16 (Java strings, some logs) and
   * base64 (JSON of bytes), the latter at each of the three alignments.
   */
  static List<byte[]> forms(String marker) {
    List<byte[]> out = new ArrayList<>();
    out.add(marker.getBytes(StandardCharsets.UTF_8));
    out.add(marker.getBytes(StandardCharsets.UTF_16LE));
    out.add(marker.getBytes(StandardCharsets.UTF_16BE));
    byte[] m = marker.getBytes(StandardCharsets.UTF_8);
    for (int shift = 0; shift < 3; shift++) {
      byte[] padded = new byte[shift + m.length];
      System.arraycopy(m, 0, padded, shift, m.length);
      String b64 = Base64.getEncoder().encodeToString(padded);
      // Drop the characters that depend on the unknown neighbours at both ends.
      int from = shift == 0 ? 0 : (shift == 1 ? 2 : 3);
      String core = b64.substring(from, b64.length() - 4);
      out.add(core.getBytes(StandardCharsets.US_ASCII));
    }
    return out;
  }

  /** Every regular file under {@code roots} holding one of {@code forms(marker)}. */
  static List<String> filesContaining(String marker, Path... roots) throws IOException {
    List<byte[]> forms = forms(marker);
    List<String> hits = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path f : walk.filter(Files::isRegularFile).toList()) {
          byte[] data = Files.readAllBytes(f);
          for (byte[] form : forms) {
            if (indexOf(data, form) >= 0) {
              hits.add(f.toString());
              break;
            }
          }
        }
      }
    }
    return hits;
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
