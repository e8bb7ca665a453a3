package org.sceau.app.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sceau.app.rpc.Capability;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.Notifier;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.app.vault.VaultErrors;
import org.sceau.net.Outbound;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.KeyProfile;
import org.sceau.openpgp.KeySpec;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SecretKey;
import org.sceau.openpgp.discovery.DiscoveredKey;
import org.sceau.openpgp.discovery.DiscoveryAttempt;
import org.sceau.openpgp.discovery.DiscoveryResult;
import org.sceau.openpgp.discovery.KeyDiscovery;
import org.sceau.openpgp.keys.KeyRevocation;
import org.sceau.openpgp.keys.RevocationReason;
import org.sceau.openpgp.mail.Autocrypt;
import org.sceau.openpgp.mail.AutocryptHeader;
import org.sceau.openpgp.mail.AutocryptPeer;
import org.sceau.openpgp.mail.AutocryptRecommendation;
import org.sceau.openpgp.mail.AutocryptSetupMessage;
import org.sceau.openpgp.mail.Draft;
import org.sceau.openpgp.mail.InlineMail;
import org.sceau.openpgp.mail.MailAddress;
import org.sceau.openpgp.mail.MailComposer;
import org.sceau.openpgp.mail.MailException;
import org.sceau.openpgp.mail.MailReader;
import org.sceau.openpgp.mail.PreferEncrypt;
import org.sceau.openpgp.mail.ReadMail;
import org.sceau.vault.Record;
import org.sceau.vault.Vault;
import org.sceau.vault.VaultException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenPGP keys and encrypted mail as the helper serves them, with all state in the vault.
 *
 * <p>{@code keys.generate {userId, profile?}}, {@code keys.list}, {@code keys.import {armored}},
 * {@code keys.export {fingerprint}} (public only), {@code keys.status {email} | {emails[]}}
 * (verified / unverified / none), {@code keys.verify {fingerprint}}, {@code keys.delete
 * {fingerprint, secret?}}, {@code keys.exportSecret} / {@code keys.importSecret} (passphrase-
 * protected backup), {@code keys.revoke}, {@code keys.discover {email}} (WKD, VKS, HKP; found keys
 * stored unverified), {@code keys.autocryptSetupMessage} / {@code keys.importAutocryptSetup}.
 *
 * <p>{@code mail.encrypt {draft}} (RFC 3156 message, base64), {@code mail.encryptInline {draft}}
 * (the inline fallback), {@code mail.decrypt {raw}}, {@code mail.verify {raw}}, {@code
 * mail.autocrypt.process {raw}}, {@code mail.recommend {from, recipients[]}}, {@code
 * mail.setAutocryptPreference}, {@code mail.setSmtpAccount} / {@code mail.smtpAccounts} / {@code
 * mail.deleteSmtpAccount}, {@code mail.sign {draft}} / {@code mail.signInline {draft}} (signed
 * only), {@code mail.setSmtpPassword {host, user, password}}, {@code mail.send {draft, smtp?}}.
 * docs/rpc.md has the params, results and errors.
 *
 * <p>A secret key leaves the helper only protected: under a passphrase the user chose ({@code
 * keys.exportSecret}) or a setup code shown once ({@code keys.autocryptSetupMessage}). Every
 * connection (SMTP, key discovery) goes through the {@link Outbound} given. Nothing here logs
 * addresses, subjects, bodies or keys; only counts and error codes.
 */
public final class MailCapability implements Capability {
  private static final Logger LOG = LoggerFactory.getLogger(MailCapability.class);

  /** Autocrypt peer state, by lower-case address. */
  static final String PEERS = "mail.autocrypt.peers";

  /** SMTP passwords, by {@code user@host}. */
  static final String SMTP = "mail.smtp.passwords";

  /** SMTP server settings, by lower-case sender address. */
  static final String ACCOUNTS = "mail.smtp.accounts";

  /** The user's own Autocrypt prefer-encrypt setting, by lower-case sender address. */
  static final String SELF = "mail.autocrypt.self";

  /** Shortest passphrase accepted for a secret-key backup. */
  static final int MIN_BACKUP_PASSPHRASE = 8;

  static final int MAX_ARMORED_CHARS = 4 * 1024 * 1024;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vault vault;
  private final VaultKeyRing ring;
  private final SmtpSubmission smtp;
  private final KeyDiscovery discovery;
  private final Clock clock;

  public MailCapability(Vault vault) {
    this(vault, Outbound.direct());
  }

  /** Every connection (SMTP, key discovery) goes through {@code outbound}. */
  public MailCapability(Vault vault, Outbound outbound) {
    this(
        vault,
        SmtpSubmission.withPlatformTrust(outbound),
        KeyDiscovery.builder().outbound(outbound).build(),
        Clock.systemUTC());
  }

  MailCapability(Vault vault, SmtpSubmission smtp, Clock clock) {
    this(vault, smtp, KeyDiscovery.builder().outbound(Outbound.direct()).build(), clock);
  }

  MailCapability(Vault vault, SmtpSubmission smtp, KeyDiscovery discovery, Clock clock) {
    this.vault = vault;
    this.ring = new VaultKeyRing(vault);
    this.smtp = smtp;
    this.discovery = discovery;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "mail";
  }

  @Override
  public JsonNode status() {
    return Json.object().put("state", vault.isUnlocked() ? "ready" : "locked");
  }

  @FunctionalInterface
  private interface Body {
    JsonNode run(JsonNode params)
        throws RpcException, OpenPgpException, MailException, VaultException;
  }

  /** Every method: locked vault first, then the libraries' typed errors as RPC errors. */
  private void method(MethodRegistry registry, String name, Body body) {
    registry.register(
        name,
        (caller, p) -> {
          if (!vault.isUnlocked()) {
            throw VaultErrors.toRpc(
                new VaultException(
                    VaultException.Code.VAULT_LOCKED, "The vault is locked: unlock it first."));
          }
          try {
            return body.run(p);
          } catch (OpenPgpException e) {
            LOG.info("{} refused: {}", name, e.code());
            throw MailErrors.toRpc(e);
          } catch (MailException e) {
            LOG.info("{} refused: {}", name, e.code());
            throw MailErrors.toRpc(e);
          } catch (VaultException e) {
            throw VaultErrors.toRpc(e);
          } catch (VaultKeyRing.StorageFailure e) {
            throw VaultErrors.toRpc(e.vaultException());
          }
        });
  }

  @Override
  public void register(MethodRegistry registry, Notifier notifier) {
    method(registry, "keys.generate", this::generate);
    method(registry, "keys.list", p -> list());
    method(registry, "keys.import", this::importKeys);
    method(registry, "keys.export", this::export);
    method(registry, "keys.status", this::keyStatus);
    method(registry, "keys.verify", this::verify);
    method(registry, "keys.delete", this::delete);
    method(registry, "mail.encrypt", this::encrypt);
    method(registry, "mail.decrypt", this::decrypt);
    method(registry, "mail.verify", this::verifyMail);
    method(registry, "mail.autocrypt.process", this::processAutocrypt);
    method(registry, "mail.recommend", this::recommend);
    method(registry, "mail.setSmtpPassword", this::setSmtpPassword);
    method(registry, "mail.send", this::send);
    method(registry, "mail.setSmtpAccount", this::setSmtpAccount);
    method(registry, "mail.smtpAccounts", p -> smtpAccounts());
    method(registry, "mail.deleteSmtpAccount", this::deleteSmtpAccount);
    method(registry, "mail.encryptInline", this::encryptInline);
    method(registry, "mail.setAutocryptPreference", this::setAutocryptPreference);
    method(registry, "keys.exportSecret", this::exportSecret);
    method(registry, "keys.importSecret", this::importSecret);
    method(registry, "keys.revoke", this::revoke);
    method(registry, "keys.discover", this::discover);
    method(registry, "keys.autocryptSetupMessage", this::setupMessage);
    method(registry, "keys.importAutocryptSetup", this::importSetup);
    method(registry, "mail.sign", this::sign);
    method(registry, "mail.signInline", this::signInline);
  }

  // ---------------------------------------------------------------- keys.*

  private JsonNode generate(JsonNode p) throws RpcException, OpenPgpException {
    String userId = MailJson.text(p, "userId", 500);
    if (!userId.matches("(?s).*\\S+@\\S+.*")) {
      throw MailJson.invalid(
          "The user ID needs a mail address, e.g. \"Alice <alice@example.org>\".");
    }
    KeyProfile profile = KeyProfile.CURVE25519;
    Optional<String> pn = MailJson.optionalText(p, "profile", 40);
    if (pn.isPresent()) {
      try {
        profile = KeyProfile.valueOf(pn.get().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw MailJson.invalid(
            "Unknown key profile; use one of " + Arrays.toString(KeyProfile.values()));
      }
    }
    SecretKey key = ring.generate(KeySpec.of(userId).withProfile(profile));
    LOG.info("key generated ({})", profile);
    return MailJson.certificate(key.certificate(), true, true)
        .put("certificate", MailJson.armored(key.certificate()));
  }

  private JsonNode list() {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (Certificate c : ring.certificates()) {
      a.add(
          MailJson.certificate(
              c, ring.hasSecretKey(c.fingerprint()), ring.isVerified(c.fingerprint())));
    }
    return Json.object().set("keys", a);
  }

  private JsonNode importKeys(JsonNode p) throws RpcException, OpenPgpException {
    String armored = MailJson.text(p, "armored", MAX_ARMORED_CHARS);
    if (armored.contains("PRIVATE KEY BLOCK")) {
      throw MailJson.invalid(
          "This is a secret key. Only public certificates are imported here (a secret key moves"
              + " between devices with the vault backup).");
    }
    List<Certificate> certs =
        Keys.readCertificates(new ByteArrayInputStream(armored.getBytes(StandardCharsets.UTF_8)));
    if (certs.isEmpty()) {
      throw MailErrors.toRpc(
          new OpenPgpException(
              OpenPgpError.MALFORMED_KEY, "No certificate was found in the text."));
    }
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (Certificate c : certs) {
      boolean known = ring.certificate(c.fingerprint()).isPresent();
      Certificate merged = ring.addCertificate(c);
      a.add(
          MailJson.certificate(
                  merged,
                  ring.hasSecretKey(merged.fingerprint()),
                  ring.isVerified(merged.fingerprint()))
              .put("updated", known));
    }
    LOG.info("{} certificate(s) imported", certs.size());
    return Json.object().set("keys", a);
  }

  private JsonNode export(JsonNode p) throws RpcException, OpenPgpException {
    String fp = MailJson.fingerprint(p);
    Certificate c = ring.certificate(fp).orElseThrow(() -> keyNotFound());
    return Json.object().put("fingerprint", fp).put("armored", MailJson.armored(c));
  }

  /** An optional boolean parameter; anything but true/false is refused. */
  private static boolean flag(JsonNode p, String name, boolean absent) throws RpcException {
    JsonNode v = p.get(name);
    if (v == null || v.isNull()) {
      return absent;
    }
    if (!v.isBoolean()) {
      throw MailJson.invalid("Give " + name + " as true or false.");
    }
    return v.booleanValue();
  }

  private static RpcException keyNotFound() {
    return new RpcException(MailErrors.KEY_NOT_FOUND, "No key with that fingerprint is in Sceau.");
  }

  private JsonNode verify(JsonNode p) throws RpcException, OpenPgpException, VaultException {
    String fp = MailJson.fingerprint(p);
    if (!flag(p, "verified", true)) {
      if (ring.certificate(fp).isEmpty()) {
        throw keyNotFound();
      }
      ring.unmarkVerified(fp);
      // An own key (one with its secret key here) is always verified.
      return Json.object().put("fingerprint", fp).put("verified", ring.isVerified(fp));
    }
    if (ring.certificate(fp).isEmpty()) {
      // A key known only from Autocrypt becomes a key-ring entry once the user confirms it.
      Certificate seen = null;
      for (Record r : vault.store(PEERS).list("", Integer.MAX_VALUE)) {
        AutocryptPeer peer = MailJson.decodePeer(r.value());
        for (Optional<Certificate> c : List.of(peer.publicKey(), peer.gossipKey())) {
          if (c.isPresent() && c.get().fingerprint().equals(fp)) {
            seen = c.get();
          }
        }
      }
      if (seen == null) {
        throw keyNotFound();
      }
      ring.addCertificate(seen);
    }
    ring.markVerified(fp);
    return Json.object().put("fingerprint", fp).put("verified", true);
  }

  private JsonNode delete(JsonNode p) throws RpcException {
    String fp = MailJson.fingerprint(p);
    boolean withSecret = p.path("secret").asBoolean(false);
    if (ring.hasSecretKey(fp) && !withSecret) {
      throw MailJson.invalid(
          "This is one of your own keys. Deleting it makes mail encrypted to it unreadable; pass"
              + " secret: true to delete it anyway.");
    }
    if (!ring.delete(fp, withSecret)) {
      throw keyNotFound();
    }
    LOG.info("key deleted (secret: {})", withSecret);
    return Json.object().put("fingerprint", fp).put("deleted", true);
  }

  private JsonNode keyStatus(JsonNode p) throws RpcException, VaultException {
    if (p.has("emails")) {
      JsonNode e = p.get("emails");
      if (!e.isArray() || e.size() > MailJson.MAX_RECIPIENTS) {
        throw MailJson.invalid(
            "The emails must be a list of at most " + MailJson.MAX_RECIPIENTS + ".");
      }
      ArrayNode a = Json.MAPPER.createArrayNode();
      for (JsonNode n : e) {
        a.add(statusOf(MailJson.address(n, "emails").address()));
      }
      return Json.object().set("statuses", a);
    }
    return statusOf(MailJson.address(p.get("email"), "email").address());
  }

  /** The add-on's per-recipient badge: a usable key, confirmed by the user or not, or none. */
  private ObjectNode statusOf(String email) throws VaultException {
    ObjectNode o = Json.object().put("email", email);
    Optional<Recipient> r = recipientKey(email);
    if (r.isEmpty()) {
      return o.put("status", "none");
    }
    return o.put("status", r.get().verified() ? "verified" : "unverified")
        .put("fingerprint", r.get().cert().fingerprint())
        .put("source", r.get().source());
  }

  private record Recipient(Certificate cert, boolean verified, String source) {}

  /**
   * The key to encrypt to for {@code email}: a usable certificate from the key ring (a verified one
   * first), else the Autocrypt key (or gossip key) seen for that address.
   */
  private Optional<Recipient> recipientKey(String email) throws VaultException {
    Recipient best = null;
    for (Certificate c : ring.certificatesFor(email)) {
      if (!c.status().canEncrypt() || c.status().problem().isPresent()) {
        continue;
      }
      boolean v = ring.isVerified(c.fingerprint());
      if (best == null || (v && !best.verified())) {
        best = new Recipient(c, v, "keyring");
      }
    }
    if (best != null) {
      return Optional.of(best);
    }
    Optional<AutocryptPeer> peer = peer(email);
    AutocryptRecommendation rec =
        Autocrypt.recommend(email, peer, PreferEncrypt.NOPREFERENCE, false);
    return rec.targetKeys().values().stream()
        .findFirst()
        .map(c -> new Recipient(c, ring.isVerified(c.fingerprint()), "autocrypt"));
  }

  /** A passphrase-protected backup of an own secret key (restored with keys.importSecret). */
  private JsonNode exportSecret(JsonNode p) throws RpcException, OpenPgpException {
    String fp = MailJson.fingerprint(p);
    String pass = MailJson.text(p, "passphrase", 1000);
    if (pass.length() < MIN_BACKUP_PASSPHRASE) {
      throw MailJson.invalid(
          "The backup passphrase must have at least "
              + MIN_BACKUP_PASSPHRASE
              + " characters: anyone with the file can try to guess it.");
    }
    if (!ring.hasSecretKey(fp)) {
      throw keyNotFound();
    }
    Passphrase backup = Passphrase.of(pass);
    byte[] armored;
    try {
      armored = ring.exportSecret(fp, backup);
    } finally {
      backup.destroy();
    }
    LOG.info("secret key exported as a protected backup");
    return Json.object()
        .put("fingerprint", fp)
        .put("armored", new String(armored, StandardCharsets.US_ASCII));
  }

  /** Restores secret keys from a backup (or another client), under a new random passphrase. */
  private JsonNode importSecret(JsonNode p) throws RpcException, OpenPgpException {
    String armored = MailJson.text(p, "armored", MAX_ARMORED_CHARS);
    Passphrase pass = Passphrase.of(MailJson.optionalText(p, "passphrase", 1000).orElse(null));
    List<SecretKey> keys;
    try {
      keys =
          Keys.readSecretKeys(new ByteArrayInputStream(armored.getBytes(StandardCharsets.UTF_8)));
    } catch (OpenPgpException e) {
      throw MailErrors.toRpc(
          new OpenPgpException(
              OpenPgpError.MALFORMED_KEY, "No secret key was found in the text (a public key?)."));
    }
    if (keys.isEmpty()) {
      throw MailErrors.toRpc(
          new OpenPgpException(OpenPgpError.MALFORMED_KEY, "No secret key was found in the text."));
    }
    ArrayNode a = Json.MAPPER.createArrayNode();
    try {
      for (SecretKey k : keys) {
        boolean known = ring.hasSecretKey(k.fingerprint());
        SecretKey stored = ring.importSecret(k, pass);
        Certificate c = ring.certificate(stored.fingerprint()).orElse(stored.certificate());
        a.add(MailJson.certificate(c, true, true).put("updated", known));
      }
    } finally {
      pass.destroy();
    }
    LOG.info("{} secret key(s) imported", keys.size());
    return Json.object().set("keys", a);
  }

  /** Revokes an own key; the result carries the revoked certificate to publish. */
  private JsonNode revoke(JsonNode p) throws RpcException, OpenPgpException {
    String fp = MailJson.fingerprint(p);
    String rn = MailJson.optionalText(p, "reason", 40).orElse("retired");
    RevocationReason reason;
    try {
      reason = RevocationReason.valueOf(rn.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw MailJson.invalid(
          "The reason is one of retired, superseded, compromised or unspecified.");
    }
    String note = MailJson.optionalText(p, "description", 500).orElse("");
    Optional<SecretKey> key = ring.secretKey(fp);
    if (key.isEmpty()) {
      if (ring.certificate(fp).isPresent()) {
        throw MailJson.invalid(
            "Only your own keys can be revoked here; a correspondent's revocation arrives as an"
                + " updated certificate (keys.import).");
      }
      throw keyNotFound();
    }
    Passphrase pass = ring.passphraseFor(fp);
    SecretKey revoked;
    try {
      revoked = KeyRevocation.revoke(key.get(), pass, reason, note);
    } finally {
      pass.destroy();
    }
    ring.replaceSecret(revoked);
    Certificate c = ring.certificate(fp).orElseThrow();
    LOG.info("own key revoked ({})", reason);
    return MailJson.certificate(c, true, true)
        .put("revoked", c.status().problem().map(pr -> pr.contains("revoked")).orElse(false))
        .put("certificate", MailJson.armored(c));
  }

  /**
   * An Autocrypt Setup Message for an own key: the mail to send to oneself, and the code to show
   * (only) to the user.
   */
  private JsonNode setupMessage(JsonNode p)
      throws RpcException, OpenPgpException, MailException, VaultException {
    String fp = MailJson.fingerprint(p);
    SecretKey key = ring.secretKey(fp).orElseThrow(MailCapability::keyNotFound);
    String address = null;
    for (String uid : key.certificate().userIds()) {
      int lt = uid.lastIndexOf('<');
      int gt = uid.lastIndexOf('>');
      String a = lt >= 0 && gt > lt ? uid.substring(lt + 1, gt) : uid;
      if (a.contains("@")) {
        address = a.strip();
        break;
      }
    }
    if (address == null) {
      throw MailJson.invalid("This key has no user ID with a mail address.");
    }
    Passphrase pass = ring.passphraseFor(fp);
    AutocryptSetupMessage.Export e;
    try {
      e = AutocryptSetupMessage.create(key, pass, address, selfPreference(address));
    } finally {
      pass.destroy();
    }
    LOG.info("Autocrypt setup message made");
    return Json.object()
        .put("fingerprint", fp)
        .put("setupCode", e.setupCode())
        .put("message", Base64.getEncoder().encodeToString(e.message()));
  }

  /** Imports the key from an Autocrypt Setup Message (another client's, or ours). */
  private JsonNode importSetup(JsonNode p) throws RpcException, OpenPgpException, MailException {
    byte[] message = MailJson.base64(p, "message");
    String code = MailJson.text(p, "setupCode", 100);
    SecretKey key = AutocryptSetupMessage.read(message, code);
    boolean known = ring.hasSecretKey(key.fingerprint());
    SecretKey stored = ring.importSecret(key, Passphrase.none());
    Certificate c = ring.certificate(stored.fingerprint()).orElse(stored.certificate());
    LOG.info("secret key imported from an Autocrypt setup message");
    ObjectNode o = Json.object();
    o.putArray("keys").add(MailJson.certificate(c, true, true).put("updated", known));
    return o;
  }

  /**
   * Looks an address up (WKD, then key servers); what is found is stored unverified, for the user
   * to confirm with keys.verify.
   */
  private JsonNode discover(JsonNode p) throws RpcException, OpenPgpException {
    String email = MailJson.address(p.get("email"), "email").address();
    DiscoveryResult r;
    try {
      r = discovery.discover(email);
    } catch (IllegalArgumentException e) {
      throw MailJson.invalid("The address has no usable domain name.");
    }
    ObjectNode o = Json.object().put("email", email);
    ArrayNode keys = o.putArray("keys");
    for (DiscoveredKey k : r.keys()) {
      boolean known = ring.certificate(k.certificate().fingerprint()).isPresent();
      Certificate merged = ring.addCertificate(k.certificate());
      keys.add(
          MailJson.certificate(
                  merged,
                  ring.hasSecretKey(merged.fingerprint()),
                  ring.isVerified(merged.fingerprint()))
              .put("source", k.source().name())
              .put("url", k.url())
              .put("updated", known));
    }
    ArrayNode attempts = o.putArray("attempts");
    for (DiscoveryAttempt a : r.attempts()) {
      attempts
          .addObject()
          .put("source", a.source().name())
          .put("url", a.url())
          .put("outcome", a.outcome().name())
          .put("detail", a.detail());
    }
    o.put("reached", !r.nothingReached());
    LOG.info("key discovery: {} key(s) after {} lookup(s)", r.keys().size(), r.attempts().size());
    return o;
  }

  // ---------------------------------------------------------------- mail.*

  private Optional<AutocryptPeer> peer(String addr) throws VaultException {
    return vault
        .store(PEERS)
        .get(addr.toLowerCase(Locale.ROOT))
        .map(r -> MailJson.decodePeer(r.value()));
  }

  private void savePeer(AutocryptPeer p) throws VaultException, OpenPgpException {
    vault.store(PEERS).put(p.addr().toLowerCase(Locale.ROOT), MailJson.encodePeer(p));
  }

  /** The sender's own secret key: one whose certificate names the From address and can sign. */
  private SecretKey identityKey(String from) throws RpcException {
    for (SecretKey k : ring.secretKeys()) {
      Certificate c = k.certificate();
      if (!c.status().canSign() || c.status().problem().isPresent()) {
        continue;
      }
      for (String uid : c.userIds()) {
        String u = uid.toLowerCase(Locale.ROOT);
        String f = from.toLowerCase(Locale.ROOT);
        if (u.contains("<" + f + ">") || u.equals(f)) {
          return k;
        }
      }
    }
    throw new RpcException(
        MailErrors.NO_SECRET_KEY,
        "Sceau has no usable key for the sender address. Generate one (keys.generate) first.");
  }

  /** The finished message and what went into it. */
  private record Composed(byte[] message, String messageId, Draft draft) {}

  private Composed compose(JsonNode p)
      throws RpcException, OpenPgpException, MailException, VaultException {
    Draft d = MailJson.draft(p);
    MailComposer.Builder b = composer(d);
    String from = d.from().address();
    String messageId = d.messageId().orElseGet(() -> newMessageId(from));
    Draft withId = d.withMessageId(messageId, clock.instant());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.build().writeEncrypted(withId, out);
    return new Composed(out.toByteArray(), messageId, withId);
  }

  private static byte[] encrypted(MailComposer composer, Draft d)
      throws MailException, OpenPgpException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    composer.writeEncrypted(d, out);
    return out.toByteArray();
  }

  /**
   * The composer for {@code d}: the sender's key and a key for every recipient, or typed errors.
   */
  private MailComposer.Builder composer(Draft d) throws RpcException, VaultException {
    String from = d.from().address();
    SecretKey key = identityKey(from);
    MailComposer.Builder b =
        MailComposer.builder()
            .signWith(key, ring.passphraseFor(key.fingerprint()))
            .autocrypt(selfPreference(from));
    List<String> missing = new ArrayList<>();
    for (MailAddress r : d.allRecipients()) {
      if (r.address().equalsIgnoreCase(from)) {
        b.recipientKey(r.address(), key.certificate());
        continue;
      }
      Optional<Recipient> k = recipientKey(r.address());
      if (k.isPresent()) {
        b.recipientKey(r.address(), k.get().cert());
      } else {
        missing.add(r.address());
      }
    }
    if (!missing.isEmpty()) {
      ObjectNode data = Json.object();
      ArrayNode a = data.putArray("addresses");
      missing.forEach(a::add);
      throw MailErrors.noKeyForRecipient(
          "Sceau has no usable key for "
              + missing.size()
              + " recipient(s). Import their keys or"
              + " ask them for a mail with an Autocrypt header.",
          data);
    }
    return b;
  }

  private static String newMessageId(String from) {
    byte[] r = new byte[16];
    RANDOM.nextBytes(r);
    String domain = from.substring(from.lastIndexOf('@') + 1);
    return HexFormat.of().formatHex(r) + "@" + domain;
  }

  private JsonNode encrypt(JsonNode p)
      throws RpcException, OpenPgpException, MailException, VaultException {
    Composed c = compose(p);
    LOG.info("mail encrypted for {} recipient(s)", c.draft().allRecipients().size());
    return Json.object()
        .put("messageId", "<" + c.messageId() + ">")
        .put("message", Base64.getEncoder().encodeToString(c.message()));
  }

  /**
   * The inline-PGP fallback for sending through Thunderbird itself: the body armored, each
   * attachment as its own {@code .pgp} file.
   */
  private JsonNode encryptInline(JsonNode p)
      throws RpcException, OpenPgpException, MailException, VaultException {
    Draft d = MailJson.draft(p);
    InlineMail m = composer(d).build().encryptInline(d);
    ObjectNode o = Json.object().put("text", m.text());
    ArrayNode a = o.putArray("attachments");
    for (InlineMail.EncryptedFile f : m.attachments()) {
      a.addObject()
          .put("fileName", f.fileName())
          .put("mediaType", f.mediaType())
          .put("data", Base64.getEncoder().encodeToString(f.data()));
    }
    LOG.info("inline mail encrypted for {} recipient(s)", d.allRecipients().size());
    return o;
  }

  /** The composer for a signed-only message: the sender's key, no recipient keys needed. */
  private MailComposer signer(Draft d) throws RpcException, VaultException, MailException {
    String from = d.from().address();
    SecretKey key = identityKey(from);
    return MailComposer.builder()
        .signWith(key, ring.passphraseFor(key.fingerprint()))
        .autocrypt(selfPreference(from))
        .build();
  }

  private static byte[] signed(MailComposer composer, Draft d)
      throws MailException, OpenPgpException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    composer.writeSigned(d, out);
    return out.toByteArray();
  }

  /** RFC 3156 multipart/signed, readable by everyone, verifiable with the sender's key. */
  private JsonNode sign(JsonNode p)
      throws RpcException, OpenPgpException, MailException, VaultException {
    Draft d = MailJson.draft(p);
    String messageId = d.messageId().orElseGet(() -> newMessageId(d.from().address()));
    Draft withId = d.withMessageId(messageId, clock.instant());
    byte[] message = signed(signer(withId), withId);
    LOG.info("mail signed");
    return Json.object()
        .put("messageId", "<" + messageId + ">")
        .put("message", Base64.getEncoder().encodeToString(message));
  }

  /** The signed-only fallback through Thunderbird: the text body cleartext-signed. */
  private JsonNode signInline(JsonNode p)
      throws RpcException, OpenPgpException, MailException, VaultException {
    Draft d = MailJson.draft(p);
    String text = signer(d).signInline(d);
    LOG.info("inline mail signed");
    return Json.object().put("text", text);
  }

  private MailReader reader() throws VaultException {
    MailReader.Builder b = MailReader.builder();
    for (SecretKey k : ring.secretKeys()) {
      b.withKey(k, ring.passphraseFor(k.fingerprint()));
    }
    return b.verifyWith(verifiers()).build();
  }

  private JsonNode decrypt(JsonNode p)
      throws RpcException, OpenPgpException, MailException, VaultException {
    byte[] raw = MailJson.base64(p, "raw");
    ReadMail m = reader().read(raw);
    LOG.info("mail read: {} {}", m.kind(), m.signatureStatus());
    return MailJson.readMail(m, ring);
  }

  /**
   * The signature verdict of a received message without decrypting anything: for signed-only mail
   * (PGP/MIME signed, or a signed inline message). Encrypted mail is for mail.decrypt.
   */
  private JsonNode verifyMail(JsonNode p)
      throws RpcException, OpenPgpException, MailException, VaultException {
    byte[] raw = MailJson.base64(p, "raw");
    ReadMail m = verifier().read(raw);
    LOG.info("mail verified: {} {}", m.kind(), m.signatureStatus());
    ObjectNode o = MailJson.readMail(m, ring);
    return o.put("signed", m.signatureStatus() != org.sceau.openpgp.SignatureStatus.NOT_SIGNED);
  }

  /** Verifies against the key ring and Autocrypt keys, with no secret key: it cannot decrypt. */
  private MailReader verifier() throws VaultException {
    return MailReader.builder().verifyWith(verifiers()).build();
  }

  private List<Certificate> verifiers() throws VaultException {
    List<Certificate> verifiers = new ArrayList<>(ring.certificates());
    for (Record r : vault.store(PEERS).list("", Integer.MAX_VALUE)) {
      AutocryptPeer peer = MailJson.decodePeer(r.value());
      peer.publicKey().ifPresent(verifiers::add);
      peer.gossipKey().ifPresent(verifiers::add);
    }
    return verifiers;
  }

  /**
   * The spec's peer-state update from a received message: the outer Autocrypt header always, the
   * gossip inside the encryption when the message can be decrypted.
   */
  private JsonNode processAutocrypt(JsonNode p)
      throws RpcException, OpenPgpException, VaultException {
    byte[] raw = MailJson.base64(p, "raw");
    // An mbox "From " line (as some raw sources carry) is not a header field.
    int start = 0;
    if (raw.length > 5 && new String(raw, 0, 5, StandardCharsets.US_ASCII).equals("From ")) {
      while (start < raw.length && raw[start] != '\n') {
        start++;
      }
      start = Math.min(start + 1, raw.length);
    }
    InternetHeaders h;
    try {
      h = new InternetHeaders(new ByteArrayInputStream(raw, start, raw.length - start));
    } catch (MessagingException | RuntimeException e) {
      throw MailErrors.toRpc(
          new MailException(
              org.sceau.openpgp.mail.MailError.MALFORMED_MAIL,
              "The message headers cannot be read."));
    }
    List<MailAddress> from;
    try {
      from = MailAddress.parseList(String.join(",", values(h, "From")));
    } catch (MailException e) {
      throw MailErrors.toRpc(e);
    }
    Optional<String> autoSubmitted = Optional.ofNullable(h.getHeader("Auto-Submitted", ","));
    String contentType = Optional.ofNullable(h.getHeader("Content-Type", ",")).orElse("text/plain");
    ObjectNode result = Json.object();
    ArrayNode updated = result.putArray("updated");
    if (Autocrypt.ignores(autoSubmitted, contentType, from.size())) {
      return result.put("ignored", true);
    }
    Instant received = clock.instant();
    Optional<Instant> date = Optional.empty();
    String dh = h.getHeader("Date", null);
    if (dh != null) {
      try {
        date = Optional.of(new MailDateFormat().parse(dh).toInstant());
      } catch (ParseException | RuntimeException e) {
        // An unreadable Date counts as missing: the time of receipt is used.
      }
    }
    Instant effective = Autocrypt.effectiveDate(date, received);
    String sender = from.get(0).canonical();
    Optional<AutocryptHeader> header = Autocrypt.selectHeader(values(h, "Autocrypt"), sender);
    AutocryptPeer next = Autocrypt.update(peer(sender), sender, effective, header);
    savePeer(next);
    updated.add(sender);
    // Gossip is only trusted from inside the encryption, so it needs the decrypted message.
    try {
      ReadMail m = reader().read(raw);
      if (m.encrypted() && !m.gossip().isEmpty()) {
        List<String> recipients = new ArrayList<>();
        for (String f : List.of("to", "cc", "reply-to")) {
          List<String> vals =
              m.protectedHeaders()
                  .map(ph -> ph.fields().getOrDefault(f, List.of()))
                  .filter(l -> !l.isEmpty())
                  .orElse(m.outerHeaders().getOrDefault(f, List.of()));
          for (String v : vals) {
            MailAddress.parseList(v).forEach(a -> recipients.add(a.canonical()));
          }
        }
        for (AutocryptHeader g : m.gossip()) {
          String addr = g.addr().toLowerCase(Locale.ROOT);
          if (addr.equals(sender)) {
            continue;
          }
          Optional<AutocryptPeer> cur = peer(addr);
          Optional<AutocryptPeer> after = Autocrypt.updateFromGossip(cur, g, recipients, effective);
          if (after.isPresent() && !after.equals(cur)) {
            savePeer(after.get());
            updated.add(addr);
          }
        }
      }
    } catch (MailException | OpenPgpException e) {
      // Not decryptable here: the outer header alone was processed.
      result.put("gossip", "unavailable");
    }
    LOG.info("autocrypt state updated for {} address(es)", updated.size());
    return result.put("ignored", false);
  }

  private static List<String> values(InternetHeaders h, String name) {
    String[] v = h.getHeader(name);
    return v == null ? List.of() : Arrays.asList(v);
  }

  private JsonNode recommend(JsonNode p) throws RpcException, VaultException {
    PreferEncrypt self = selfPreference(MailJson.address(p.get("from"), "from").address());
    List<MailAddress> rcpts = MailJson.addresses(p, "recipients");
    if (rcpts.isEmpty()) {
      throw MailJson.invalid("Give the recipients.");
    }
    boolean replyToEncrypted = p.path("replyToEncrypted").asBoolean(false);
    Map<String, Optional<AutocryptPeer>> peers = new LinkedHashMap<>();
    for (MailAddress a : rcpts) {
      peers.put(a.canonical(), peer(a.canonical()));
    }
    AutocryptRecommendation all = Autocrypt.recommend(peers, self, replyToEncrypted);
    ObjectNode o = Json.object().put("ui", all.ui().name().toLowerCase(Locale.ROOT));
    ArrayNode a = o.putArray("recipients");
    for (Map.Entry<String, Optional<AutocryptPeer>> e : peers.entrySet()) {
      AutocryptRecommendation one =
          Autocrypt.recommend(e.getKey(), e.getValue(), self, replyToEncrypted);
      ObjectNode r =
          a.addObject()
              .put("address", e.getKey())
              .put("ui", one.ui().name().toLowerCase(Locale.ROOT));
      one.targetKeys().values().stream()
          .findFirst()
          .ifPresent(c -> r.put("fingerprint", c.fingerprint()));
    }
    return o;
  }

  /** The sender's own prefer-encrypt setting (the spec's default, no preference, until set). */
  private PreferEncrypt selfPreference(String address) throws VaultException {
    Optional<Record> r = vault.store(SELF).get(address.toLowerCase(Locale.ROOT));
    return r.isPresent() && new String(r.get().value(), StandardCharsets.US_ASCII).equals("mutual")
        ? PreferEncrypt.MUTUAL
        : PreferEncrypt.NOPREFERENCE;
  }

  private JsonNode setAutocryptPreference(JsonNode p) throws RpcException, VaultException {
    MailAddress a = MailJson.address(p.get("address"), "address");
    String pe = MailJson.text(p, "preferEncrypt", 20).toLowerCase(Locale.ROOT);
    if (!pe.equals("mutual") && !pe.equals("nopreference")) {
      throw MailJson.invalid("preferEncrypt is mutual or nopreference.");
    }
    vault.store(SELF).put(a.canonical(), pe.getBytes(StandardCharsets.US_ASCII));
    return Json.object().put("address", a.address()).put("preferEncrypt", pe);
  }

  // ---------------------------------------------------------------- SMTP

  private static String smtpKey(String host, String user) {
    return user + "@" + host.toLowerCase(Locale.ROOT);
  }

  private JsonNode setSmtpPassword(JsonNode p) throws RpcException, VaultException {
    String host = MailJson.text(p, "host", 255);
    String user = MailJson.text(p, "user", 500);
    String password = MailJson.text(p, "password", 1000);
    vault.store(SMTP).put(smtpKey(host, user), password.getBytes(StandardCharsets.UTF_8));
    LOG.info("SMTP password stored");
    return Json.object().put("host", host).put("user", user).put("stored", true);
  }

  private SmtpSubmission.Settings smtpSettings(JsonNode p) throws RpcException {
    JsonNode s = p.get("smtp");
    if (s == null || !s.isObject()) {
      throw MailJson.invalid("Give the smtp settings: {host, port, security, user}.");
    }
    return settings(s);
  }

  private static SmtpSubmission.Settings settings(JsonNode s) throws RpcException {
    String host = MailJson.text(s, "host", 255);
    if (!host.matches("[A-Za-z0-9.\\-:\\[\\]]+")) {
      throw MailJson.invalid("The SMTP host is not a host name.");
    }
    JsonNode port = s.get("port");
    if (port == null
        || !port.isIntegralNumber()
        || port.intValue() < 1
        || port.intValue() > 65535) {
      throw MailJson.invalid("The SMTP port must be a number from 1 to 65535.");
    }
    String sec = MailJson.text(s, "security", 20).toLowerCase(Locale.ROOT);
    SmtpSubmission.Security security =
        switch (sec) {
          case "starttls" -> SmtpSubmission.Security.STARTTLS;
          case "tls", "ssl" -> SmtpSubmission.Security.TLS;
          default -> throw MailJson.invalid("The SMTP security is starttls or tls.");
        };
    return new SmtpSubmission.Settings(
        host, port.intValue(), security, MailJson.text(s, "user", 500));
  }

  /** Stores the SMTP settings of one sender address (and its password, when given). */
  private JsonNode setSmtpAccount(JsonNode p) throws RpcException, VaultException {
    MailAddress address = MailJson.address(p.get("address"), "address");
    SmtpSubmission.Settings s = settings(p);
    Optional<String> password = MailJson.optionalText(p, "password", 1000);
    ObjectNode rec =
        Json.object()
            .put("address", address.address())
            .put("host", s.host())
            .put("port", s.port())
            .put("security", s.security().name().toLowerCase(Locale.ROOT))
            .put("user", s.user());
    byte[] recBytes = rec.toString().getBytes(StandardCharsets.UTF_8);
    byte[] pwBytes = password.map(x -> x.getBytes(StandardCharsets.UTF_8)).orElse(null);
    try {
      vault.inTransaction(
          tx -> {
            tx.store(ACCOUNTS).put(address.canonical(), recBytes);
            if (pwBytes != null) {
              tx.store(SMTP).put(smtpKey(s.host(), s.user()), pwBytes);
            }
            return null;
          });
    } finally {
      if (pwBytes != null) {
        Arrays.fill(pwBytes, (byte) 0);
      }
    }
    LOG.info("SMTP account stored (password given: {})", password.isPresent());
    return accountJson(rec);
  }

  private ObjectNode accountJson(JsonNode rec) throws VaultException {
    ObjectNode o = rec.deepCopy();
    String key = smtpKey(rec.get("host").textValue(), rec.get("user").textValue());
    return o.put("hasPassword", vault.store(SMTP).get(key).isPresent());
  }

  private static JsonNode readAccount(Record r) {
    try {
      return Json.MAPPER.readTree(r.value());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored SMTP account unreadable", e);
    }
  }

  private JsonNode smtpAccounts() throws VaultException {
    ObjectNode o = Json.object();
    ArrayNode a = o.putArray("accounts");
    for (Record r : vault.store(ACCOUNTS).list("", Integer.MAX_VALUE)) {
      a.add(accountJson(readAccount(r)));
    }
    return o;
  }

  /** Removes an address's settings; its password too unless another address uses it. */
  private JsonNode deleteSmtpAccount(JsonNode p) throws RpcException, VaultException {
    MailAddress address = MailJson.address(p.get("address"), "address");
    Optional<Record> r = vault.store(ACCOUNTS).get(address.canonical());
    if (r.isEmpty()) {
      throw new RpcException(
          MailErrors.SMTP_ACCOUNT_NOT_FOUND, "Sceau has no mail server settings for this address.");
    }
    JsonNode rec = readAccount(r.get());
    String key = smtpKey(rec.get("host").textValue(), rec.get("user").textValue());
    boolean shared = false;
    for (Record other : vault.store(ACCOUNTS).list("", Integer.MAX_VALUE)) {
      JsonNode o = readAccount(other);
      if (!other.key().equals(address.canonical())
          && smtpKey(o.get("host").textValue(), o.get("user").textValue()).equals(key)) {
        shared = true;
      }
    }
    boolean keepPassword = shared;
    vault.inTransaction(
        tx -> {
          tx.store(ACCOUNTS).delete(address.canonical());
          if (!keepPassword) {
            tx.store(SMTP).delete(key);
          }
          return null;
        });
    LOG.info("SMTP account deleted");
    return Json.object().put("address", address.address()).put("deleted", true);
  }

  private JsonNode send(JsonNode p)
      throws RpcException, OpenPgpException, MailException, VaultException {
    SmtpSubmission.Settings settings;
    if (p.has("smtp")) {
      settings = smtpSettings(p);
    } else {
      // The sender's stored account; none (or no password) is the add-on's cue to fall back to
      // inline PGP through Thunderbird's own sending.
      MailAddress from = MailJson.draft(p).from();
      Optional<Record> acc = vault.store(ACCOUNTS).get(from.canonical());
      if (acc.isEmpty()) {
        throw new RpcException(
            MailErrors.SMTP_PASSWORD_MISSING,
            "Sceau has no mail server settings for this sender; give them once with"
                + " mail.setSmtpAccount.",
            Json.object().put("address", from.address()).put("account", false));
      }
      settings = settings(readAccount(acc.get()));
    }
    Optional<Record> pw = vault.store(SMTP).get(smtpKey(settings.host(), settings.user()));
    if (pw.isEmpty()) {
      throw new RpcException(
          MailErrors.SMTP_PASSWORD_MISSING,
          "Sceau has no password for this mail server; give it once with mail.setSmtpAccount.",
          Json.object().put("account", !p.has("smtp")));
    }
    // Every Bcc recipient gets a copy of their own: the To/Cc copy is not encrypted to them, so
    // its recipients cannot see a Bcc recipient's key ID. All keys are checked before anything is
    // encrypted or sent.
    Draft full = MailJson.draft(p);
    boolean encrypt = flag(p, "encrypt", true);
    MailComposer composer = encrypt ? composer(full).build() : signer(full);
    String messageId = full.messageId().orElseGet(() -> newMessageId(full.from().address()));
    Draft withId = full.withMessageId(messageId, clock.instant());
    List<MailAddress> visible = new ArrayList<>(withId.to());
    visible.addAll(withId.cc());
    record Copy(List<String> envelope, byte[] message) {}
    List<Copy> copies = new ArrayList<>();
    if (!encrypt) {
      // Signed only: no key IDs to hide, so one message for everyone (Bcc is never a header).
      copies.add(
          new Copy(
              withId.allRecipients().stream().map(MailAddress::address).toList(),
              signed(composer, withId)));
    } else if (!visible.isEmpty()) {
      copies.add(
          new Copy(
              visible.stream().map(MailAddress::address).toList(),
              encrypted(composer, withId.withBcc(List.of()))));
    }
    for (MailAddress b : encrypt ? withId.bcc() : List.<MailAddress>of()) {
      copies.add(new Copy(List.of(b.address()), encrypted(composer, withId.withBcc(List.of(b)))));
    }
    Composed c = new Composed(copies.get(0).message(), messageId, withId);
    List<String> envelope = new ArrayList<>();
    for (Copy copy : copies) {
      envelope.addAll(copy.envelope());
    }
    byte[] pwBytes = pw.get().value();
    char[] password = new String(pwBytes, StandardCharsets.UTF_8).toCharArray();
    String message64 = Base64.getEncoder().encodeToString(c.message());
    List<String> delivered = new ArrayList<>();
    try {
      for (Copy copy : copies) {
        smtp.submit(
            settings, password, c.draft().from().address(), copy.envelope(), copy.message());
        delivered.addAll(copy.envelope());
      }
    } catch (SmtpSubmission.Failure f) {
      LOG.info("mail not sent: {}", f.kind());
      // The message is never lost: the finished (encrypted) message comes back with the error.
      ObjectNode data =
          Json.object().put("messageId", "<" + c.messageId() + ">").put("message", message64);
      ArrayNode refused = data.putArray("refused");
      f.refused().forEach(refused::add);
      // When a Bcc copy fails after others went, say who already has it (not to resend to them).
      ArrayNode sentTo = data.putArray("sentTo");
      delivered.forEach(sentTo::add);
      RpcError code =
          switch (f.kind()) {
            case AUTH_FAILED -> MailErrors.AUTH_FAILED;
            case TLS_FAILED -> MailErrors.TLS_FAILED;
            case RECIPIENT_REFUSED -> MailErrors.RECIPIENT_REFUSED;
            case SMTP_UNAVAILABLE -> MailErrors.SMTP_UNAVAILABLE;
          };
      throw new RpcException(code, f.getMessage(), data);
    } finally {
      Arrays.fill(password, '\0');
      Arrays.fill(pwBytes, (byte) 0);
    }
    LOG.info("mail sent to {} recipient(s)", envelope.size());
    // The sent message is encrypted to the sender too (or only signed): the copy to file in Sent.
    return Json.object()
        .put("messageId", "<" + c.messageId() + ">")
        .put("sent", true)
        .put("message", message64);
  }
}
