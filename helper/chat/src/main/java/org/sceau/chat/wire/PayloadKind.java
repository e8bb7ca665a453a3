package org.sceau.chat.wire;

/** What a delivered payload is, as far as the relay's ordering rules are concerned. */
public enum PayloadKind {
  /** An application message, a Welcome, or anything else the relay just queues. */
  MESSAGE(0),
  /** An MLS Commit for a group epoch: at most one per epoch is accepted, in one total order. */
  COMMIT(1),
  /** An MLS Proposal for the group's current epoch, ordered with the group's commits. */
  PROPOSAL(2);

  private final int wire;

  PayloadKind(int wire) {
    this.wire = wire;
  }

  public int wire() {
    return wire;
  }

  static PayloadKind fromWire(int v) throws WireException {
    return switch (v) {
      case 0 -> MESSAGE;
      case 1 -> COMMIT;
      case 2 -> PROPOSAL;
      default -> throw new WireException(ErrorCode.MALFORMED_FRAME, "unknown payload kind " + v);
    };
  }
}
