package org.sceau.openpgp.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.OpenPgpException;

/**
 * Autocrypt Level 1 (https://autocrypt.org/level1.html) as pure functions over {@link
 * AutocryptPeer}: which header of a message counts, how peer state is updated from headers and
 * gossip, and the encryption recommendation for a draft. Nothing here is stored; the vault persists
 * the records it returns.
 */
public final class Autocrypt {
  /** "autocrypt_timestamp more than 35 days older than last_seen" makes a key stale. */
  public static final Duration STALE_AFTER = Duration.ofDays(35);

  private Autocrypt() {}

  /**
   * The message's effective date: its {@code Date} header, or the time of receipt when that is
   * missing or in the future.
   */
  public static Instant effectiveDate(Optional<Instant> dateHeader, Instant received) {
    return dateHeader.filter(d -> !d.isAfter(received)).orElse(received);
  }

  /**
   * Whether a message should be ignored for Autocrypt: auto-replied, a {@code multipart/report}, or
   * not exactly one From address.
   */
  public static boolean ignores(
      Optional<String> autoSubmitted, String contentType, int fromAddresses) {
    boolean autoReplied =
        autoSubmitted
            .map(s -> s.strip().toLowerCase(Locale.ROOT).startsWith("auto-replied"))
            .orElse(false);
    boolean report = contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/report");
    return autoReplied || report || fromAddresses != 1;
  }

  /**
   * The single valid {@code Autocrypt:} header among {@code values} for {@code fromAddr}: invalid
   * ones and ones for another address are dropped; more than one valid header is an error, so all
   * are discarded (empty).
   */
  public static Optional<AutocryptHeader> selectHeader(List<String> values, String fromAddr) {
    AutocryptHeader found = null;
    for (String v : values) {
      AutocryptHeader h;
      try {
        h = AutocryptHeader.parse(v);
      } catch (MailException e) {
        continue;
      }
      if (!h.addr().equalsIgnoreCase(fromAddr)) {
        continue;
      }
      if (found != null) {
        return Optional.empty();
      }
      found = h;
    }
    return Optional.ofNullable(found);
  }

  /**
   * The spec's "Updating Autocrypt Peer State" for the sender {@code fromAddr}. A header whose
   * keydata is not a certificate counts as absent.
   */
  public static AutocryptPeer update(
      Optional<AutocryptPeer> current,
      String fromAddr,
      Instant effectiveDate,
      Optional<AutocryptHeader> header) {
    AutocryptPeer p =
        current.orElseGet(() -> AutocryptPeer.empty(canonical(fromAddr), effectiveDate));
    if (p.autocryptTimestamp().isPresent()
        && effectiveDate.isBefore(p.autocryptTimestamp().get())) {
      return p;
    }
    Instant lastSeen = effectiveDate.isAfter(p.lastSeen()) ? effectiveDate : p.lastSeen();
    Optional<Certificate> key = header.flatMap(Autocrypt::certificateOf);
    if (key.isEmpty()) {
      return new AutocryptPeer(
          p.addr(),
          lastSeen,
          p.autocryptTimestamp(),
          p.publicKey(),
          p.preferEncrypt(),
          p.gossipTimestamp(),
          p.gossipKey());
    }
    return new AutocryptPeer(
        p.addr(),
        lastSeen,
        Optional.of(effectiveDate),
        key,
        header.get().preferEncrypt(),
        p.gossipTimestamp(),
        p.gossipKey());
  }

  /**
   * The spec's gossip update for {@code gossip.addr()}; {@code recipients} are the addresses in the
   * message's To, Cc and Reply-To. Returns the state unchanged when the gossip does not apply.
   */
  public static Optional<AutocryptPeer> updateFromGossip(
      Optional<AutocryptPeer> current,
      AutocryptHeader gossip,
      List<String> recipients,
      Instant effectiveDate) {
    boolean listed = recipients.stream().anyMatch(r -> r.equalsIgnoreCase(gossip.addr()));
    if (!listed) {
      return current;
    }
    if (current
        .flatMap(AutocryptPeer::gossipTimestamp)
        .filter(t -> t.isAfter(effectiveDate))
        .isPresent()) {
      return current;
    }
    Optional<Certificate> key = certificateOf(gossip);
    if (key.isEmpty()) {
      return current;
    }
    AutocryptPeer p =
        current.orElseGet(() -> AutocryptPeer.empty(canonical(gossip.addr()), effectiveDate));
    return Optional.of(
        new AutocryptPeer(
            p.addr(),
            p.lastSeen(),
            p.autocryptTimestamp(),
            p.publicKey(),
            p.preferEncrypt(),
            Optional.of(effectiveDate),
            key));
  }

  /**
   * Recommendation for one recipient. Keys that cannot encrypt now (expired, revoked, no encryption
   * subkey) count as absent.
   */
  public static AutocryptRecommendation recommend(
      String addr, Optional<AutocryptPeer> peer, PreferEncrypt self, boolean replyToEncrypted) {
    if (peer.isEmpty()) {
      return new AutocryptRecommendation(UiRecommendation.DISABLE, Map.of());
    }
    AutocryptPeer p = peer.get();
    Optional<Certificate> pub = p.publicKey().filter(Autocrypt::usable);
    Optional<Certificate> gossip = p.gossipKey().filter(Autocrypt::usable);
    if (pub.isEmpty() && gossip.isEmpty()) {
      return new AutocryptRecommendation(UiRecommendation.DISABLE, Map.of());
    }
    UiRecommendation pre;
    Certificate target;
    if (pub.isEmpty()) {
      target = gossip.get();
      pre = UiRecommendation.DISCOURAGE;
    } else {
      target = pub.get();
      boolean stale =
          p.autocryptTimestamp().map(t -> t.plus(STALE_AFTER).isBefore(p.lastSeen())).orElse(true);
      pre = stale ? UiRecommendation.DISCOURAGE : UiRecommendation.AVAILABLE;
    }
    UiRecommendation ui = pre;
    if (replyToEncrypted) {
      ui = UiRecommendation.ENCRYPT;
    } else if (pre == UiRecommendation.AVAILABLE
        && p.preferEncrypt() == PreferEncrypt.MUTUAL
        && self == PreferEncrypt.MUTUAL) {
      ui = UiRecommendation.ENCRYPT;
    }
    return new AutocryptRecommendation(ui, Map.of(canonical(addr), target));
  }

  /**
   * Recommendation for a draft to several recipients ({@code peers}: address to its state, if any):
   * any disable wins, then all-encrypt, then any discourage, else available.
   */
  public static AutocryptRecommendation recommend(
      Map<String, Optional<AutocryptPeer>> peers, PreferEncrypt self, boolean replyToEncrypted) {
    if (peers.isEmpty()) {
      return new AutocryptRecommendation(UiRecommendation.DISABLE, Map.of());
    }
    Map<String, Certificate> keys = new HashMap<>();
    boolean anyDisable = false;
    boolean allEncrypt = true;
    boolean anyDiscourage = false;
    for (Map.Entry<String, Optional<AutocryptPeer>> e : peers.entrySet()) {
      AutocryptRecommendation r = recommend(e.getKey(), e.getValue(), self, replyToEncrypted);
      keys.putAll(r.targetKeys());
      anyDisable |= r.ui() == UiRecommendation.DISABLE;
      allEncrypt &= r.ui() == UiRecommendation.ENCRYPT;
      anyDiscourage |= r.ui() == UiRecommendation.DISCOURAGE;
    }
    UiRecommendation ui =
        anyDisable
            ? UiRecommendation.DISABLE
            : allEncrypt
                ? UiRecommendation.ENCRYPT
                : anyDiscourage ? UiRecommendation.DISCOURAGE : UiRecommendation.AVAILABLE;
    return new AutocryptRecommendation(ui, keys);
  }

  private static boolean usable(Certificate c) {
    return c.status().canEncrypt();
  }

  private static Optional<Certificate> certificateOf(AutocryptHeader h) {
    try {
      return Optional.of(h.certificate());
    } catch (OpenPgpException e) {
      return Optional.empty();
    }
  }

  private static String canonical(String addr) {
    return addr.toLowerCase(Locale.ROOT);
  }
}
