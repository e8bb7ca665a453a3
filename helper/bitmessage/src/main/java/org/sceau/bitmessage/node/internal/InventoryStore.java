package org.sceau.bitmessage.node.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.sceau.bitmessage.ObjectCodec;

/**
 * The public inventory: every object the node holds, in an append-only log under the node's data
 * directory, with an in-memory index of (vector → offset, length, expiry) only — objects stay on
 * disk, so memory grows by about 100 bytes per object, not by its size (PyBitmessage keeps recent
 * objects in RAM, its issues #870/#986).
 *
 * <p>Record: {@code length u32 ‖ expires u64 ‖ vector[32] ‖ crc32c u32 ‖ object}. A torn record at
 * the end (crash mid-append) fails its CRC and is cut off at load. Expired objects are dropped from
 * the index by {@link #cleanup}, which rewrites the log (to a temporary file, then an atomic
 * rename) once dead records outweigh live ones. The store holds public, PoW-stamped network objects
 * only, never anything from the vault.
 */
public final class InventoryStore implements AutoCloseable {
  private static final int HEADER = 4 + 8 + 32 + 4;

  /** PyBitmessage keeps objects three hours past expiry before deleting them. */
  public static final long KEEP_AFTER_EXPIRY = 3 * 3600;

  private static final class Item {
    final long offset;
    final int length;
    final long expires;

    Item(long offset, int length, long expires) {
      this.offset = offset;
      this.length = length;
      this.expires = expires;
    }
  }

  private final Path file;
  private final int maxObjects;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<HashKey, Item> index = new HashMap<>();
  private FileChannel channel;
  private long end;
  private long liveBytes;

  private InventoryStore(Path file, int maxObjects) {
    this.file = file;
    this.maxObjects = maxObjects;
  }

  public static InventoryStore open(Path dir, int maxObjects) throws IOException {
    Files.createDirectories(dir);
    InventoryStore s = new InventoryStore(dir.resolve("inventory.log"), maxObjects);
    s.load();
    return s;
  }

  private void load() throws IOException {
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long size = channel.size();
    long pos = 0;
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    while (pos + HEADER <= size) {
      head.clear();
      readFully(head, pos);
      head.flip();
      int len = head.getInt();
      long expires = head.getLong();
      byte[] vector = new byte[32];
      head.get(vector);
      int crc = head.getInt();
      if (len < ObjectCodec.MIN_OBJECT_LENGTH
          || len > ObjectCodec.MAX_OBJECT_LENGTH
          || pos + HEADER + len > size) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(len);
      readFully(body, pos + HEADER);
      if (crc(expires, vector, body.array()) != crc) {
        break;
      }
      HashKey k = HashKey.of(vector);
      Item old = index.put(k, new Item(pos + HEADER, len, expires));
      if (old != null) {
        liveBytes -= HEADER + old.length;
      }
      liveBytes += HEADER + len;
      pos += HEADER + len;
    }
    if (pos < size) {
      // A torn or corrupt tail: keep what precedes it.
      channel.truncate(pos);
    }
    end = pos;
  }

  private void readFully(ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      if (channel.read(b, pos + b.position()) < 0) {
        throw new IOException("inventory log ended early");
      }
    }
  }

  private static int crc(long expires, byte[] vector, byte[] object) {
    CRC32C c = new CRC32C();
    c.update(ByteBuffer.allocate(8).putLong(0, expires));
    c.update(vector);
    c.update(object);
    return (int) c.getValue();
  }

  public boolean contains(HashKey k) {
    lock.readLock().lock();
    try {
      return index.containsKey(k);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Expiry time of a held object, or {@code Long.MIN_VALUE}. */
  public long expires(HashKey k) {
    lock.readLock().lock();
    try {
      Item i = index.get(k);
      return i == null ? Long.MIN_VALUE : i.expires;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Appends an object.
   *
   * @return false if it was already held
   */
  public boolean put(HashKey k, byte[] object, long expires) {
    byte[] vector = k.bytes();
    ByteBuffer rec = ByteBuffer.allocate(HEADER + object.length);
    rec.putInt(object.length).putLong(expires).put(vector).putInt(crc(expires, vector, object));
    rec.put(object).flip();
    lock.writeLock().lock();
    try {
      if (index.containsKey(k)) {
        return false;
      }
      long pos = end;
      while (rec.hasRemaining()) {
        channel.write(rec, pos + rec.position());
      }
      end = pos + HEADER + object.length;
      index.put(k, new Item(pos + HEADER, object.length, expires));
      liveBytes += HEADER + object.length;
      if (index.size() > maxObjects) {
        evictSoonestExpiring();
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the inventory log", e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void evictSoonestExpiring() {
    int drop = Math.max(1, index.size() - maxObjects + maxObjects / 100);
    List<Map.Entry<HashKey, Item>> all = new ArrayList<>(index.entrySet());
    all.sort((x, y) -> Long.compare(x.getValue().expires, y.getValue().expires));
    for (int i = 0; i < drop && i < all.size(); i++) {
      Item it = index.remove(all.get(i).getKey());
      liveBytes -= HEADER + it.length;
    }
  }

  /** The object's bytes, or null if not held. */
  public byte[] get(HashKey k) {
    lock.readLock().lock();
    try {
      Item i = index.get(k);
      if (i == null) {
        return null;
      }
      ByteBuffer b = ByteBuffer.allocate(i.length);
      readFully(b, i.offset);
      return b.array();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the inventory log", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  public int size() {
    lock.readLock().lock();
    try {
      return index.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Vectors of objects not yet expired at {@code now}, except those {@code exclude} accepts. */
  public List<HashKey> unexpired(long now, Predicate<HashKey> exclude) {
    lock.readLock().lock();
    try {
      List<HashKey> out = new ArrayList<>(index.size());
      for (Map.Entry<HashKey, Item> e : index.entrySet()) {
        if (e.getValue().expires > now && !exclude.test(e.getKey())) {
          out.add(e.getKey());
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Visits unexpired objects; reads each from disk outside the lock. */
  public void forEach(long now, BiConsumer<HashKey, byte[]> visitor) {
    for (HashKey k : unexpired(now, x -> false)) {
      byte[] o = get(k);
      if (o != null) {
        visitor.accept(k, o);
      }
    }
  }

  /**
   * Drops objects expired for more than {@link #KEEP_AFTER_EXPIRY} and compacts the log when dead
   * records outweigh live ones.
   *
   * @return how many objects were dropped
   */
  public int cleanup(long now) {
    lock.writeLock().lock();
    try {
      int dropped = 0;
      var it = index.values().iterator();
      while (it.hasNext()) {
        Item i = it.next();
        if (i.expires < now - KEEP_AFTER_EXPIRY) {
          it.remove();
          liveBytes -= HEADER + i.length;
          dropped++;
        }
      }
      long dead = end - liveBytes;
      if (dead > (1 << 20) && dead > liveBytes) {
        compact();
      }
      return dropped;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compact the inventory log", e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void compact() throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Map<HashKey, Item> moved = new HashMap<>();
    long pos = 0;
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      for (Map.Entry<HashKey, Item> e : index.entrySet()) {
        Item i = e.getValue();
        ByteBuffer rec = ByteBuffer.allocate(HEADER + i.length);
        while (rec.hasRemaining()) {
          if (channel.read(rec, i.offset - HEADER + rec.position()) < 0) {
            throw new IOException("inventory log ended early");
          }
        }
        rec.flip();
        while (rec.hasRemaining()) {
          out.write(rec);
        }
        moved.put(e.getKey(), new Item(pos + HEADER, i.length, i.expires));
        pos += HEADER + i.length;
      }
      out.force(true);
    }
    channel.close();
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    index.clear();
    index.putAll(moved);
    end = pos;
    liveBytes = pos;
  }

  /** Forces appended records to disk. */
  public void flush() {
    lock.readLock().lock();
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot flush the inventory log", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (channel.isOpen()) {
        channel.force(false);
        channel.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the inventory log", e);
    } finally {
      lock.writeLock().unlock();
    }
  }
}
