package org.sceau.bitmessage.node;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.PowDifficulty;

/** Shared pieces of the node tests: objects with a real (tiny) proof of work, configs, waiting. */
final class NodeFixtures {
  /** The test networks' difficulty: a few hundred trials per object. */
  static final PowDifficulty TINY = new PowDifficulty(1, 1);

  private static final SecureRandom RND = new SecureRandom();

  private NodeFixtures() {}

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** A msg-type object with random payload, valid proof of work for {@code d}. */
  static BitmessageObject object(int payloadLength, long ttl, PowDifficulty d) {
    byte[] payload = new byte[payloadLength];
    RND.nextBytes(payload);
    BitmessageObject o = new BitmessageObject(0, now() + ttl, BitmessageObject.MSG, 1, 1, payload);
    return solve(o, d, now());
  }

  static BitmessageObject object() {
    return object(200, 3600, TINY);
  }

  /** Finds a nonce (brute force: meant for tiny difficulties). */
  static BitmessageObject solve(BitmessageObject o, PowDifficulty d, long now) {
    byte[] body = o.encodeWithoutNonce();
    long target = BitmessageNode.powTarget(d, body.length + 8, o.expiresTime() - now);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      byte[] initial = md.digest(body);
      ByteBuffer nb = ByteBuffer.allocate(8);
      for (long nonce = 0; ; nonce++) {
        nb.putLong(0, nonce);
        md.update(nb.array());
        md.update(initial);
        byte[] h = md.digest(md.digest());
        long trial = ByteBuffer.wrap(h).getLong();
        if (Long.compareUnsigned(trial, target) <= 0) {
          return o.withNonce(nonce);
        }
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A test node: loopback, random port, no public bootstrap, tiny difficulty. */
  static NodeConfig.Builder config(Path dir, String... bootstrap) {
    return NodeConfig.builder(dir)
        .listenPort(0)
        .bootstrapPeers(List.of(bootstrap))
        .minimumDifficulty(TINY)
        .userAgent("/SceauTest:0/");
  }

  static String loopback(BitmessageNode n) {
    return "127.0.0.1:" + n.listeningPort();
  }

  static boolean holds(BitmessageNode n, BitmessageObject o) {
    byte[] want = o.inventoryHash();
    boolean[] found = {false};
    n.forEachObject(x -> found[0] |= Arrays.equals(x.inventoryHash(), want));
    return found[0];
  }

  static void await(String what, Duration limit, BooleanSupplier condition) {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        fail("timed out waiting until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }
}
