package org.sceau.chat.internal;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.mls.GroupKeySet;
import org.bouncycastle.mls.KeyGeneration;
import org.bouncycastle.mls.KeyScheduleEpoch;
import org.bouncycastle.mls.TranscriptHash;
import org.bouncycastle.mls.TreeKEM.LeafIndex;
import org.bouncycastle.mls.TreeKEM.NodeIndex;
import org.bouncycastle.mls.TreeKEM.TreeKEMPrivateKey;
import org.bouncycastle.mls.TreeKEM.TreeKEMPublicKey;
import org.bouncycastle.mls.TreeSize;
import org.bouncycastle.mls.codec.Extension;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.Proposal;
import org.bouncycastle.mls.crypto.MlsCipherSuite;
import org.bouncycastle.mls.crypto.Secret;
import org.bouncycastle.mls.protocol.CachedProposal;
import org.bouncycastle.mls.protocol.Group;
import org.sceau.chat.ChatException;

/**
 * Saves and restores a bcmls {@link Group} (the gap bcmls 1.84 leaves: no state API;
 * cisco/mlspp#324 is the same gap upstream). Unlike a reflective object-graph serializer, this
 * writes an explicit, versioned list of exactly the values the current epoch needs, so that:
 *
 * <ul>
 *   <li>no secret of a past epoch is written: bcmls links every derived {@link Secret} to its
 *       parents (back through the previous epoch's init secret) and keeps a resumption PSK per past
 *       epoch; only values are written here, links and resumption PSKs are not;
 *   <li>consumed secrets (already-used tree nodes and ratchet steps) are skipped, so the forward
 *       secrecy bcmls gives in memory carries over to the saved copy;
 *   <li>the reader bounds every length before allocating and fails with {@code STATE_CORRUPT}.
 * </ul>
 *
 * The blob holds the epoch's secrets: the caller must keep it encrypted at rest (the vault).
 * Restoring is also a cheap way to shed those links in memory: {@code decode(encode(g))}.
 */
public final class GroupStateCodec {
  private static final long MAGIC = 0x53434731L; // "SCG1"
  private static final int MAX_SECRET = 128;
  private static final int MAX_ID = 255;
  private static final int MAX_TREE = 8 << 20;
  private static final int MAX_ITEMS = 1 << 17;
  private static final int MAX_PROPOSAL = 64 << 10;
  private static final ChatException.Code CORRUPT = ChatException.Code.STATE_CORRUPT;

  private GroupStateCodec() {}

  /** The state of {@code group} (call under {@link Mls#LOCK}). */
  public static byte[] encode(Group group) throws Exception {
    return encode(group, null);
  }

  /** The tree's encoding of this epoch's group (cache it: it changes only with commits). */
  public static byte[] encodeTree(Group group) throws Exception {
    return MLSOutputStream.encode(group.getTree());
  }

  /**
   * As {@link #encode(Group)}, reusing {@code treeBytes} = {@link #encodeTree} of the same epoch:
   * the tree is most of the state (22 KB at 100 members) and does not change between commits.
   */
  @SuppressWarnings("unchecked")
  public static byte[] encode(Group group, byte[] treeBytes) throws Exception {
    MlsCipherSuite suite = group.getSuite();
    HPKE hpke = suite.getHPKE();
    Bin.Writer w = new Bin.Writer();
    w.u32(MAGIC).u16(suite.getSuiteID());
    w.bytes(group.getGroupID()).u64(group.getEpoch()).u32(group.getIndex().value());
    w.bytes((byte[]) Mls.get(group, Group.class, "identitySk"));

    TranscriptHash th = (TranscriptHash) Mls.get(group, Group.class, "transcriptHash");
    w.bytes(th.getConfirmed()).optBytes(th.getInterim());

    List<Extension> exts = group.getExtensions();
    w.u32(exts.size());
    for (Extension e : exts) {
      w.bytes(MLSOutputStream.encode(e));
    }
    w.bytes(treeBytes != null ? treeBytes : encodeTree(group));

    KeyScheduleEpoch ks = group.getKeySchedule();
    for (Secret s :
        new Secret[] {
          ks.initSecret, ks.senderDataSecret, ks.exporterSecret, ks.confirmationKey,
          ks.membershipKey, ks.resumptionPSK, ks.epochAuthenticator, ks.externalSecret
        }) {
      w.bytes(s.value());
    }
    w.optBytes(ks.encryptionSecret == null ? null : ks.encryptionSecret.value());

    TreeKEMPrivateKey priv = (TreeKEMPrivateKey) Mls.get(group, Group.class, "treePriv");
    w.u32(((LeafIndex) Mls.get(priv, TreeKEMPrivateKey.class, "index")).value());
    Secret update = (Secret) Mls.get(priv, TreeKEMPrivateKey.class, "updateSecret");
    w.optBytes(update == null ? null : update.value());
    Map<NodeIndex, Secret> pathSecrets =
        (Map<NodeIndex, Secret>) Mls.get(priv, TreeKEMPrivateKey.class, "pathSecrets");
    writeSecretMap(w, pathSecrets);
    Map<NodeIndex, AsymmetricCipherKeyPair> keyCache =
        (Map<NodeIndex, AsymmetricCipherKeyPair>)
            Mls.get(priv, TreeKEMPrivateKey.class, "privateKeyCache");
    w.u32(keyCache.size());
    for (Map.Entry<NodeIndex, AsymmetricCipherKeyPair> e : keyCache.entrySet()) {
      w.u64(e.getKey().value());
      w.bytes(hpke.serializePrivateKey(e.getValue().getPrivate()));
      w.bytes(hpke.serializePublicKey(e.getValue().getPublic()));
    }

    GroupKeySet keys = Mls.keys(group);
    Secret commitment = (Secret) Mls.get(keys, GroupKeySet.class, "encryptionSecretCommit");
    w.bytes(commitment.value());
    TreeSize treeSize =
        (TreeSize) Mls.get(keys.secretTree, GroupKeySet.SecretTree.class, "treeSize");
    w.u64(treeSize.leafCount());
    writeSecretMap(w, keys.secretTree.secrets);
    for (String name : new String[] {"handshakeRatchets", "applicationRatchets"}) {
      Map<LeafIndex, Object> ratchets =
          (Map<LeafIndex, Object>) Mls.get(keys, GroupKeySet.class, name);
      w.u32(ratchets.size());
      for (Map.Entry<LeafIndex, Object> e : ratchets.entrySet()) {
        Object r = e.getValue();
        Secret next = (Secret) Mls.get(r, GroupKeySet.HashRatchet.class, "nextSecret");
        int nextGen = (Integer) Mls.get(r, GroupKeySet.HashRatchet.class, "nextGeneration");
        Map<Integer, KeyGeneration> cache =
            (Map<Integer, KeyGeneration>) Mls.get(r, GroupKeySet.HashRatchet.class, "cache");
        w.u32(e.getKey().value()).optBytes(next == null ? null : next.value()).u32(nextGen);
        w.u32(cache.size());
        for (Map.Entry<Integer, KeyGeneration> c : cache.entrySet()) {
          w.u32(c.getKey()).bytes(c.getValue().key).bytes(c.getValue().nonce);
        }
      }
    }

    List<CachedProposal> pending =
        (List<CachedProposal>) Mls.get(group, Group.class, "pendingProposals");
    w.u32(pending.size());
    for (CachedProposal p : pending) {
      w.bytes((byte[]) Mls.get(p, CachedProposal.class, "proposalRef"));
      w.bytes(MLSOutputStream.encode((Proposal) Mls.get(p, CachedProposal.class, "proposal")));
      w.u32(((LeafIndex) Mls.get(p, CachedProposal.class, "sender")).value());
    }
    return w.toByteArray();
  }

  private static void writeSecretMap(Bin.Writer w, Map<NodeIndex, Secret> map) {
    List<Map.Entry<NodeIndex, Secret>> live = new ArrayList<>();
    for (Map.Entry<NodeIndex, Secret> e : map.entrySet()) {
      if (e.getValue() != null && e.getValue().value() != null) {
        live.add(e);
      }
    }
    w.u32(live.size());
    for (Map.Entry<NodeIndex, Secret> e : live) {
      w.u64(e.getKey().value()).bytes(e.getValue().value());
    }
  }

  /**
   * A copy of {@code group} holding only values, no links between secrets (see class comment),
   * sharing its public tree object instead of re-encoding and re-hashing it. For a state that is
   * about to be discarded (call under {@link Mls#LOCK}).
   */
  public static Group detach(Group group) throws Exception {
    return decodeUnchecked(encode(group, new byte[0]), group.getTree());
  }

  /** Rebuilds a group saved by {@link #encode} (call under {@link Mls#LOCK}). */
  public static Group decode(byte[] blob) throws ChatException {
    try {
      return decodeUnchecked(blob, null);
    } catch (ChatException e) {
      throw e;
    } catch (Exception | LinkageError e) {
      // bcmls parse errors, invalid keys: never echo the bytes.
      throw new ChatException(CORRUPT, CORRUPT.userMessage(), null);
    }
  }

  private static Group decodeUnchecked(byte[] blob, TreeKEMPublicKey sharedTree) throws Exception {
    Bin.Reader r = new Bin.Reader(blob, CORRUPT);
    if (r.u32() != MAGIC) {
      throw new ChatException(CORRUPT, CORRUPT.userMessage() + " (not a group state)");
    }
    int suiteId = r.u16();
    if (suiteId != Mls.SUITE_ID) {
      throw new ChatException(CORRUPT, CORRUPT.userMessage() + " (unsupported ciphersuite)");
    }
    MlsCipherSuite suite = Mls.suite();
    HPKE hpke = suite.getHPKE();
    byte[] groupId = r.bytes(MAX_ID);
    long epoch = r.u64();
    int index = (int) Math.min(r.u32(), Integer.MAX_VALUE);
    byte[] identitySk = r.bytes(MAX_SECRET);
    byte[] confirmed = r.bytes(MAX_SECRET);
    byte[] interim = r.optBytes(MAX_SECRET);

    int nExt = r.count(1024);
    ArrayList<Extension> exts = new ArrayList<>();
    for (int i = 0; i < nExt; i++) {
      exts.add((Extension) MLSInputStream.decode(r.bytes(MAX_TREE), Extension.class));
    }
    byte[] treeBytes = r.bytes(MAX_TREE);
    TreeKEMPublicKey tree;
    if (sharedTree != null) {
      tree = sharedTree;
    } else {
      tree = (TreeKEMPublicKey) MLSInputStream.decode(treeBytes, TreeKEMPublicKey.class);
      tree.setSuite(suite);
      tree.setHashAll();
    }

    Secret[] ks = new Secret[8];
    for (int i = 0; i < ks.length; i++) {
      ks[i] = new Secret(r.bytes(MAX_SECRET));
    }
    byte[] encryptionSecret = r.optBytes(MAX_SECRET);

    int privIndex = (int) Math.min(r.u32(), Integer.MAX_VALUE);
    TreeKEMPrivateKey priv = new TreeKEMPrivateKey(suite, new LeafIndex(privIndex));
    byte[] update = r.optBytes(MAX_SECRET);
    Mls.set(
        priv, TreeKEMPrivateKey.class, "updateSecret", update == null ? null : new Secret(update));
    for (Map.Entry<NodeIndex, Secret> e : readSecretMap(r).entrySet()) {
      priv.insertPathSecret(e.getKey(), e.getValue());
    }
    int nKeys = r.count(MAX_ITEMS);
    for (int i = 0; i < nKeys; i++) {
      NodeIndex n = new NodeIndex(r.u64());
      byte[] sk = r.bytes(MAX_SECRET);
      byte[] pk = r.bytes(MAX_SECRET);
      priv.insertPrivateKey(n, hpke.deserializePrivateKey(sk, pk));
    }

    byte[] commitment = r.bytes(MAX_SECRET);
    long leafCount = r.u64();
    if (leafCount < 1 || leafCount > MAX_ITEMS) {
      throw new ChatException(CORRUPT, CORRUPT.userMessage() + " (tree size)");
    }
    GroupKeySet keys =
        new GroupKeySet(
            suite,
            TreeSize.forLeaves(leafCount),
            new Secret(new byte[suite.getKDF().getHashLength()]));
    Mls.set(keys, GroupKeySet.class, "encryptionSecretCommit", new Secret(commitment));
    keys.secretTree.secrets = readSecretMap(r);
    Constructor<GroupKeySet.HashRatchet> ratchetCtor =
        Mls.constructor(GroupKeySet.HashRatchet.class, GroupKeySet.class, Secret.class);
    for (String name : new String[] {"handshakeRatchets", "applicationRatchets"}) {
      Map<LeafIndex, Object> ratchets = new HashMap<>();
      int n = r.count(MAX_ITEMS);
      for (int i = 0; i < n; i++) {
        LeafIndex leaf = new LeafIndex((int) Math.min(r.u32(), Integer.MAX_VALUE));
        byte[] next = r.optBytes(MAX_SECRET);
        long nextGen = r.u32();
        GroupKeySet.HashRatchet ratchet =
            ratchetCtor.newInstance(
                keys, next == null ? new Secret(new byte[0]) : new Secret(next));
        Mls.set(ratchet, GroupKeySet.HashRatchet.class, "nextGeneration", (int) nextGen);
        Map<Integer, KeyGeneration> cache = new HashMap<>();
        int nc = r.count(MAX_ITEMS);
        for (int c = 0; c < nc; c++) {
          int gen = (int) Math.min(r.u32(), Integer.MAX_VALUE);
          byte[] key = r.bytes(MAX_SECRET);
          byte[] nonce = r.bytes(MAX_SECRET);
          cache.put(gen, new KeyGeneration(gen, new Secret(key), new Secret(nonce)));
        }
        Mls.set(ratchet, GroupKeySet.HashRatchet.class, "cache", cache);
        ratchets.put(leaf, ratchet);
      }
      Mls.set(keys, GroupKeySet.class, name, ratchets);
    }

    ArrayList<CachedProposal> pending = new ArrayList<>();
    int nPending = r.count(MAX_ITEMS);
    for (int i = 0; i < nPending; i++) {
      byte[] ref = r.bytes(MAX_SECRET);
      Proposal p = (Proposal) MLSInputStream.decode(r.bytes(MAX_PROPOSAL), Proposal.class);
      LeafIndex sender = new LeafIndex((int) Math.min(r.u32(), Integer.MAX_VALUE));
      pending.add(new CachedProposal(ref, p, sender));
    }
    r.end();

    Secret external = ks[7];
    KeyScheduleEpoch schedule =
        new KeyScheduleEpoch(
            suite,
            ks[0],
            ks[1],
            ks[2],
            ks[3],
            ks[4],
            ks[5],
            ks[6],
            new Secret(encryptionSecret),
            external,
            hpke.deriveKeyPair(external.value()),
            keys,
            new Secret(new byte[0]));

    Group g = new Group();
    Mls.set(g, Group.class, "externalPSKs", new HashMap<Secret, byte[]>());
    Mls.set(g, Group.class, "resumptionPSKs", new HashMap<Object, byte[]>());
    Mls.set(g, Group.class, "epoch", epoch);
    Mls.set(g, Group.class, "groupID", groupId);
    Mls.set(g, Group.class, "transcriptHash", new TranscriptHash(suite, confirmed, interim));
    Mls.set(g, Group.class, "extensions", exts);
    Mls.set(g, Group.class, "keySchedule", schedule);
    Mls.set(g, Group.class, "tree", tree);
    Mls.set(g, Group.class, "treePriv", priv);
    Mls.set(g, Group.class, "keys", keys);
    Mls.set(g, Group.class, "suite", suite);
    Mls.set(g, Group.class, "index", new LeafIndex(index));
    Mls.set(g, Group.class, "identitySk", identitySk);
    Mls.set(g, Group.class, "pendingProposals", pending);
    Mls.set(g, Group.class, "cachedUpdate", null);
    if (!tree.hasLeaf(new LeafIndex(index))) {
      throw new ChatException(CORRUPT, CORRUPT.userMessage() + " (own leaf missing)");
    }
    return g;
  }

  private static Map<NodeIndex, Secret> readSecretMap(Bin.Reader r) throws ChatException {
    Map<NodeIndex, Secret> m = new HashMap<>();
    int n = r.count(MAX_ITEMS);
    for (int i = 0; i < n; i++) {
      long node = r.u64();
      m.put(new NodeIndex(node), new Secret(r.bytes(MAX_SECRET)));
    }
    return m;
  }
}
