package org.sceau.bitmessage.mailbox.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.sceau.bitmessage.BitmessageAddress;
import org.sceau.bitmessage.BitmessageObject;
import org.sceau.bitmessage.Identity;
import org.sceau.bitmessage.InvalidAddressException;
import org.sceau.bitmessage.PowDifficulty;
import org.sceau.bitmessage.PublicIdentity;
import org.sceau.bitmessage.internal.IdentityFactory;
import org.sceau.bitmessage.mailbox.InboxMessage;
import org.sceau.bitmessage.mailbox.OutboxMessage;
import org.sceau.bitmessage.mailbox.OutboxState;
import org.sceau.bitmessage.mailbox.OwnIdentity;

/** The mailbox's stored records and their encoding. Mutable: only the mailbox thread uses them. */
final class Records {
  static final String ID = "id/";
  static final String BOOK = "book/";
  static final String SUB = "sub/";
  static final String IN = "in/";
  static final String OUT = "out/";

  private static final HexFormat HEX = HexFormat.of();

  private Records() {}

  /** An own identity: keys, label, and when its pubkey went out. */
  static final class Own {
    Identity identity;
    String label;
    long created;
    long pubkeySentAt;
    boolean pubkeyWanted;

    String key() {
      return ID + identity.address();
    }

    byte[] encode() {
      Identity.WifKeys w = identity.exportWif();
      BitmessageAddress a = identity.address();
      PowDifficulty d = identity.difficulty();
      return new Fields()
          .put("version", a.version())
          .put("stream", a.stream())
          .put("signingKey", w.signingKey())
          .put("encryptionKey", w.encryptionKey())
          .put("chan", identity.isChan())
          .put("ntpb", d.nonceTrialsPerByte())
          .put("extra", d.payloadLengthExtraBytes())
          .put("label", label)
          .put("created", created)
          .put("pubkeySentAt", pubkeySentAt)
          .put("pubkeyWanted", pubkeyWanted)
          .encode();
    }

    static Own decode(byte[] data) {
      Fields f = Fields.decode(data);
      Own o = new Own();
      try {
        o.identity =
            IdentityFactory.fromWif(
                    (int) f.number("version", 4),
                    f.number("stream", 1),
                    new Identity.WifKeys(f.text("signingKey"), f.text("encryptionKey")),
                    f.flag("chan"))
                .withDifficulty(new PowDifficulty(f.number("ntpb", 1000), f.number("extra", 1000)));
      } catch (InvalidAddressException e) {
        throw new IllegalArgumentException("stored identity is not valid");
      }
      o.label = f.text("label", "");
      o.created = f.number("created", 0);
      o.pubkeySentAt = f.number("pubkeySentAt", 0);
      o.pubkeyWanted = f.flag("pubkeyWanted");
      return o;
    }

    OwnIdentity view() {
      return new OwnIdentity(
          identity.address().toString(),
          label,
          identity.isChan(),
          identity.isChan() || pubkeySentAt > 0,
          Instant.ofEpochSecond(created));
    }
  }

  static byte[] encodePubkey(PublicIdentity p, long learned) {
    return new Fields()
        .put("address", p.address().toString())
        .put("behavior", p.behavior())
        .put("signingKey", HEX.formatHex(p.signingKey()))
        .put("encryptionKey", HEX.formatHex(p.encryptionKey()))
        .put("ntpb", p.difficulty().nonceTrialsPerByte())
        .put("extra", p.difficulty().payloadLengthExtraBytes())
        .put("learned", learned)
        .encode();
  }

  static PublicIdentity decodePubkey(byte[] data) {
    Fields f = Fields.decode(data);
    try {
      return new PublicIdentity(
          BitmessageAddress.parse(f.text("address")),
          (int) f.number("behavior", 1),
          HEX.parseHex(f.text("signingKey")),
          HEX.parseHex(f.text("encryptionKey")),
          new PowDifficulty(f.number("ntpb", 1000), f.number("extra", 1000)));
    } catch (InvalidAddressException e) {
      throw new IllegalArgumentException("stored pubkey is not valid");
    }
  }

  /** An own msg or broadcast. */
  static final class Out {
    String id;
    String kind;
    String from;
    String to = "";
    String subject;
    String body;
    OutboxState state;
    long baseTtl;
    long ttl;
    int attempts;
    long created;
    long sentAt;
    long resendAt;
    boolean ackExpected;

    /** Every ack this message was sent with (a late ack of an earlier attempt counts too). */
    List<String> acks = new ArrayList<>();

    long getpubkeyAt;
    int getpubkeyAttempts;
    String error = "";

    /** The finished ack of the attempt being built; not stored (a restart redoes it). */
    BitmessageObject pendingAck;

    String key() {
      return OUT + id;
    }

    byte[] encode() {
      return new Fields()
          .put("id", id)
          .put("kind", kind)
          .put("from", from)
          .put("to", to)
          .put("subject", subject)
          .put("body", body)
          .put("state", state.name())
          .put("baseTtl", baseTtl)
          .put("ttl", ttl)
          .put("attempts", attempts)
          .put("created", created)
          .put("sentAt", sentAt)
          .put("resendAt", resendAt)
          .put("ackExpected", ackExpected)
          .put("acks", String.join(",", acks))
          .put("getpubkeyAt", getpubkeyAt)
          .put("getpubkeyAttempts", getpubkeyAttempts)
          .put("error", error)
          .encode();
    }

    static Out decode(byte[] data) {
      Fields f = Fields.decode(data);
      Out o = new Out();
      o.id = f.text("id");
      o.kind = f.text("kind");
      o.from = f.text("from");
      o.to = f.text("to", "");
      o.subject = f.text("subject", "");
      o.body = f.text("body", "");
      o.state = OutboxState.valueOf(f.text("state"));
      o.baseTtl = f.number("baseTtl", 4 * 86400);
      o.ttl = f.number("ttl", o.baseTtl);
      o.attempts = (int) f.number("attempts", 0);
      o.created = f.number("created", 0);
      o.sentAt = f.number("sentAt", 0);
      o.resendAt = f.number("resendAt", 0);
      o.ackExpected = f.flag("ackExpected");
      String acks = f.text("acks", "");
      if (!acks.isEmpty()) {
        o.acks.addAll(List.of(acks.split(",")));
      }
      o.getpubkeyAt = f.number("getpubkeyAt", 0);
      o.getpubkeyAttempts = (int) f.number("getpubkeyAttempts", 0);
      o.error = f.text("error", "");
      return o;
    }

    OutboxMessage view() {
      return new OutboxMessage(
          id,
          kind,
          from,
          to,
          subject,
          body,
          state,
          Duration.ofSeconds(ttl),
          attempts,
          Instant.ofEpochSecond(created),
          sentAt == 0 ? null : Instant.ofEpochSecond(sentAt),
          ackExpected);
    }
  }

  static byte[] encodeInbox(InboxMessage m) {
    return new Fields()
        .put("id", m.id())
        .put("kind", m.kind())
        .put("from", m.from())
        .put("to", m.to())
        .put("subject", m.subject())
        .put("body", m.body())
        .put("received", m.received().toEpochMilli())
        .put("read", m.read())
        .encode();
  }

  static InboxMessage decodeInbox(byte[] data) {
    Fields f = Fields.decode(data);
    return new InboxMessage(
        f.text("id"),
        f.text("kind"),
        f.text("from"),
        f.text("to", ""),
        f.text("subject", ""),
        f.text("body", ""),
        Instant.ofEpochMilli(f.number("received", 0)),
        f.flag("read"));
  }

  static byte[] encodeSubscription(String label, long created) {
    return new Fields().put("label", label).put("created", created).encode();
  }
}
