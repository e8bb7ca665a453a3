package org.sceau.chat.internal;

import java.lang.reflect.Method;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.mls.TreeKEM.LeafIndex;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.codec.AuthenticatedContent;
import org.bouncycastle.mls.codec.Capabilities;
import org.bouncycastle.mls.codec.ContentType;
import org.bouncycastle.mls.codec.Credential;
import org.bouncycastle.mls.codec.Extension;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.Proposal;
import org.bouncycastle.mls.codec.ProposalOrRef;
import org.bouncycastle.mls.codec.ProposalType;
import org.bouncycastle.mls.codec.WireFormat;
import org.bouncycastle.mls.crypto.MlsCipherSuite;
import org.bouncycastle.mls.crypto.Secret;
import org.bouncycastle.mls.protocol.CachedProposal;
import org.bouncycastle.mls.protocol.Group;
import org.sceau.chat.ChatException;
import org.sceau.chat.ChatException.Code;
import org.sceau.chat.wire.DeviceId;

/**
 * One device's view of one MLS group, on top of bcmls, closing the gaps bcmls leaves:
 *
 * <ul>
 *   <li>epochs are compared before decrypting, so a message from another epoch is reported as such
 *       (bcmls only fails with a GCM MAC error) and the caller can buffer future-epoch messages;
 *   <li>up to {@link #maxPastEpochs} previous epochs are kept, for late application messages only
 *       (a member that lags behind may still send in an old epoch), each until its deadline, then
 *       dropped (forward secrecy);
 *   <li>own commits are staged ({@link PendingCommit}) and applied only once the relay has put them
 *       in the group's total order; a refused commit is simply discarded;
 *   <li>state is saved with {@link GroupStateCodec}.
 * </ul>
 *
 * Not thread-safe; every method takes {@link Mls#LOCK}.
 */
public final class GroupSession {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Method VERIFY_AUTH;
  private static final Method SIGN_PROPOSAL;
  private static final Method PROTECT;

  static {
    try {
      VERIFY_AUTH = Group.class.getDeclaredMethod("verifyAuth", AuthenticatedContent.class);
      SIGN_PROPOSAL =
          Group.class.getDeclaredMethod(
              "sign",
              org.bouncycastle.mls.codec.Sender.class,
              Proposal.class,
              byte[].class,
              boolean.class);
      PROTECT = Group.class.getDeclaredMethod("protect", AuthenticatedContent.class, int.class);
      for (Method m : new Method[] {VERIFY_AUTH, SIGN_PROPOSAL, PROTECT}) {
        m.setAccessible(true);
      }
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Group group;
  private byte[] treeBytes; // encoding of group's tree, valid for treeEpoch
  private long treeEpoch = -1;

  /** Past epochs kept for late application messages, newest first, each with its deadline. */
  private final java.util.ArrayDeque<Past> past = new java.util.ArrayDeque<>();

  private int maxPastEpochs = 3;

  private record Past(Group group, long deadlineMillis) {}

  private GroupSession(Group group) {
    this.group = group;
  }

  // ---- creation ----

  /** A new group with this device as its only member (epoch 0). */
  public static GroupSession create(byte[] groupId, byte[] signatureSeed) throws ChatException {
    return call(
        () -> {
          MlsCipherSuite suite = Mls.suite();
          AsymmetricCipherKeyPair sig = suite.deserializeSignaturePrivateKey(signatureSeed);
          AsymmetricCipherKeyPair leaf = suite.getHPKE().generatePrivateKey();
          LeafNode ln = leafNode(suite, leaf, sig);
          Group g =
              new Group(
                  groupId,
                  suite,
                  leaf,
                  suite.serializeSignaturePrivateKey(sig.getPrivate()),
                  ln,
                  new ArrayList<Extension>());
          return new GroupSession(clean(g));
        });
  }

  static LeafNode leafNode(
      MlsCipherSuite suite, AsymmetricCipherKeyPair leaf, AsymmetricCipherKeyPair sig)
      throws Exception {
    byte[] sigPub = suite.serializeSignaturePublicKey(sig.getPublic());
    return new LeafNode(
        suite,
        suite.getHPKE().serializePublicKey(leaf.getPublic()),
        sigPub,
        // The credential names the signature key itself: a leaf's DeviceId is its signature key,
        // so a credential cannot claim another device.
        Credential.forBasic(sigPub),
        new Capabilities(),
        new org.bouncycastle.mls.TreeKEM.LifeTime(),
        new ArrayList<Extension>(),
        suite.serializeSignaturePrivateKey(sig.getPrivate()));
  }

  /** Joins from a Welcome addressed to one of {@code candidates}; empty if none matches. */
  public static Optional<Joined> join(
      MLSMessage welcome, byte[] signatureSeed, List<KeyPackageSecrets> candidates)
      throws ChatException {
    return call(
        () -> {
          MlsCipherSuite suite = Mls.suite();
          for (KeyPackageSecrets c : candidates) {
            KeyPackage kp = c.keyPackage();
            if (welcome.welcome.find(kp) < 0) {
              continue;
            }
            Group g =
                new Group(
                    c.initPrivate(),
                    c.leafKeyPair(),
                    suite.serializeSignaturePrivateKey(
                        suite.deserializeSignaturePrivateKey(signatureSeed).getPrivate()),
                    kp,
                    welcome.welcome,
                    null,
                    new HashMap<Secret, byte[]>(),
                    new HashMap<Group.EpochRef, byte[]>());
            return Optional.of(new Joined(new GroupSession(clean(g)), c));
          }
          return Optional.<Joined>empty();
        });
  }

  /** A session joined through {@code used}. */
  public record Joined(GroupSession session, KeyPackageSecrets used) {}

  /** Restores a session saved with {@link #save}. */
  public static GroupSession restore(byte[] state) throws ChatException {
    try {
      return new GroupSession(Mls.locked(() -> GroupStateCodec.decode(state)));
    } catch (ChatException e) {
      throw e;
    } catch (Exception e) {
      throw new ChatException(Code.STATE_CORRUPT);
    }
  }

  /** The current epoch's state (the previous epoch is deliberately not saved). */
  public byte[] save() throws ChatException {
    return call(
        () -> {
          if (treeBytes == null || treeEpoch != group.getEpoch()) {
            treeBytes = GroupStateCodec.encodeTree(group);
            treeEpoch = group.getEpoch();
          }
          return GroupStateCodec.encode(group, treeBytes);
        });
  }

  // ---- queries ----

  public long epoch() {
    return group.getEpoch();
  }

  public byte[] groupId() {
    return group.getGroupID().clone();
  }

  public int ownLeaf() {
    return group.getIndex().value();
  }

  /** Members by leaf order (this device included). */
  public List<DeviceId> members() throws ChatException {
    return call(
        () -> {
          List<DeviceId> out = new ArrayList<>();
          long n = group.getTree().getSize().leafCount();
          for (int i = 0; i < n; i++) {
            LeafIndex li = new LeafIndex(i);
            if (group.getTree().hasLeaf(li)) {
              out.add(DeviceId.of(group.getTree().getLeafNode(li).getSignatureKey()));
            }
          }
          return out;
        });
  }

  /** The leaf index of {@code device}, or -1. */
  public int leafOf(DeviceId device) throws ChatException {
    return call(
        () -> {
          long n = group.getTree().getSize().leafCount();
          byte[] key = device.publicKey();
          for (int i = 0; i < n; i++) {
            LeafIndex li = new LeafIndex(i);
            if (group.getTree().hasLeaf(li)
                && java.util.Arrays.equals(
                    group.getTree().getLeafNode(li).getSignatureKey(), key)) {
              return i;
            }
          }
          return -1;
        });
  }

  /** Equal on every member at the same epoch; differs if the group has forked. */
  public byte[] epochAuthenticator() {
    return group.getEpochAuthenticator().clone();
  }

  /** Whether this device has a Remove proposal for itself pending (it asked to leave). */
  public boolean hasPendingProposals() {
    return !((List<?>) Mls.get(group, Group.class, "pendingProposals")).isEmpty();
  }

  // ---- application messages ----

  /** Encrypts an application message for the current epoch (a PrivateMessage). */
  public byte[] protect(byte[] plaintext) throws ChatException {
    return call(
        () -> {
          byte[] ct = MLSOutputStream.encode(group.protect(new byte[0], plaintext, 0));
          Mls.eraseOwnSendKeys(group);
          return ct;
        });
  }

  /** A decrypted application message and the member device that signed it. */
  public record Opened(DeviceId sender, byte[] plaintext) {}

  /**
   * Decrypts an application message. Throws {@code WRONG_EPOCH} for an epoch that is neither the
   * current one nor a still-kept previous one; callers check {@link #isFuture} first.
   */
  public Opened unprotect(MLSMessage msg, long nowMillis) throws ChatException {
    if (msg.wireFormat != WireFormat.mls_private_message) {
      throw new ChatException(Code.MALFORMED, "An application message must be encrypted.");
    }
    checkGroup(msg);
    long e = msg.getEpoch();
    Group target;
    if (e == group.getEpoch()) {
      target = group;
    } else if ((target = pastEpoch(e, nowMillis)) != null) {
      // a late message of a still-kept previous epoch
    } else {
      throw new ChatException(
          Code.WRONG_EPOCH,
          "The message belongs to epoch "
              + e
              + " but this device is at epoch "
              + group.getEpoch()
              + "; it can no longer be read.");
    }
    if (msg.getContentType() != ContentType.APPLICATION) {
      throw new ChatException(Code.MALFORMED, "Expected an application message.");
    }
    AuthenticatedContent auth = decrypt(target, msg);
    return call(
        () -> {
          if (auth.getWireFormat() != WireFormat.mls_private_message
              || auth.getContent().getContentType() != ContentType.APPLICATION) {
            throw new ChatException(Code.MALFORMED);
          }
          LeafIndex from = auth.getContent().getSender().getSender();
          return new Opened(
              DeviceId.of(target.getTree().getLeafNode(from).getSignatureKey()),
              auth.getContent().getContentBytes());
        });
  }

  /**
   * Decrypts (consuming the key generation, hence replay protection) and verifies the signature.
   */
  private static AuthenticatedContent decrypt(Group target, MLSMessage msg) throws ChatException {
    AuthenticatedContent auth =
        call(
            () ->
                msg.privateMessage.unprotect(
                    target.getSuite(),
                    Mls.keys(target),
                    target.getKeySchedule().senderDataSecret.value()));
    if (auth == null
        || auth.getContent().getSender().getSenderType()
            != org.bouncycastle.mls.codec.SenderType.MEMBER) {
      throw new ChatException(Code.TAMPERED);
    }
    boolean valid = call(() -> (Boolean) VERIFY_AUTH.invoke(target, auth));
    if (!valid) {
      throw new ChatException(Code.TAMPERED);
    }
    return auth;
  }

  /** Whether {@code msg} is for a later epoch than this device has (buffer it). */
  public boolean isFuture(MLSMessage msg) {
    return msg.getEpoch() > group.getEpoch();
  }

  private void checkGroup(MLSMessage msg) throws ChatException {
    byte[] gid =
        msg.privateMessage == null
            ? null
            : (byte[])
                Mls.get(
                    msg.privateMessage,
                    org.bouncycastle.mls.codec.PrivateMessage.class,
                    "group_id");
    if (gid == null || !java.util.Arrays.equals(gid, group.getGroupID())) {
      throw new ChatException(Code.MALFORMED, "The message belongs to another conversation.");
    }
  }

  /** Drops the previous epoch once its window for late messages has passed. */
  public void expirePrior(long nowMillis) {
    for (var it = past.iterator(); it.hasNext(); ) {
      Past p = it.next();
      if (nowMillis > p.deadlineMillis()) {
        it.remove();
        wipe(p.group());
      }
    }
  }

  /** How many previous epochs to keep (each still bounded by the late-message window). */
  public void maxPastEpochs(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n >= 0");
    }
    maxPastEpochs = n;
    trimPast();
  }

  private Group pastEpoch(long epoch, long nowMillis) {
    for (Past p : past) {
      if (p.group().getEpoch() == epoch && nowMillis <= p.deadlineMillis()) {
        return p.group();
      }
    }
    return null;
  }

  private void trimPast() {
    while (past.size() > maxPastEpochs) {
      wipe(past.removeLast().group());
    }
  }

  private static void wipe(Group g) {
    try {
      Mls.locked(
          () -> {
            Mls.wipeEpochSecrets(g);
            return null;
          });
    } catch (Exception e) {
      // best effort: the object is unreachable from here on anyway
    }
  }

  // ---- handshake ----

  /** A commit built locally, applied only after the relay accepted it ({@link #confirm}). */
  public static final class PendingCommit {
    final Group next;
    final long epoch;
    public final byte[] commit;
    public final byte[] welcome;

    PendingCommit(Group next, long epoch, byte[] commit, byte[] welcome) {
      this.next = next;
      this.epoch = epoch;
      this.commit = commit;
      this.welcome = welcome;
    }

    /** The epoch the commit is for (the group moves to epoch + 1). */
    public long epoch() {
      return epoch;
    }
  }

  /** Stages a commit adding {@code keyPackages} and removing {@code removeLeaves}. */
  public PendingCommit stageCommit(List<KeyPackage> keyPackages, List<Integer> removeLeaves)
      throws ChatException {
    return call(
        () -> {
          List<Proposal> props = new ArrayList<>();
          for (int leaf : removeLeaves) {
            props.add(Proposal.remove(new LeafIndex(leaf)));
          }
          for (KeyPackage kp : keyPackages) {
            props.add(Proposal.add(kp));
          }
          byte[] seed = new byte[32];
          RANDOM.nextBytes(seed);
          Group.GroupWithMessage gwm =
              group.commit(
                  new Secret(seed),
                  new Group.CommitOptions(props, true, true, null),
                  new Group.MessageOptions(true, new byte[0], 0),
                  new Group.CommitParameters(Group.NORMAL_COMMIT_PARAMS));
          byte[] commit = MLSOutputStream.encode(gwm.message);
          byte[] welcome = null;
          if (gwm.message.welcome != null && !keyPackages.isEmpty()) {
            gwm.message.wireFormat = WireFormat.mls_welcome; // bcmls carries both in one object
            welcome = MLSOutputStream.encode(gwm.message);
          }
          Mls.eraseOwnSendKeys(group);
          return new PendingCommit(gwm.group, group.getEpoch(), commit, welcome);
        });
  }

  /** Applies an own commit the relay accepted. */
  public void confirm(PendingCommit pc, long nowMillis, long lateWindowMillis)
      throws ChatException {
    if (pc.epoch != group.getEpoch()) {
      throw new ChatException(Code.COMMIT_CONFLICT);
    }
    Group next = call(() -> clean(pc.next));
    wipe(pc.next); // the raw bcmls successor: its copy above is the one kept
    advance(next, nowMillis, lateWindowMillis);
  }

  /**
   * A Remove proposal for this device (leaving), as a PrivateMessage. Unlike {@code Group.remove},
   * this also caches the proposal locally: bcmls does not, so the commit that carries it by
   * reference could not be resolved here and the removal would go unnoticed.
   */
  public byte[] leaveProposal() throws ChatException {
    return call(
        () -> {
          Object auth =
              SIGN_PROPOSAL.invoke(
                  group,
                  org.bouncycastle.mls.codec.Sender.forMember(group.getIndex()),
                  Proposal.remove(group.getIndex()),
                  new byte[0],
                  true);
          // bcmls's cacheProposal refuses self-removes (validateRemove), so cache it directly.
          byte[] ref =
              group
                  .getSuite()
                  .refHash(
                      MLSOutputStream.encode((AuthenticatedContent) auth),
                      "MLS 1.0 Proposal Reference");
          @SuppressWarnings("unchecked")
          List<CachedProposal> pending =
              (List<CachedProposal>) Mls.get(group, Group.class, "pendingProposals");
          pending.add(new CachedProposal(ref, Proposal.remove(group.getIndex()), group.getIndex()));
          byte[] out = MLSOutputStream.encode((MLSMessage) PROTECT.invoke(group, auth, 0));
          Mls.eraseOwnSendKeys(group);
          return out;
        });
  }

  /** What handling a handshake message did. */
  public enum HandshakeOutcome {
    /** A commit moved the group to the next epoch. */
    ADVANCED,
    /** A proposal was cached for the next commit. */
    PROPOSAL_CACHED,
    /** The commit removed this device: the session is finished. */
    REMOVED
  }

  /** What a handshake message did, who sent it, and which leaf a Remove proposal names. */
  public record HandshakeResult(HandshakeOutcome outcome, DeviceId sender, int proposedRemoval) {}

  /**
   * Handles a commit or proposal of the current epoch from another member. The caller has checked
   * the epoch ({@link #isFuture}); an older epoch is {@code WRONG_EPOCH}.
   */
  public HandshakeResult handleHandshake(MLSMessage msg, long nowMillis, long lateWindowMillis)
      throws ChatException {
    if (msg.wireFormat != WireFormat.mls_private_message) {
      throw new ChatException(Code.MALFORMED, "Group changes must be encrypted.");
    }
    checkGroup(msg);
    if (msg.getEpoch() != group.getEpoch()) {
      throw new ChatException(
          Code.WRONG_EPOCH,
          "A group change for epoch "
              + msg.getEpoch()
              + " arrived at epoch "
              + group.getEpoch()
              + "; it was ignored.");
    }
    ContentType type = msg.getContentType();
    if (type != ContentType.COMMIT && type != ContentType.PROPOSAL) {
      throw new ChatException(Code.MALFORMED, "Expected a group change.");
    }
    AuthenticatedContent auth = decrypt(group, msg);
    DeviceId sender =
        call(
            () ->
                DeviceId.of(
                    group
                        .getTree()
                        .getLeafNode(auth.getContent().getSender().getSender())
                        .getSignatureKey()));
    if (type == ContentType.COMMIT && removesMe(auth)) {
      return new HandshakeResult(HandshakeOutcome.REMOVED, sender, -1);
    }
    int removal = -1;
    if (type == ContentType.PROPOSAL) {
      Proposal p = auth.getContent().getProposal();
      if (p == null || p.getProposalType() != ProposalType.REMOVE) {
        // Sceau members only ever propose their own removal (leaving).
        throw new ChatException(Code.MALFORMED, "Unsupported group change proposal.");
      }
      removal = p.getRemove().removed.value();
    }
    Group next = call(() -> group.handle(auth, null, null));
    if (next == null) {
      return new HandshakeResult(HandshakeOutcome.PROPOSAL_CACHED, sender, removal);
    }
    Group kept = call(() -> clean(next));
    wipe(next);
    advance(kept, nowMillis, lateWindowMillis);
    return new HandshakeResult(HandshakeOutcome.ADVANCED, sender, -1);
  }

  @SuppressWarnings("unchecked")
  private boolean removesMe(AuthenticatedContent auth) {
    int me = group.getIndex().value();
    List<CachedProposal> pending =
        (List<CachedProposal>) Mls.get(group, Group.class, "pendingProposals");
    for (ProposalOrRef por : auth.getContent().getCommit().getProposals()) {
      Proposal p = por.getProposal();
      if (p == null) {
        byte[] ref = por.getReference();
        for (CachedProposal cp : pending) {
          if (java.util.Arrays.equals(
              (byte[]) Mls.get(cp, CachedProposal.class, "proposalRef"), ref)) {
            p = (Proposal) Mls.get(cp, CachedProposal.class, "proposal");
          }
        }
      }
      if (p != null
          && p.getProposalType() == ProposalType.REMOVE
          && p.getRemove().removed.value() == me) {
        return true;
      }
    }
    return false;
  }

  private void advance(Group next, long nowMillis, long lateWindowMillis) {
    if (lateWindowMillis > 0 && maxPastEpochs > 0) {
      past.addFirst(new Past(group, nowMillis + lateWindowMillis));
    } else {
      wipe(group);
    }
    group = next;
    trimPast();
  }

  /**
   * Round-trips a fresh state through the codec: drops bcmls's links from this epoch's secrets back
   * to the previous epoch's, and the per-epoch resumption PSKs, so only the current epoch stays in
   * memory.
   */
  private static Group clean(Group g) throws Exception {
    Mls.dropResumptionPsks(g);
    return GroupStateCodec.detach(g);
  }

  // ---- helpers ----

  /** Parses MLS bytes after {@link MlsFraming} has bounded every length in them. */
  public static MLSMessage parse(byte[] bytes) throws ChatException {
    MlsFraming.check(bytes);
    try {
      return Mls.locked(() -> (MLSMessage) MLSInputStream.decode(bytes, MLSMessage.class));
    } catch (Exception | LinkageError e) {
      throw new ChatException(Code.MALFORMED);
    }
  }

  private static <T> T call(Mls.MlsCall<T> body) throws ChatException {
    try {
      return Mls.locked(body);
    } catch (ChatException e) {
      throw e;
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw map(e.getCause());
    } catch (Exception e) {
      throw map(e);
    }
  }

  /** Maps bcmls's untyped failures to stable codes, without echoing their text. */
  static ChatException map(Throwable e) {
    if (e instanceof ChatException ce) {
      return ce;
    }
    if (e instanceof InvalidCipherTextException) {
      return new ChatException(Code.TAMPERED);
    }
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (m.contains("expired key")) {
      return new ChatException(Code.REPLAYED);
    }
    if (m.contains("signature")
        || m.contains("Membership tag")
        || m.contains("decryption failure")) {
      return new ChatException(Code.TAMPERED);
    }
    if (m.contains("epoch mismatch")) {
      return new ChatException(Code.WRONG_EPOCH);
    }
    if (e instanceof java.io.IOException || e instanceof IllegalArgumentException) {
      return new ChatException(Code.MALFORMED);
    }
    // The cause is kept for the helper's log: bcmls messages name states, never secret values.
    return new ChatException(Code.INTERNAL, Code.INTERNAL.userMessage(), e);
  }
}
