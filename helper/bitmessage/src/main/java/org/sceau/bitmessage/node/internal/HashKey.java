package org.sceau.bitmessage.node.internal;

import java.nio.ByteBuffer;

/** A 32-byte inventory vector as four longs: a compact map key (no array per entry). */
public final class HashKey {
  private final long a;
  private final long b;
  private final long c;
  private final long d;

  private HashKey(long a, long b, long c, long d) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  public static HashKey of(byte[] hash) {
    return of(hash, 0);
  }

  public static HashKey of(byte[] hash, int off) {
    ByteBuffer bb = ByteBuffer.wrap(hash, off, 32);
    return new HashKey(bb.getLong(), bb.getLong(), bb.getLong(), bb.getLong());
  }

  public byte[] bytes() {
    return ByteBuffer.allocate(32).putLong(a).putLong(b).putLong(c).putLong(d).array();
  }

  public void writeTo(ByteBuffer out) {
    out.putLong(a).putLong(b).putLong(c).putLong(d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashKey k && k.a == a && k.b == b && k.c == c && k.d == d;
  }

  @Override
  public int hashCode() {
    // The vector is a hash already: any 32 bits of it are uniform.
    return (int) a;
  }
}
