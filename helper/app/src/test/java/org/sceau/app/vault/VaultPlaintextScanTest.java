package org.sceau.app.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

/**
 * Through the helper's socket and CLI: a marker used as the passphrase and stored in records (as
 * text, UTF-16 and base64) is in no file under the sandbox's data, state (a DEBUG-level log of
 * everything logged meanwhile) and runtime directories, nor in any temp file written meanwhile,
 * once the vault is locked.
 */
class VaultPlaintextScanTest extends CliFixture {
  /** Sends every log event of this JVM, at DEBUG, to state/helper.log while the test runs. */
  private static ch.qos.logback.core.FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> logTo(
      Path file) {
    var ctx = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    var encoder = new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d %level %logger %msg%n%ex");
    encoder.start();
    var appender = new ch.qos.logback.core.FileAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.setContext(ctx);
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    appender.start();
    var rootLogger = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLogger.setLevel(ch.qos.logback.classic.Level.DEBUG);
    rootLogger.addAppender(appender);
    return appender;
  }

  @Test
  void markerIsInNoFileAfterLock() throws Exception {
    FileTime since = FileTime.from(Instant.now().minusSeconds(2));
    Path log = Files.createDirectories(root.resolve("state")).resolve("helper.log");
    var appender = logTo(log);
    try {
      scanAfterUse(since, log);
    } finally {
      var ctx = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
      appender.stop();
    }
  }

  private void scanAfterUse(FileTime since, Path log) throws Exception {
    String marker =
        "SCEAU-APP-MARKER-" + HexFormat.of().formatHex(java.security.SecureRandom.getSeed(8));
    assertEquals(0, run(marker + "\n", "create", "--passphrase-fd", "0"), err);
    // A wrong passphrase and a failing call are logged paths too.
    assertEquals(
        1,
        run(
            marker + "x\n" + marker + "y\n",
            "change-passphrase",
            "--passphrase-fd",
            "0",
            "--new-passphrase-fd",
            "0"),
        err);
    var s = cap.vault().store("scan.test");
    for (int i = 0; i < 20; i++) {
      s.put("text-" + marker + i, marker.getBytes(StandardCharsets.UTF_8));
      s.put("utf16-" + i, marker.getBytes(StandardCharsets.UTF_16LE));
      s.put("b64-" + i, Base64.getEncoder().encode(marker.getBytes(StandardCharsets.UTF_8)));
    }
    Path backup = root.resolve("data-backup");
    assertEquals(0, run(marker + "\n", "backup", backup.toString(), "--passphrase-fd", "0"), err);
    assertEquals(0, run("", "lock"), err);

    List<byte[]> needles =
        List.of(
            marker.getBytes(StandardCharsets.UTF_8),
            marker.getBytes(StandardCharsets.UTF_16LE),
            marker.getBytes(StandardCharsets.UTF_16BE),
            java.util.Arrays.copyOf(
                Base64.getEncoder().encode(marker.getBytes(StandardCharsets.UTF_8)), 20),
            marker.substring(17).getBytes(StandardCharsets.US_ASCII));
    List<Path> scanned = new ArrayList<>();
    List<Path> hits = new ArrayList<>();
    scan(root, null, needles, scanned, hits);
    for (String t : new String[] {System.getProperty("java.io.tmpdir"), "/tmp", "/var/tmp"}) {
      if (Files.isDirectory(Path.of(t))) {
        scan(Path.of(t), since, needles, scanned, hits);
      }
    }
    assertTrue(scanned.contains(backup), scanned.toString());
    assertTrue(Files.size(log) > 0, "the log was written: " + Files.exists(log));
    assertTrue(scanned.contains(log), "the log was scanned: " + scanned);
    assertEquals(List.of(), hits);
  }

  static void scan(
      Path dir, FileTime since, List<byte[]> needles, List<Path> scanned, List<Path> hits)
      throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
            if (!a.isRegularFile()
                || (since != null && a.lastModifiedTime().compareTo(since) < 0)
                || a.size() > 256L * 1024 * 1024
                || scanned.contains(file)) {
              return FileVisitResult.CONTINUE;
            }
            try {
              byte[] all = Files.readAllBytes(file);
              scanned.add(file);
              for (byte[] n : needles) {
                if (indexOf(all, n) >= 0) {
                  hits.add(file);
                  break;
                }
              }
            } catch (IOException e) {
              // Unreadable or vanished (another process's file).
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
