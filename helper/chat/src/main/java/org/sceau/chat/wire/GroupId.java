package org.sceau.chat.wire;

import java.util.Arrays;
import java.util.HexFormat;

/** An MLS group id as the relay sees it: 1 to {@value #MAX_LENGTH} opaque bytes. */
public final class GroupId {
  public static final int MAX_LENGTH = 255;

  private final byte[] id;

  private GroupId(byte[] id) {
    this.id = id;
  }

  public static GroupId of(byte[] id) {
    if (id == null || id.length == 0 || id.length > MAX_LENGTH) {
      throw new IllegalArgumentException("a group id is 1 to 255 bytes");
    }
    return new GroupId(id.clone());
  }

  public static GroupId ofHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  public byte[] bytes() {
    return id.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(id);
  }

  byte[] rawUnsafe() {
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupId g && Arrays.equals(id, g.id);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(id);
  }

  @Override
  public String toString() {
    String h = hex();
    return "group:" + (h.length() > 8 ? h.substring(0, 8) : h);
  }
}
