package org.sceau.bitmessage.mailbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Stored records: round trip, and damaged bytes give IllegalArgumentException, nothing else. */
class FieldsTest {
  @Test
  void roundTrip() {
    Fields f = new Fields().put("a", "é\nline").put("n", 42).put("flag", true).put("empty", "");
    Fields g = Fields.decode(f.encode());
    assertEquals("é\nline", g.text("a"));
    assertEquals(42, g.number("n", 0));
    assertEquals(true, g.flag("flag"));
    assertEquals("", g.text("empty"));
    assertEquals("x", g.text("missing", "x"));
    assertThrows(IllegalArgumentException.class, () -> g.text("missing"));
  }

  @Test
  void damagedRecordsAreRefusedCleanly() {
    byte[] good = new Fields().put("key", "value".repeat(20)).put("k2", 7).encode();
    Random r = new Random(1);
    for (int i = 0; i < 5000; i++) {
      byte[] bad = Arrays.copyOf(good, r.nextInt(good.length + 1));
      if (bad.length > 0 && r.nextBoolean()) {
        bad[r.nextInt(bad.length)] = (byte) r.nextInt();
      }
      try {
        Fields.decode(bad);
      } catch (IllegalArgumentException expected) {
        // the only failure allowed
      }
    }
    byte[] huge = {1, 0, 1, 0, 1, 'k', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThrows(IllegalArgumentException.class, () -> Fields.decode(huge));
  }
}
