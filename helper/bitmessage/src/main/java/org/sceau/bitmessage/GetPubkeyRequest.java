package org.sceau.bitmessage;

import java.util.Arrays;

/**
 * A getpubkey object's question: "who has the keys of this address?" Version 4 asks by tag (the
 * address stays hidden from relays), versions 2 and 3 by RIPE.
 */
public record GetPubkeyRequest(long addressVersion, long stream, byte[] ripeOrTag) {
  public GetPubkeyRequest {
    ripeOrTag = ripeOrTag.clone();
  }

  @Override
  public byte[] ripeOrTag() {
    return ripeOrTag.clone();
  }

  /** True if this request asks for {@code address}'s pubkey. */
  public boolean asksFor(BitmessageAddress address) {
    if (address.version() != addressVersion || address.stream() != stream) {
      return false;
    }
    return Arrays.equals(addressVersion >= 4 ? address.tag() : address.ripe(), ripeOrTag);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GetPubkeyRequest g
        && g.addressVersion == addressVersion
        && g.stream == stream
        && Arrays.equals(g.ripeOrTag, ripeOrTag);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ripeOrTag);
  }
}
