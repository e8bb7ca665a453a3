package org.sceau.vault.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/** Small helpers for key material: wiping, random bytes, UTF-8 without an intermediate String. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  public static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  public static void wipe(byte[]... arrays) {
    for (byte[] a : arrays) {
      if (a != null) {
        Arrays.fill(a, (byte) 0);
      }
    }
  }

  public static void wipe(char[]... arrays) {
    for (char[] a : arrays) {
      if (a != null) {
        Arrays.fill(a, '\0');
      }
    }
  }

  /**
   * UTF-8 bytes of a passphrase. Goes through a CharsetEncoder on buffers we own, so no String
   * (which could not be wiped) is ever created; the caller wipes the result.
   */
  public static byte[] utf8(char[] chars) {
    CharsetEncoder enc =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer out = ByteBuffer.allocate(chars.length * 3);
    try {
      if (enc.encode(CharBuffer.wrap(chars), out, true).isError() || enc.flush(out).isError()) {
        throw new CharacterCodingException();
      }
    } catch (CharacterCodingException e) {
      Arrays.fill(out.array(), (byte) 0);
      throw new IllegalArgumentException("passphrase is not valid Unicode");
    }
    byte[] result = Arrays.copyOf(out.array(), out.position());
    Arrays.fill(out.array(), (byte) 0);
    return result;
  }
}
