package org.sceau.chat.wire;

import java.util.List;

/**
 * One message of the relay protocol; each travels as one binary WebSocket message encoded by {@link
 * WireCodec}. Byte-array components are not copied (the relay forwards them untouched); callers
 * must not modify an array after handing it to a frame.
 *
 * <p>Flow: the relay sends {@link Challenge} on connect; the client answers {@link Authenticate}
 * (signing {@link DeviceAuth#transcript}); the relay answers {@link AuthOk} and starts pushing the
 * device's queued {@link Deliver} frames in order. The client {@link Ack}s each delivery once it is
 * safely stored; only then does the relay delete it. Requests carrying a {@code requestId} get
 * exactly one reply with the same id: {@link Ok}, {@link HandshakeAccepted}, {@link Claimed} or
 * {@link Error}.
 */
public sealed interface Frame {

  /** Wire type byte of this frame. */
  int type();

  // ---- relay -> client ----

  /** First frame on every connection: a fresh 32-byte nonce the client must sign. */
  record Challenge(byte[] nonce, long serverTimeMillis, int maxPayloadBytes) implements Frame {
    public static final int NONCE_LENGTH = 32;

    public int type() {
      return WireCodec.T_CHALLENGE;
    }
  }

  /** The connection is authenticated as {@code device}. */
  record AuthOk(DeviceId device, long pendingMessages, int keyPackagesLeft) implements Frame {
    public int type() {
      return WireCodec.T_AUTH_OK;
    }
  }

  /**
   * Success of a request. {@code value}: for {@link Send} the number of mailboxes the message was
   * queued in; for {@link PublishKeyPackages} the number of one-time KeyPackages now stored.
   */
  record Ok(int requestId, long value) implements Frame {
    public int type() {
      return WireCodec.T_OK;
    }
  }

  /**
   * A handshake was accepted as number {@code groupSeq} in the group's total order; after a commit
   * the group is at {@code epoch} (= the commit's epoch + 1), after a proposal it is unchanged.
   */
  record HandshakeAccepted(int requestId, long groupSeq, long epoch) implements Frame {
    public int type() {
      return WireCodec.T_HANDSHAKE_ACCEPTED;
    }
  }

  /**
   * A queued message. {@code messageId} increases strictly within one device's mailbox; the same
   * message may be delivered again after a reconnect until acknowledged, always with the same id,
   * so clients de-duplicate on it. For {@link PayloadKind#MESSAGE}, {@code group} is null and
   * {@code epoch}/{@code groupSeq} are 0.
   */
  record Deliver(
      long messageId,
      DeviceId sender,
      long receivedAtMillis,
      PayloadKind kind,
      GroupId group,
      long epoch,
      long groupSeq,
      byte[] payload)
      implements Frame {
    public int type() {
      return WireCodec.T_DELIVER;
    }
  }

  /** A claimed KeyPackage of {@code device}; {@code lastResort} if the one-time ones ran out. */
  record Claimed(int requestId, DeviceId device, boolean lastResort, byte[] keyPackage)
      implements Frame {
    public int type() {
      return WireCodec.T_CLAIMED;
    }
  }

  /** A refused request ({@code requestId} 0 when the error is about the connection itself). */
  record Error(int requestId, ErrorCode code, long detail, String message) implements Frame {
    public int type() {
      return WireCodec.T_ERROR;
    }
  }

  // ---- client -> relay ----

  /**
   * Answer to the {@link Challenge}: {@code signature} is Ed25519 over {@link
   * DeviceAuth#transcript}. With {@code register}, an unknown device key is registered first.
   */
  record Authenticate(boolean register, DeviceId device, byte[] signature) implements Frame {
    public static final int SIGNATURE_LENGTH = 64;

    public int type() {
      return WireCodec.T_AUTHENTICATE;
    }
  }

  /** Queue one opaque payload (application message, Welcome, receipt…) for each recipient. */
  record Send(int requestId, List<DeviceId> recipients, byte[] payload) implements Frame {
    public int type() {
      return WireCodec.T_SEND;
    }
  }

  /**
   * Submit an MLS handshake message for {@code group} at {@code epoch} ({@code kind} is COMMIT or
   * PROPOSAL). The relay accepts at most one commit per epoch and only for the group's current
   * epoch (a group it has never seen starts at the first epoch submitted), then queues it for the
   * recipients with the group sequence number it assigned.
   */
  record Handshake(
      int requestId,
      PayloadKind kind,
      GroupId group,
      long epoch,
      List<DeviceId> recipients,
      byte[] payload)
      implements Frame {
    public int type() {
      return WireCodec.T_HANDSHAKE;
    }
  }

  /** The client has stored these deliveries; the relay deletes them. No reply. */
  record Ack(List<Long> messageIds) implements Frame {
    public int type() {
      return WireCodec.T_ACK;
    }
  }

  /**
   * Add one-time KeyPackages to this device's directory entry, and optionally replace its
   * last-resort KeyPackage (handed out only when no one-time package is left, never consumed).
   */
  record PublishKeyPackages(int requestId, List<byte[]> keyPackages, byte[] lastResort)
      implements Frame {
    public int type() {
      return WireCodec.T_PUBLISH;
    }
  }

  /** Claim (and remove) one KeyPackage of {@code device}. */
  record Claim(int requestId, DeviceId device) implements Frame {
    public int type() {
      return WireCodec.T_CLAIM;
    }
  }
}
