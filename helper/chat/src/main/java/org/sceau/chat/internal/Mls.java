package org.sceau.chat.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.mls.GroupKeySet;
import org.bouncycastle.mls.crypto.MlsCipherSuite;
import org.bouncycastle.mls.protocol.Group;

/**
 * Shared access to Bouncy Castle's MLS (bcmls 1.84): the one ciphersuite Sceau uses, the JVM-wide
 * lock, and the few reflective reads/writes the public bcmls API does not offer.
 *
 * <p>Why a global lock: {@link MlsCipherSuite#getSuite} returns a static instance whose AEAD (one
 * {@code GCMBlockCipher}) and KDF (one {@code HKDFBytesGenerator}) objects are re-initialised on
 * every call, so two threads using any MLS group at once can corrupt each other's encryption. Every
 * bcmls call in this module runs under {@link #LOCK}; a message costs ~0.1 ms, so one helper never
 * waits long.
 *
 * <p>Why reflection: bcmls has no API to save a {@code Group} (see {@link GroupStateCodec}), to
 * erase the sender's own message keys, or to drop the resumption PSKs it accumulates for every past
 * epoch. The field names below are those of bcmls 1.84, pinned in the parent pom; {@link
 * #selfCheck} fails fast if a different version is on the class path.
 */
public final class Mls {
  /** Serialises every use of bcmls in this JVM (see class comment). */
  public static final ReentrantLock LOCK = new ReentrantLock();

  /** MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, the only suite Sceau speaks. */
  public static final short SUITE_ID = MlsCipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

  private static final MlsCipherSuite SUITE;

  static {
    try {
      SUITE = MlsCipherSuite.getSuite(SUITE_ID);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
    selfCheck();
  }

  private Mls() {}

  public static MlsCipherSuite suite() {
    return SUITE;
  }

  /** Runs {@code body} under the MLS lock. */
  public static <T> T locked(MlsCall<T> body) throws Exception {
    LOCK.lock();
    try {
      return body.call();
    } finally {
      LOCK.unlock();
    }
  }

  /** Something that uses bcmls and may throw anything bcmls throws. */
  @FunctionalInterface
  public interface MlsCall<T> {
    T call() throws Exception;
  }

  // ---- reflection ----

  static Field field(Class<?> c, String name) {
    try {
      Field f = c.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(
          "bcmls layout changed (no field " + c.getSimpleName() + "." + name + "); pin bcmls 1.84",
          e);
    }
  }

  static Object get(Object target, Class<?> c, String name) {
    try {
      return field(c, name).get(target);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  static void set(Object target, Class<?> c, String name, Object value) {
    try {
      field(c, name).set(target, value);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> Constructor<T> constructor(Class<T> c, Class<?>... params) {
    try {
      Constructor<T> k = c.getDeclaredConstructor(params);
      k.setAccessible(true);
      return k;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("bcmls layout changed; pin bcmls 1.84", e);
    }
  }

  /** The live per-epoch message key set of {@code group} (not the key schedule's unused copy). */
  static GroupKeySet keys(Group group) {
    return (GroupKeySet) get(group, Group.class, "keys");
  }

  /**
   * Forgets the resumption PSKs bcmls keeps for every past epoch ({@code Group.successor} adds one
   * per epoch and never removes any). Sceau uses no resumption or re-init, and keeping them would
   * keep a secret of each past epoch alive.
   */
  static void dropResumptionPsks(Group group) {
    Map<?, ?> psks = (Map<?, ?>) get(group, Group.class, "resumptionPSKs");
    if (psks != null) {
      for (Object v : psks.values()) {
        if (v instanceof byte[] b) {
          java.util.Arrays.fill(b, (byte) 0);
        }
      }
      psks.clear();
    }
  }

  /**
   * Erases the cached keys of the messages this member sent itself: bcmls caches every generation
   * it derives, and only the receiver side erases after use, so without this each sent message's
   * key would stay in memory (and in saved state) for the whole epoch.
   */
  static void eraseOwnSendKeys(Group group) {
    GroupKeySet keys = keys(group);
    if (keys == null) {
      return;
    }
    for (String mapName : new String[] {"applicationRatchets", "handshakeRatchets"}) {
      Map<?, ?> ratchets = (Map<?, ?>) get(keys, GroupKeySet.class, mapName);
      Object mine = ratchets.get(group.getIndex());
      if (mine == null) {
        continue;
      }
      Map<?, ?> cache = (Map<?, ?>) get(mine, GroupKeySet.HashRatchet.class, "cache");
      for (Object kg : cache.values()) {
        org.bouncycastle.mls.KeyGeneration g = (org.bouncycastle.mls.KeyGeneration) kg;
        java.util.Arrays.fill(g.key, (byte) 0);
        java.util.Arrays.fill(g.nonce, (byte) 0);
      }
      cache.clear();
    }
  }

  /**
   * Zeroes the epoch secrets of a state that is no longer used (an expired previous epoch, or the
   * raw bcmls successor after it was copied): the key schedule and the message key tree. The tree's
   * private path keys are not touched: bcmls shares them between consecutive states.
   */
  @SuppressWarnings("unchecked")
  static void wipeEpochSecrets(Group group) {
    if (group == null) {
      return;
    }
    org.bouncycastle.mls.KeyScheduleEpoch ks = group.getKeySchedule();
    if (ks != null) {
      for (org.bouncycastle.mls.crypto.Secret s :
          new org.bouncycastle.mls.crypto.Secret[] {
            ks.initSecret, ks.senderDataSecret, ks.exporterSecret, ks.confirmationKey,
            ks.membershipKey, ks.resumptionPSK, ks.epochAuthenticator, ks.encryptionSecret,
            ks.externalSecret, ks.joinerSecret
          }) {
        if (s != null) {
          s.consume();
        }
      }
    }
    GroupKeySet keys = keys(group);
    if (keys == null) {
      return;
    }
    for (org.bouncycastle.mls.crypto.Secret s : keys.secretTree.secrets.values()) {
      s.consume();
    }
    keys.secretTree.secrets.clear();
    for (String mapName : new String[] {"applicationRatchets", "handshakeRatchets"}) {
      Map<?, ?> ratchets = (Map<?, ?>) get(keys, GroupKeySet.class, mapName);
      for (Object r : ratchets.values()) {
        org.bouncycastle.mls.crypto.Secret next =
            (org.bouncycastle.mls.crypto.Secret)
                get(r, GroupKeySet.HashRatchet.class, "nextSecret");
        if (next != null) {
          next.consume();
        }
        Map<?, ?> cache = (Map<?, ?>) get(r, GroupKeySet.HashRatchet.class, "cache");
        for (Object kg : cache.values()) {
          org.bouncycastle.mls.KeyGeneration g = (org.bouncycastle.mls.KeyGeneration) kg;
          java.util.Arrays.fill(g.key, (byte) 0);
          java.util.Arrays.fill(g.nonce, (byte) 0);
        }
        cache.clear();
      }
    }
    dropResumptionPsks(group);
  }

  /** Fails at class-load time if the bcmls on the class path is not laid out like 1.84. */
  static void selfCheck() {
    field(Group.class, "keys");
    field(Group.class, "resumptionPSKs");
    field(Group.class, "keySchedule");
    field(Group.class, "tree");
    field(Group.class, "treePriv");
    field(Group.class, "transcriptHash");
    field(Group.class, "pendingProposals");
    field(Group.class, "identitySk");
    field(GroupKeySet.class, "applicationRatchets");
    field(GroupKeySet.HashRatchet.class, "cache");
  }
}
