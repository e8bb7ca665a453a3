import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.security.SecureRandom;
import java.util.HashMap;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.TreeKEM.LifeTime;
import org.bouncycastle.mls.codec.Capabilities;
import org.bouncycastle.mls.codec.Credential;
import org.bouncycastle.mls.codec.Extension;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.Proposal;
import org.bouncycastle.mls.codec.WireFormat;
import org.bouncycastle.mls.crypto.MlsCipherSuite;
import org.bouncycastle.mls.crypto.Secret;
import org.bouncycastle.mls.protocol.Group;
import org.sceau.chat.internal.GroupSession;
import org.sceau.chat.internal.KeyPackageSecrets;
import org.sceau.chat.wire.DeviceKey;

/**
 * MLS cost per message and per commit through Sceau's client layer (GroupSession: epoch checks,
 * own-key erasure, and the state save the client does after every change), at 10 and 100 members,
 * single thread, after warm-up. Anchors: the raw bcmls 1.84 probe on this box
 * (../shared/chat/probe-results/mls-bench.txt), and raw bcmls measured again in this same run
 * ("raw now": same load, same JVM), which is the fairer baseline on a shared machine.
 */
public final class MlsCostBench {
  // Anchors (ms) from mls-bench.txt, sparse tree (creator added everyone in one commit).
  static final double[][] ANCHOR = {
    // size, protect, unprotect, commit, handle
    {10, 0.076, 0.100, 2.100, 0.761},
    {100, 0.083, 0.110, 16.199, 1.747},
  };

  public static void main(String[] args) throws Exception {
    int msgs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int commits = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    run(10, 300, 10, false); // warm-up
    raw(10, 300, 10, false);
    for (double[] a : ANCHOR) {
      double[] now = raw((int) a[0], msgs, commits, true);
      run((int) a[0], msgs, commits, true, now);
    }
  }

  static void run(int size, int msgs, int commits, boolean print) throws Exception {
    run(size, msgs, commits, print, null);
  }

  /** Raw bcmls, as the probe did it: returns p50 {protect, unprotect, commit, handle} in ms. */
  static double[] raw(int size, int msgs, int commits, boolean print) throws Exception {
    MlsCipherSuite suite = MlsCipherSuite.getSuite(MlsCipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
    SecureRandom rnd = new SecureRandom();
    AsymmetricCipherKeyPair sigA = suite.generateSignatureKeyPair();
    AsymmetricCipherKeyPair leafA = suite.getHPKE().generatePrivateKey();
    byte[] skA = suite.serializeSignaturePrivateKey(sigA.getPrivate());
    Group a = new Group("raw".getBytes(StandardCharsets.UTF_8), suite, leafA, skA,
        leaf(suite, leafA, sigA), new ArrayList<Extension>());
    List<Proposal> adds = new ArrayList<>();
    AsymmetricCipherKeyPair initB = null, leafB = null, sigB = null;
    KeyPackage kpB = null;
    for (int i = 1; i < size; i++) {
      AsymmetricCipherKeyPair init = suite.getHPKE().generatePrivateKey();
      AsymmetricCipherKeyPair leaf = suite.getHPKE().generatePrivateKey();
      AsymmetricCipherKeyPair sig = suite.generateSignatureKeyPair();
      KeyPackage kp = new KeyPackage(suite, suite.getHPKE().serializePublicKey(init.getPublic()),
          leaf(suite, leaf, sig), new ArrayList<Extension>(), suite.serializeSignaturePrivateKey(sig.getPrivate()));
      if (i == 1) {
        initB = init; leafB = leaf; sigB = sig; kpB = kp;
      }
      adds.add(Proposal.add(kp));
    }
    Group.GroupWithMessage gwm = a.commit(new Secret(random(rnd)), new Group.CommitOptions(adds, true, true, null),
        new Group.MessageOptions(true, new byte[0], 0), new Group.CommitParameters(Group.NORMAL_COMMIT_PARAMS));
    gwm.message.wireFormat = WireFormat.mls_welcome;
    byte[] welcome = MLSOutputStream.encode(gwm.message);
    a = gwm.group;
    Group b = new Group(suite.getHPKE().serializePrivateKey(initB.getPrivate()), leafB,
        suite.serializeSignaturePrivateKey(sigB.getPrivate()), kpB,
        ((MLSMessage) MLSInputStream.decode(welcome, MLSMessage.class)).welcome, null,
        new HashMap<Secret, byte[]>(), new HashMap<Group.EpochRef, byte[]>());
    byte[] payload = new byte[200];
    double[] p = new double[msgs], u = new double[msgs], c = new double[commits], h = new double[commits];
    for (int i = 0; i < msgs; i++) {
      long t = System.nanoTime();
      byte[] ct = MLSOutputStream.encode(a.protect(new byte[0], payload, 0));
      long m = System.nanoTime();
      b.unprotect((MLSMessage) MLSInputStream.decode(ct, MLSMessage.class));
      long e = System.nanoTime();
      p[i] = (m - t) / 1e6;
      u[i] = (e - m) / 1e6;
    }
    for (int i = 0; i < commits; i++) {
      long t = System.nanoTime();
      Group.GroupWithMessage up = a.commit(new Secret(random(rnd)), new Group.CommitOptions(List.of(), true, true, null),
          new Group.MessageOptions(true, new byte[0], 0), new Group.CommitParameters(Group.NORMAL_COMMIT_PARAMS));
      byte[] wire = MLSOutputStream.encode(up.message);
      a = up.group;
      long m = System.nanoTime();
      b = b.handle(wire, null);
      long e = System.nanoTime();
      c[i] = (m - t) / 1e6;
      h[i] = (e - m) / 1e6;
    }
    double[] out = {p50(p), p50(u), p50(c), p50(h)};
    if (print) {
      System.out.printf("== raw bcmls now, size %d: p50 protect %.3f  unprotect %.3f  commit %.3f  handle %.3f ms%n",
          size, out[0], out[1], out[2], out[3]);
    }
    return out;
  }

  static byte[] random(SecureRandom r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return b;
  }

  static LeafNode leaf(MlsCipherSuite suite, AsymmetricCipherKeyPair leaf, AsymmetricCipherKeyPair sig) throws Exception {
    byte[] pub = suite.serializeSignaturePublicKey(sig.getPublic());
    return new LeafNode(suite, suite.getHPKE().serializePublicKey(leaf.getPublic()), pub,
        Credential.forBasic(pub), new Capabilities(), new LifeTime(), new ArrayList<Extension>(),
        suite.serializeSignaturePrivateKey(sig.getPrivate()));
  }

  static double p50(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  static double[] rawNow;

  static void run(int size, int msgs, int commits, boolean print, double[] now) throws Exception {
    rawNow = now;
    DeviceKey creator = DeviceKey.generate();
    List<DeviceKey> keys = new ArrayList<>();
    List<KeyPackageSecrets> kps = new ArrayList<>();
    List<KeyPackage> pkgs = new ArrayList<>();
    for (int i = 1; i < size; i++) {
      DeviceKey k = DeviceKey.generate();
      KeyPackageSecrets s = KeyPackageSecrets.generate(k.seedForVault(), false);
      keys.add(k);
      kps.add(s);
      pkgs.add(KeyPackageSecrets.verify(s.published()).keyPackage());
    }
    GroupSession a = GroupSession.create("bench".getBytes(StandardCharsets.UTF_8), creator.seedForVault());
    long t0 = System.nanoTime();
    GroupSession.PendingCommit add = a.stageCommit(pkgs, List.of());
    a.confirm(add, 0, 0);
    double addMs = (System.nanoTime() - t0) / 1e6;
    t0 = System.nanoTime();
    GroupSession b =
        GroupSession.join(GroupSession.parse(add.welcome), keys.get(0).seedForVault(), List.of(kps.get(0)))
            .orElseThrow()
            .session();
    double joinMs = (System.nanoTime() - t0) / 1e6;

    byte[] payload = new byte[200];
    double[] protect = new double[msgs];
    double[] protectSave = new double[msgs];
    double[] receive = new double[msgs];
    int wire = 0;
    for (int i = 0; i < msgs; i++) {
      long s = System.nanoTime();
      byte[] ct = a.protect(payload);
      long m = System.nanoTime();
      a.save();
      long e = System.nanoTime();
      protect[i] = (m - s) / 1e6;
      protectSave[i] = (e - s) / 1e6;
      wire = ct.length;
      s = System.nanoTime();
      b.unprotect(GroupSession.parse(ct), 0);
      b.save();
      receive[i] = (System.nanoTime() - s) / 1e6;
    }
    double[] commit = new double[commits];
    double[] handle = new double[commits];
    int commitWire = 0;
    for (int i = 0; i < commits; i++) {
      long s = System.nanoTime();
      GroupSession.PendingCommit pc = a.stageCommit(List.of(), List.of());
      a.save();
      a.confirm(pc, 0, 0);
      a.save();
      commit[i] = (System.nanoTime() - s) / 1e6;
      commitWire = pc.commit.length;
      s = System.nanoTime();
      b.handleHandshake(GroupSession.parse(pc.commit), 0, 0);
      b.save();
      handle[i] = (System.nanoTime() - s) / 1e6;
    }
    byte[] state = b.save();
    long s = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      GroupSession.restore(state);
    }
    double restoreMs = (System.nanoTime() - s) / 1e6 / 20;
    if (!print) {
      return;
    }
    double[] anchor = Arrays.stream(ANCHOR).filter(x -> x[0] == size).findFirst().orElseThrow();
    System.out.printf("== group size %d (payload 200 B -> wire %d B; empty commit %d B; state %d B)%n",
        size, wire, commitWire, state.length);
    line("protect (encrypt)", protect, anchor[1], 0);
    line("send = protect + save state", protectSave, anchor[1], 0);
    line("receive = parse + decrypt + save", receive, anchor[2], 1);
    line("commit = stage + confirm + 2 saves", commit, anchor[3], 2);
    line("handle commit + save", handle, anchor[4], 3);
    System.out.printf("  add %d members in one commit %.1f ms; join from Welcome %.1f ms; restore state %.2f ms%n",
        size - 1, addMs, joinMs, restoreMs);
  }

  static void line(String what, double[] v, double anchor, int rawIndex) {
    double[] c = v.clone();
    Arrays.sort(c);
    double mean = Arrays.stream(c).average().orElse(0);
    double p50 = c[c.length / 2];
    // p50 ratio: on a shared 2-core box the mean is dominated by other processes' bursts.
    System.out.printf(
        "  %-36s mean %7.3f ms  p50 %7.3f  p99 %7.3f  (n=%d)  vs probe %.3f: %.2fx  vs raw now %.3f: %.2fx (p50)%n",
        what, mean, p50, c[(int) Math.min(c.length - 1, Math.ceil(c.length * 0.99) - 1)],
        c.length, anchor, p50 / anchor, rawNow[rawIndex], p50 / rawNow[rawIndex]);
  }
}
