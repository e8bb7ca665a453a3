package org.sceau.app.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One helper per user: an OS file lock, released by the kernel however the process dies, so a crash
 * never leaves a stale lock behind (a stale socket file is then safe to remove).
 */
final class InstanceLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private InstanceLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static InstanceLock acquire(Path file) throws IOException {
    if (!Files.exists(file)
        && java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      try {
        Files.createFile(
            file,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // Another helper created it first; the lock below decides.
      }
    }
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      // This JVM already holds it (a second server in one process): same answer as another process.
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = readPid(file);
      channel.close();
      throw new AlreadyRunningException(
          "The Sceau helper is already running"
              + (holder.isEmpty() ? "" : " (pid " + holder + ")")
              + "; use `sceau stop` first.");
    }
    byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(pid), 0);
    channel.force(false);
    return new InstanceLock(channel, lock);
  }

  private static String readPid(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return s.matches("\\d{1,10}") ? s : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
