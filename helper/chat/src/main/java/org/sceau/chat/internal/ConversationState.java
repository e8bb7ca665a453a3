package org.sceau.chat.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.sceau.chat.ChatException;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.GroupId;

/**
 * Everything the client keeps about one conversation besides the MLS state itself: messages of a
 * future epoch waiting for the commit that explains them, the outgoing queue (plaintext payloads,
 * encrypted only when the relay is reachable, so they always use the epoch current at sending
 * time), and bookkeeping. Saved next to the group state, in the same atomic store write.
 */
public final class ConversationState {
  /** Buffered future-epoch messages kept per conversation at most (then the oldest is dropped). */
  public static final int MAX_FUTURE = 512;

  /** Queued outgoing items kept per conversation at most. */
  public static final int MAX_OUTBOX = 10_000;

  private static final int MAX_PAYLOAD = 1 << 20;

  public final GroupId id;
  public GroupSession session;
  public boolean leaving;
  public long lastSelfUpdateMillis;

  /**
   * The last group order number seen or obtained for a handshake (0: none yet, e.g. just joined).
   */
  public long lastGroupSeq;

  public final List<Buffered> future = new ArrayList<>();
  public final Deque<Outgoing> outbox = new ArrayDeque<>();

  /**
   * Ids of the last received text messages: a sender that crashed between sending and saving its
   * queue sends the same message again (under a new MLS generation); it is shown once.
   */
  public final java.util.LinkedHashSet<String> recentIds = new java.util.LinkedHashSet<>();

  public static final int RECENT_IDS = 512;

  /** Records {@code id}; false if it was already seen. */
  public boolean firstSight(String id) {
    if (!recentIds.add(id)) {
      return false;
    }
    if (recentIds.size() > RECENT_IDS) {
      var it = recentIds.iterator();
      it.next();
      it.remove();
    }
    return true;
  }

  public ConversationState(GroupId id, GroupSession session) {
    this.id = id;
    this.session = session;
  }

  /**
   * A message that arrived before this device reached its epoch. kind: 0 message, 1 commit, 2
   * proposal.
   */
  public record Buffered(int kind, long epoch, byte[] payload) {}

  /**
   * A queued outgoing item. {@code type} 1: an application payload to encrypt at send time; 2: raw
   * bytes already protected (a Welcome). {@code recipients} empty means every other member.
   */
  public record Outgoing(int type, byte[] payload, List<DeviceId> recipients, String messageId) {}

  public byte[] encodeMeta() {
    Bin.Writer w = new Bin.Writer();
    w.u8(3).u8(leaving ? 1 : 0).u64(lastSelfUpdateMillis).u64(lastGroupSeq);
    w.u32(future.size());
    for (Buffered b : future) {
      w.u8(b.kind()).u64(b.epoch()).bytes(b.payload());
    }
    w.u32(outbox.size());
    for (Outgoing o : outbox) {
      w.u8(o.type()).bytes(o.payload());
      w.bytes(
          o.messageId() == null
              ? new byte[0]
              : o.messageId().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      w.u32(o.recipients().size());
      for (DeviceId d : o.recipients()) {
        w.bytes(d.publicKey());
      }
    }
    w.u32(recentIds.size());
    for (String id : recentIds) {
      w.bytes(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    return w.toByteArray();
  }

  public void decodeMeta(byte[] meta) throws ChatException {
    Bin.Reader r = new Bin.Reader(meta, ChatException.Code.STATE_CORRUPT);
    if (r.u8() != 3) {
      throw new ChatException(ChatException.Code.STATE_CORRUPT);
    }
    leaving = r.u8() == 1;
    lastSelfUpdateMillis = r.u64();
    lastGroupSeq = r.u64();
    int nf = r.count(MAX_FUTURE);
    for (int i = 0; i < nf; i++) {
      int kind = r.u8();
      long epoch = r.u64();
      future.add(new Buffered(kind, epoch, r.bytes(MAX_PAYLOAD)));
    }
    int no = r.count(MAX_OUTBOX);
    for (int i = 0; i < no; i++) {
      int type = r.u8();
      byte[] payload = r.bytes(MAX_PAYLOAD);
      byte[] mid = r.bytes(ChatPayload.MAX_ID);
      int nr = r.count(1000);
      List<DeviceId> rec = new ArrayList<>(nr);
      for (int k = 0; k < nr; k++) {
        byte[] key = r.bytes(DeviceId.LENGTH);
        if (key.length != DeviceId.LENGTH) {
          throw new ChatException(ChatException.Code.STATE_CORRUPT);
        }
        rec.add(DeviceId.of(key));
      }
      outbox.add(
          new Outgoing(
              type,
              payload,
              rec,
              mid.length == 0
                  ? null
                  : new String(mid, java.nio.charset.StandardCharsets.US_ASCII)));
    }
    int ni = r.count(RECENT_IDS);
    for (int i = 0; i < ni; i++) {
      recentIds.add(
          new String(r.bytes(ChatPayload.MAX_ID), java.nio.charset.StandardCharsets.US_ASCII));
    }
    r.end();
  }
}
