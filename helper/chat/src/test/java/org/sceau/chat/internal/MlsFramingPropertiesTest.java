package org.sceau.chat.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.sceau.chat.ChatException;
import org.sceau.chat.wire.DeviceKey;

class MlsFramingPropertiesTest {
  static byte[] privateMessage;
  static byte[] commit;
  static byte[] welcome;
  static byte[] keyPackage;
  static byte[] groupId = "framing-group".getBytes(StandardCharsets.UTF_8);

  @BeforeContainer
  static void realMessages() throws Exception {
    DeviceKey a = DeviceKey.generate();
    DeviceKey b = DeviceKey.generate();
    KeyPackageSecrets kp = KeyPackageSecrets.generate(b.seedForVault(), false);
    keyPackage = kp.published();
    GroupSession g = GroupSession.create(groupId, a.seedForVault());
    var pc = g.stageCommit(List.of(KeyPackageSecrets.verify(keyPackage).keyPackage()), List.of());
    g.confirm(pc, 0, 0);
    welcome = pc.welcome;
    privateMessage = g.protect("hello".getBytes(StandardCharsets.UTF_8));
    commit = g.stageCommit(List.of(), List.of()).commit;
  }

  @Property(tries = 1)
  void acceptsWhatBcmlsProduces() throws ChatException {
    MlsFraming.Info pm = MlsFraming.check(privateMessage);
    assertEquals(MlsFraming.WIRE_PRIVATE_MESSAGE, pm.wireFormat());
    assertArrayEquals(groupId, pm.groupId());
    assertEquals(1, pm.epoch());
    assertEquals(1, pm.contentType());
    assertEquals(3, MlsFraming.check(commit).contentType());
    assertEquals(MlsFraming.WIRE_WELCOME, MlsFraming.check(welcome).wireFormat());
    assertEquals(MlsFraming.WIRE_KEY_PACKAGE, MlsFraming.check(keyPackage).wireFormat());
  }

  @Property(tries = 1000)
  void arbitraryBytesPassOrFailAsMalformed(@ForAll @Size(max = 200) byte[] bytes) {
    try {
      MlsFraming.check(bytes);
    } catch (ChatException e) {
      assertEquals(ChatException.Code.MALFORMED, e.code());
    }
  }

  @Property(tries = 300)
  void everyTruncationOfARealMessageIsRefused(
      @ForAll @IntRange(min = 0, max = 3) int which,
      @ForAll @IntRange(min = 1, max = 5000) int cutFromEnd) {
    byte[] full = List.of(privateMessage, commit, welcome, keyPackage).get(which);
    int n = Math.max(0, full.length - cutFromEnd);
    byte[] cut = Arrays.copyOf(full, n);
    ChatException e = assertThrows(ChatException.class, () -> MlsFraming.check(cut));
    assertEquals(ChatException.Code.MALFORMED, e.code());
  }

  /**
   * Any byte of a real message changed: the framing check either refuses it, or passes bytes whose
   * every length fits, so bcmls's parser (which allocates what lengths claim) meets no huge length.
   */
  @Property(tries = 500)
  void mutatedMessagesNeverReachBcmlsWithAnOversizedLength(
      @ForAll @IntRange(min = 0, max = 3) int which,
      @ForAll @IntRange(min = 0, max = 100000) int pos,
      @ForAll byte value) {
    byte[] m = List.of(privateMessage, commit, welcome, keyPackage).get(which).clone();
    m[pos % m.length] = value;
    try {
      MlsFraming.check(m);
      GroupSession.parse(m); // may fail, but only as MALFORMED
    } catch (ChatException e) {
      assertEquals(ChatException.Code.MALFORMED, e.code());
    }
  }
}
