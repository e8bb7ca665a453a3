package org.sceau.openpgp.mail;

import static org.junit.jupiter.api.Assertions.*;
import static org.sceau.openpgp.mail.PreferEncrypt.*;
import static org.sceau.openpgp.mail.UiRecommendation.*;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.KeySpec;
import org.sceau.openpgp.Keys;

/** Autocrypt Level 1: peer-state updates and the recommendation, case by case from the spec. */
class AutocryptRecommendationTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Certificate KEY = MailKeys.BOB.key().certificate();
  static final Certificate GOSSIP = MailKeys.CAROL.key().certificate();

  static Optional<AutocryptPeer> peer(
      Certificate pub, PreferEncrypt pe, Duration lastSeenAfterHeader, Certificate gossip) {
    return Optional.of(
        new AutocryptPeer(
            "bob@example.org",
            T0.plus(lastSeenAfterHeader),
            pub == null ? Optional.empty() : Optional.of(T0),
            Optional.ofNullable(pub),
            pe,
            gossip == null ? Optional.empty() : Optional.of(T0),
            Optional.ofNullable(gossip)));
  }

  static Stream<Arguments> singleRecipient() {
    Duration fresh = Duration.ofDays(1);
    Duration stale = Duration.ofDays(36);
    return Stream.of(
        // name, peer, self preference, reply to encrypted, expected
        Arguments.of("no peer state", Optional.empty(), MUTUAL, false, DISABLE),
        Arguments.of(
            "peer seen, no key", peer(null, NOPREFERENCE, fresh, null), MUTUAL, false, DISABLE),
        Arguments.of(
            "no key, even when replying",
            peer(null, NOPREFERENCE, fresh, null),
            MUTUAL,
            true,
            DISABLE),
        Arguments.of(
            "fresh key, no preference",
            peer(KEY, NOPREFERENCE, fresh, null),
            MUTUAL,
            false,
            AVAILABLE),
        Arguments.of(
            "fresh key, peer mutual, self not",
            peer(KEY, MUTUAL, fresh, null),
            NOPREFERENCE,
            false,
            AVAILABLE),
        Arguments.of(
            "fresh key, both mutual", peer(KEY, MUTUAL, fresh, null), MUTUAL, false, ENCRYPT),
        Arguments.of(
            "35 days exactly is not stale",
            peer(KEY, MUTUAL, Duration.ofDays(35), null),
            MUTUAL,
            false,
            ENCRYPT),
        Arguments.of(
            "stale key (>35 days)", peer(KEY, MUTUAL, stale, null), MUTUAL, false, DISCOURAGE),
        Arguments.of(
            "stale key, reply to encrypted",
            peer(KEY, NOPREFERENCE, stale, null),
            NOPREFERENCE,
            true,
            ENCRYPT),
        Arguments.of(
            "fresh key, reply to encrypted",
            peer(KEY, NOPREFERENCE, fresh, null),
            NOPREFERENCE,
            true,
            ENCRYPT),
        Arguments.of(
            "gossip key only", peer(null, MUTUAL, fresh, GOSSIP), MUTUAL, false, DISCOURAGE),
        Arguments.of(
            "gossip key only, reply to encrypted",
            peer(null, MUTUAL, fresh, GOSSIP),
            MUTUAL,
            true,
            ENCRYPT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleRecipient")
  void recommendationForOneRecipient(
      String name,
      Optional<AutocryptPeer> p,
      PreferEncrypt self,
      boolean reply,
      UiRecommendation want) {
    AutocryptRecommendation r = Autocrypt.recommend("bob@example.org", p, self, reply);
    assertEquals(want, r.ui(), name);
    assertEquals(want == DISABLE, r.targetKeys().isEmpty());
  }

  @Test
  void targetKeyIsThePublicKeyBeforeTheGossipKey() {
    AutocryptRecommendation r =
        Autocrypt.recommend(
            "Bob@Example.org", peer(KEY, MUTUAL, Duration.ZERO, GOSSIP), MUTUAL, false);
    assertEquals(KEY.fingerprint(), r.targetKeys().get("bob@example.org").fingerprint());
  }

  @Test
  void unusableKeyCountsAsAbsent() throws Exception {
    Certificate revoked =
        Keys.revoke(
                Keys.generate(KeySpec.of("R <r@example.org>")).key(),
                org.sceau.openpgp.Passphrase.none())
            .certificate();
    assertFalse(revoked.status().canEncrypt());
    assertEquals(
        DISABLE,
        Autocrypt.recommend(
                "r@example.org", peer(revoked, MUTUAL, Duration.ZERO, null), MUTUAL, false)
            .ui());
    assertEquals(
        DISCOURAGE,
        Autocrypt.recommend(
                "r@example.org", peer(revoked, MUTUAL, Duration.ZERO, GOSSIP), MUTUAL, false)
            .ui());
  }

  static Stream<Arguments> aggregate() {
    Optional<AutocryptPeer> enc = peer(KEY, MUTUAL, Duration.ZERO, null);
    Optional<AutocryptPeer> avail = peer(KEY, NOPREFERENCE, Duration.ZERO, null);
    Optional<AutocryptPeer> disc = peer(KEY, MUTUAL, Duration.ofDays(40), null);
    Optional<AutocryptPeer> none = Optional.empty();
    return Stream.of(
        Arguments.of(List.of(enc, enc), ENCRYPT),
        Arguments.of(List.of(enc, avail), AVAILABLE),
        Arguments.of(List.of(enc, disc), DISCOURAGE),
        Arguments.of(List.of(avail, disc), DISCOURAGE),
        Arguments.of(List.of(enc, disc, none), DISABLE),
        Arguments.of(List.of(enc), ENCRYPT));
  }

  @ParameterizedTest
  @MethodSource("aggregate")
  void recommendationForSeveralRecipients(
      List<Optional<AutocryptPeer>> peers, UiRecommendation want) {
    Map<String, Optional<AutocryptPeer>> m = new LinkedHashMap<>();
    for (int i = 0; i < peers.size(); i++) {
      m.put("r" + i + "@example.org", peers.get(i));
    }
    assertEquals(want, Autocrypt.recommend(m, MUTUAL, false).ui());
  }

  @Test
  void updateFollowsTheSpecSteps() throws Exception {
    AutocryptHeader h = AutocryptHeader.of("bob@example.org", MUTUAL, KEY);
    AutocryptPeer p = Autocrypt.update(Optional.empty(), "Bob@example.org", T0, Optional.of(h));
    assertEquals("bob@example.org", p.addr());
    assertEquals(T0, p.lastSeen());
    assertEquals(Optional.of(T0), p.autocryptTimestamp());
    assertEquals(MUTUAL, p.preferEncrypt());
    assertEquals(KEY.fingerprint(), p.publicKey().orElseThrow().fingerprint());

    // a later mail without header: last_seen moves, key stays
    Instant later = T0.plus(Duration.ofDays(50));
    AutocryptPeer q = Autocrypt.update(Optional.of(p), "bob@example.org", later, Optional.empty());
    assertEquals(later, q.lastSeen());
    assertEquals(Optional.of(T0), q.autocryptTimestamp());
    assertEquals(
        DISCOURAGE, Autocrypt.recommend("bob@example.org", Optional.of(q), MUTUAL, false).ui());

    // an older mail than the header: nothing changes
    AutocryptHeader other = AutocryptHeader.of("bob@example.org", NOPREFERENCE, GOSSIP);
    AutocryptPeer old =
        Autocrypt.update(Optional.of(q), "bob@example.org", T0.minusSeconds(1), Optional.of(other));
    assertEquals(q, old);

    // a newer header replaces key and preference
    AutocryptPeer n =
        Autocrypt.update(
            Optional.of(q), "bob@example.org", later.plusSeconds(1), Optional.of(other));
    assertEquals(GOSSIP.fingerprint(), n.publicKey().orElseThrow().fingerprint());
    assertEquals(NOPREFERENCE, n.preferEncrypt());

    // a header whose keydata is garbage counts as absent
    AutocryptHeader junk = new AutocryptHeader("bob@example.org", MUTUAL, new byte[] {1, 2, 3});
    AutocryptPeer j =
        Autocrypt.update(
            Optional.of(n), "bob@example.org", later.plusSeconds(2), Optional.of(junk));
    assertEquals(n.publicKey(), j.publicKey());
  }

  @Test
  void gossipOnlyForListedRecipientsAndOnlyWhenNewer() throws Exception {
    AutocryptHeader g = AutocryptHeader.of("carol@example.net", NOPREFERENCE, GOSSIP);
    assertTrue(
        Autocrypt.updateFromGossip(Optional.empty(), g, List.of("bob@example.org"), T0).isEmpty());
    AutocryptPeer p =
        Autocrypt.updateFromGossip(Optional.empty(), g, List.of("Carol@example.net"), T0)
            .orElseThrow();
    assertEquals(Optional.of(T0), p.gossipTimestamp());
    assertTrue(p.publicKey().isEmpty());
    AutocryptHeader g2 = AutocryptHeader.of("carol@example.net", NOPREFERENCE, KEY);
    assertEquals(
        p,
        Autocrypt.updateFromGossip(
                Optional.of(p), g2, List.of("carol@example.net"), T0.minusSeconds(5))
            .orElseThrow());
  }

  @Test
  void effectiveDateIgnoresFutureDates() {
    Instant now = T0;
    assertEquals(now, Autocrypt.effectiveDate(Optional.of(now.plusSeconds(60)), now));
    assertEquals(
        now.minusSeconds(60), Autocrypt.effectiveDate(Optional.of(now.minusSeconds(60)), now));
    assertEquals(now, Autocrypt.effectiveDate(Optional.empty(), now));
  }
}
