package org.sceau.chat.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sceau.chat.ChatException;
import org.sceau.chat.ChatException.Code;
import org.sceau.chat.wire.DeviceKey;

class GroupSessionTest {
  private static final long WINDOW = 60_000;

  record Dev(DeviceKey key, KeyPackageSecrets kp) {
    static Dev create() throws ChatException {
      DeviceKey k = DeviceKey.generate();
      return new Dev(k, KeyPackageSecrets.generate(k.seedForVault(), false));
    }

    byte[] seed() {
      return key.seedForVault();
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static GroupSession join(Dev d, byte[] welcome) throws ChatException {
    return GroupSession.join(GroupSession.parse(welcome), d.seed(), List.of(d.kp()))
        .orElseThrow()
        .session();
  }

  static GroupSession[] pair(Dev a, Dev b) throws ChatException {
    GroupSession ga = GroupSession.create(utf8("g-ab"), a.seed());
    var pc =
        ga.stageCommit(
            List.of(KeyPackageSecrets.verify(b.kp().published()).keyPackage()), List.of());
    ga.confirm(pc, 0, WINDOW);
    GroupSession gb = join(b, pc.welcome);
    return new GroupSession[] {ga, gb};
  }

  static String open(GroupSession g, byte[] ct) throws ChatException {
    return new String(g.unprotect(GroupSession.parse(ct), 0).plaintext(), StandardCharsets.UTF_8);
  }

  @Test
  void twoMembersTalkBothWaysAndAgreeOnEpoch() throws Exception {
    Dev a = Dev.create();
    Dev b = Dev.create();
    GroupSession[] g = pair(a, b);
    assertEquals(1, g[0].epoch());
    assertEquals(1, g[1].epoch());
    assertArrayEquals(g[0].epochAuthenticator(), g[1].epochAuthenticator());
    assertEquals("hello", open(g[1], g[0].protect(utf8("hello"))));
    assertEquals(
        a.key().deviceId(),
        g[1].unprotect(GroupSession.parse(g[0].protect(utf8("s"))), 0).sender());
    assertEquals("hi", open(g[0], g[1].protect(utf8("hi"))));
    assertEquals(List.of(a.key().deviceId(), b.key().deviceId()), g[0].members());
  }

  @Test
  void savedStateRestoresMidConversation() throws Exception {
    GroupSession[] g = pair(Dev.create(), Dev.create());
    open(g[1], g[0].protect(utf8("one")));
    byte[] queued = g[0].protect(utf8("queued while B was down"));
    byte[] state = g[1].save();
    GroupSession b2 = GroupSession.restore(state);
    assertEquals("queued while B was down", open(b2, queued));
    assertEquals("back", open(g[0], b2.protect(utf8("back"))));
    // The restored member commits and the other follows.
    var pc = b2.stageCommit(List.of(), List.of());
    b2.confirm(pc, 0, WINDOW);
    assertEquals(
        GroupSession.HandshakeOutcome.ADVANCED,
        g[0].handleHandshake(GroupSession.parse(pc.commit), 0, WINDOW).outcome());
    assertArrayEquals(g[0].epochAuthenticator(), b2.epochAuthenticator());
    GroupSession b3 = GroupSession.restore(b2.save());
    assertEquals("after", open(b3, g[0].protect(utf8("after"))));
  }

  @Test
  void restoredStateCannotReadMessagesItAlreadyRead() throws Exception {
    GroupSession[] g = pair(Dev.create(), Dev.create());
    byte[] ct = g[0].protect(utf8("once"));
    open(g[1], ct);
    GroupSession b2 = GroupSession.restore(g[1].save());
    ChatException e = assertThrows(ChatException.class, () -> open(b2, ct));
    assertEquals(Code.REPLAYED, e.code());
  }

  @Test
  void replayedAndTamperedMessagesAreRejected() throws Exception {
    GroupSession[] g = pair(Dev.create(), Dev.create());
    byte[] ct = g[0].protect(utf8("x"));
    byte[] bad = ct.clone();
    bad[bad.length - 3] ^= 1;
    assertEquals(Code.TAMPERED, assertThrows(ChatException.class, () -> open(g[1], bad)).code());
    assertEquals("x", open(g[1], ct));
    assertEquals(Code.REPLAYED, assertThrows(ChatException.class, () -> open(g[1], ct)).code());
  }

  @Test
  void removedMemberCannotReadWhatFollows() throws Exception {
    Dev a = Dev.create();
    Dev b = Dev.create();
    Dev c = Dev.create();
    GroupSession[] g = pair(a, b);
    var add =
        g[0].stageCommit(
            List.of(KeyPackageSecrets.verify(c.kp().published()).keyPackage()), List.of());
    g[0].confirm(add, 0, 0);
    g[1].handleHandshake(GroupSession.parse(add.commit), 0, 0);
    GroupSession gc = join(c, add.welcome);
    assertEquals("three", open(gc, g[1].protect(utf8("three"))));
    var rm = g[0].stageCommit(List.of(), List.of(g[0].leafOf(c.key().deviceId())));
    g[0].confirm(rm, 0, 0);
    assertEquals(
        GroupSession.HandshakeOutcome.ADVANCED,
        g[1].handleHandshake(GroupSession.parse(rm.commit), 0, 0).outcome());
    assertEquals(
        GroupSession.HandshakeOutcome.REMOVED,
        gc.handleHandshake(GroupSession.parse(rm.commit), 0, 0).outcome());
    byte[] secret = g[0].protect(utf8("after C left"));
    assertEquals("after C left", open(g[1], secret));
    ChatException e = assertThrows(ChatException.class, () -> open(gc, secret));
    assertEquals(Code.WRONG_EPOCH, e.code());
    assertEquals(2, g[1].members().size());
  }

  @Test
  void epochsAreComparedBeforeDecrypting() throws Exception {
    GroupSession[] g = pair(Dev.create(), Dev.create());
    byte[] old = g[0].protect(utf8("epoch 1"));
    var up = g[0].stageCommit(List.of(), List.of());
    g[0].confirm(up, 0, 0);
    byte[] future = g[0].protect(utf8("epoch 2"));
    assertTrue(g[1].isFuture(GroupSession.parse(future)));
    g[1].handleHandshake(GroupSession.parse(up.commit), 1000, 500);
    // The previous epoch is kept for late messages only inside the window.
    assertEquals(
        Code.WRONG_EPOCH,
        assertThrows(ChatException.class, () -> g[1].unprotect(GroupSession.parse(old), 2000))
            .code());
    assertEquals("epoch 2", open(g[1], future));
    // A commit for an epoch already passed is refused by epoch, not as a MAC failure.
    ChatException e =
        assertThrows(
            ChatException.class, () -> g[1].handleHandshake(GroupSession.parse(up.commit), 0, 0));
    assertEquals(Code.WRONG_EPOCH, e.code());
  }

  @Test
  void lateMessageOfPreviousEpochReadableInsideWindow() throws Exception {
    GroupSession[] g = pair(Dev.create(), Dev.create());
    byte[] old = g[0].protect(utf8("late"));
    var up = g[0].stageCommit(List.of(), List.of());
    g[0].confirm(up, 0, 0);
    g[1].handleHandshake(GroupSession.parse(up.commit), 1000, 500);
    assertEquals(
        "late",
        new String(
            g[1].unprotect(GroupSession.parse(old), 1200).plaintext(), StandardCharsets.UTF_8));
  }

  @Test
  void savedStateHoldsNoSecretOfThePreviousEpoch() throws Exception {
    GroupSession[] g = pair(Dev.create(), Dev.create());
    org.bouncycastle.mls.KeyScheduleEpoch old = groupOf(g[1]).getKeySchedule();
    List<byte[]> oldSecrets =
        List.of(
            old.initSecret.value().clone(),
            old.exporterSecret.value().clone(),
            old.senderDataSecret.value().clone(),
            old.resumptionPSK.value().clone(),
            old.membershipKey.value().clone());
    var up = g[0].stageCommit(List.of(), List.of());
    g[0].confirm(up, 0, 0);
    g[1].handleHandshake(GroupSession.parse(up.commit), 0, 0);
    byte[] state = g[1].save();
    for (byte[] secret : oldSecrets) {
      assertTrue(indexOf(state, secret) < 0, "a previous-epoch secret is in the saved state");
    }
    // bcmls keeps a resumption PSK of every past epoch; the session drops them.
    assertTrue(
        ((java.util.Map<?, ?>)
                Mls.get(groupOf(g[1]), org.bouncycastle.mls.protocol.Group.class, "resumptionPSKs"))
            .isEmpty());
  }

  @Test
  void senderKeepsNoKeyOfItsOwnSentMessages() throws Exception {
    GroupSession[] g = pair(Dev.create(), Dev.create());
    byte[] ct = g[0].protect(utf8("mine"));
    GroupSession restored = GroupSession.restore(g[0].save());
    // bcmls caches the key of each sent message; without erasing it, the saved state could read it.
    ChatException e = assertThrows(ChatException.class, () -> open(restored, ct));
    assertEquals(Code.REPLAYED, e.code());
    assertEquals("mine", open(g[1], ct));
  }

  static org.bouncycastle.mls.protocol.Group groupOf(GroupSession s) {
    return (org.bouncycastle.mls.protocol.Group) Mls.get(s, GroupSession.class, "group");
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
