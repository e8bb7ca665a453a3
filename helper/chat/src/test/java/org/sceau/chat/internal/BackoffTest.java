package org.sceau.chat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void growsExponentiallyUpToTheCapAndResets() {
    Backoff max = new Backoff(100, 1000, n -> n - 1); // always the top of the range
    assertEquals(100, max.nextDelayMillis());
    assertEquals(200, max.nextDelayMillis());
    assertEquals(400, max.nextDelayMillis());
    assertEquals(800, max.nextDelayMillis());
    assertEquals(1000, max.nextDelayMillis());
    assertEquals(1000, max.nextDelayMillis());
    max.reset();
    assertEquals(100, max.nextDelayMillis());
  }

  @Test
  void jitterNeverGoesBelowATenthOfTheCap() {
    Backoff min = new Backoff(100, 1000, n -> 0);
    for (int i = 0; i < 40; i++) {
      long d = min.nextDelayMillis();
      assertTrue(d >= 10 && d <= 1000);
    }
    assertEquals(100, min.nextDelayMillis());
  }
}
