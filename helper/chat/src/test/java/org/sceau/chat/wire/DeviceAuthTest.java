package org.sceau.chat.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class DeviceAuthTest {
  private static Frame.Challenge challenge() {
    byte[] n = new byte[32];
    new SecureRandom().nextBytes(n);
    return new Frame.Challenge(n, 0, 1000);
  }

  @Test
  void acceptsAnswerToItsOwnChallenge() {
    DeviceKey k = DeviceKey.generate();
    Frame.Challenge c = challenge();
    assertTrue(DeviceAuth.verify(c, DeviceAuth.answer(c, k, true)));
    assertTrue(DeviceAuth.verify(c, DeviceAuth.answer(c, k, false)));
  }

  @Test
  void refusesAnswerReplayedOnAnotherChallenge() {
    DeviceKey k = DeviceKey.generate();
    Frame.Authenticate a = DeviceAuth.answer(challenge(), k, false);
    assertFalse(DeviceAuth.verify(challenge(), a));
  }

  @Test
  void refusesTamperedSignatureFlagOrKey() {
    DeviceKey k = DeviceKey.generate();
    Frame.Challenge c = challenge();
    Frame.Authenticate a = DeviceAuth.answer(c, k, false);
    byte[] sig = a.signature().clone();
    sig[5] ^= 1;
    assertFalse(DeviceAuth.verify(c, new Frame.Authenticate(false, a.device(), sig)));
    assertFalse(DeviceAuth.verify(c, new Frame.Authenticate(true, a.device(), a.signature())));
    assertFalse(
        DeviceAuth.verify(
            c, new Frame.Authenticate(false, DeviceKey.generate().deviceId(), a.signature())));
    // Not a curve point at all: a refusal, not an exception.
    byte[] junk = new byte[32];
    java.util.Arrays.fill(junk, (byte) 0xFF);
    assertFalse(DeviceAuth.verify(c, new Frame.Authenticate(false, DeviceId.of(junk), sig)));
  }

  @Test
  void keyRoundTripsThroughItsVaultSeed() {
    DeviceKey k = DeviceKey.generate();
    DeviceKey back = DeviceKey.fromSeed(k.seedForVault());
    assertEquals(k.deviceId(), back.deviceId());
    assertArrayEquals(k.sign(new byte[] {1}), back.sign(new byte[] {1}));
    assertEquals(k.deviceId(), DeviceId.ofHex(k.deviceId().hex()));
  }
}
