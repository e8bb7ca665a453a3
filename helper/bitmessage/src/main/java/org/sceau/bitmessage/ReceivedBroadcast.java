package org.sceau.bitmessage;

import java.util.Arrays;

/** A broadcast decrypted with a subscription's address and verified against its keys. */
public record ReceivedBroadcast(
    PublicIdentity sender, MessageContent content, byte[] inventoryHash) {
  public ReceivedBroadcast {
    inventoryHash = inventoryHash.clone();
  }

  @Override
  public byte[] inventoryHash() {
    return inventoryHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReceivedBroadcast r
        && r.sender.equals(sender)
        && r.content.equals(content)
        && Arrays.equals(r.inventoryHash, inventoryHash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(inventoryHash);
  }

  @Override
  public String toString() {
    return "ReceivedBroadcast[from " + sender.address() + "]";
  }
}
