package org.sceau.bitmessage;

import java.util.Arrays;
import java.util.Optional;

/**
 * A msg decrypted with one of our identities and verified: who sent it (keys and demanded
 * difficulty, so we can answer without a getpubkey), the text, and the ack packet to broadcast once
 * the message is accepted.
 *
 * @param recipient our address it was sent to
 * @param sender the sender's public identity (address derived from the signed keys)
 * @param content the decoded text
 * @param ackPacket the complete {@code object} packet the sender wants relayed as ack (may be
 *     empty)
 * @param inventoryHash the msg's inventory vector (PyBitmessage's msgid)
 */
public record ReceivedMessage(
    BitmessageAddress recipient,
    PublicIdentity sender,
    MessageContent content,
    byte[] ackPacket,
    byte[] inventoryHash) {

  public ReceivedMessage {
    ackPacket = ackPacket.clone();
    inventoryHash = inventoryHash.clone();
  }

  @Override
  public byte[] ackPacket() {
    return ackPacket.clone();
  }

  @Override
  public byte[] inventoryHash() {
    return inventoryHash.clone();
  }

  /** The embedded ack as an object, if it is a well-formed {@code object} packet. */
  public Optional<BitmessageObject> ackObject() {
    if (ackPacket.length == 0) {
      return Optional.empty();
    }
    try {
      Packet p = PacketCodec.decode(ackPacket);
      if (!"object".equals(p.command())) {
        return Optional.empty();
      }
      return Optional.of(ObjectCodec.decode(p.payload()));
    } catch (BitmessageException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReceivedMessage r
        && r.recipient.equals(recipient)
        && r.sender.equals(sender)
        && r.content.equals(content)
        && Arrays.equals(r.ackPacket, ackPacket)
        && Arrays.equals(r.inventoryHash, inventoryHash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(inventoryHash);
  }

  @Override
  public String toString() {
    return "ReceivedMessage[from " + sender.address() + " to " + recipient + "]";
  }
}
