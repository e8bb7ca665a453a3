package org.sceau.chat.internal;

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

class GroupStateCodecPropertiesTest {
  static byte[] state;

  @BeforeContainer
  static void realState() throws Exception {
    DeviceKey a = DeviceKey.generate();
    DeviceKey b = DeviceKey.generate();
    KeyPackageSecrets kp = KeyPackageSecrets.generate(b.seedForVault(), false);
    GroupSession g =
        GroupSession.create("codec".getBytes(StandardCharsets.UTF_8), a.seedForVault());
    var pc =
        g.stageCommit(List.of(KeyPackageSecrets.verify(kp.published()).keyPackage()), List.of());
    g.confirm(pc, 0, 0);
    g.protect(new byte[] {1});
    state = g.save();
  }

  @Property(tries = 1)
  void roundTripsToTheSameBytes() throws ChatException {
    assertEquals(Arrays.toString(state), Arrays.toString(GroupSession.restore(state).save()));
  }

  @Property(tries = 300)
  void truncatedStateIsCorrupt(@ForAll @IntRange(min = 1, max = 100000) int cut) {
    byte[] b = Arrays.copyOf(state, Math.max(0, state.length - cut));
    ChatException e = assertThrows(ChatException.class, () -> GroupSession.restore(b));
    assertEquals(ChatException.Code.STATE_CORRUPT, e.code());
  }

  @Property(tries = 500)
  void arbitraryBytesAreCorrupt(@ForAll @Size(max = 400) byte[] bytes) {
    ChatException e = assertThrows(ChatException.class, () -> GroupSession.restore(bytes));
    assertEquals(ChatException.Code.STATE_CORRUPT, e.code());
  }

  @Property(tries = 300)
  void mutatedStateRestoresOrIsCorrupt(
      @ForAll @IntRange(min = 0, max = 100000) int pos, @ForAll byte value) {
    byte[] b = state.clone();
    b[pos % b.length] = value;
    try {
      GroupSession.restore(b);
    } catch (ChatException e) {
      assertEquals(ChatException.Code.STATE_CORRUPT, e.code());
    }
  }
}
