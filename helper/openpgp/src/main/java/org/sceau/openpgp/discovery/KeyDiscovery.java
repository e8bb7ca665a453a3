package org.sceau.openpgp.discovery;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.sceau.net.Outbound;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.discovery.internal.HttpsGet;

/**
 * Finds a correspondent's certificate by mail address: Web Key Directory (advanced method, then
 * direct), then Verifying Key Servers ({@code /vks/v1/by-email/}), then HKP key servers ({@code
 * /pks/lookup?op=get&options=mr}); it stops at the first source that gives an acceptable key.
 *
 * <p>Guarantees: every connection goes through the given {@link Outbound} (so a proxy applies and,
 * through SOCKS5, names are resolved by the proxy), over TLS with certificate and host-name
 * validation; answers are bounded (1 MiB by default); only certificates with a valid user ID for
 * exactly the address asked are returned, others are reported as {@link
 * DiscoveryOutcome#WRONG_USER_ID}. Restriction: a key found this way is only as good as the server
 * that served it; callers store it as unverified until the user confirms the fingerprint.
 *
 * <pre>{@code
 * DiscoveryResult r = KeyDiscovery.builder().outbound(Outbound.direct()).build()
 *     .discover("bob@example.org");
 * }</pre>
 */
public final class KeyDiscovery {
  /** keys.openpgp.org, the default key server for both protocols. */
  public static final String DEFAULT_SERVER = "https://keys.openpgp.org";

  private final HttpsGet http;
  private final List<URI> vks;
  private final List<URI> hkp;
  private final boolean wkd;

  private KeyDiscovery(Builder b) throws NoSuchAlgorithmException {
    SSLContext tls = b.tls != null ? b.tls : SSLContext.getDefault();
    this.http = new HttpsGet(b.outbound, tls, b.timeout, b.maxBytes, b.portOverride);
    this.vks = List.copyOf(b.vks);
    this.hkp = List.copyOf(b.hkp);
    this.wkd = b.wkd;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings; every one has a default except the {@link Outbound}. */
  public static final class Builder {
    private Outbound outbound;
    private SSLContext tls;
    private Duration timeout = Duration.ofSeconds(20);
    private int maxBytes = 1 << 20;
    private List<URI> vks = List.of(URI.create(DEFAULT_SERVER));
    private List<URI> hkp = List.of(URI.create(DEFAULT_SERVER));
    private boolean wkd = true;
    private int portOverride;

    private Builder() {}

    public Builder outbound(Outbound o) {
      this.outbound = Objects.requireNonNull(o);
      return this;
    }

    /** The TLS context (default: the platform's trust store). */
    public Builder tls(SSLContext c) {
      this.tls = c;
      return this;
    }

    public Builder timeout(Duration d) {
      this.timeout = d;
      return this;
    }

    public Builder maxBytes(int n) {
      this.maxBytes = n;
      return this;
    }

    /** Verifying Key Servers by base URL ({@code https://host[:port]}); empty for none. */
    public Builder vksServers(List<URI> servers) {
      this.vks = List.copyOf(servers);
      return this;
    }

    /** HKP servers by base URL ({@code https://host[:port]}, {@code hkps://} accepted). */
    public Builder hkpServers(List<URI> servers) {
      this.hkp = List.copyOf(servers);
      return this;
    }

    public Builder withoutWkd() {
      this.wkd = false;
      return this;
    }

    /** Tests: connect to this port for every WKD and server URL (their servers are not on 443). */
    Builder portOverride(int port) {
      this.portOverride = port;
      return this;
    }

    public KeyDiscovery build() {
      Objects.requireNonNull(outbound, "outbound");
      try {
        return new KeyDiscovery(this);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("no TLS available", e);
      }
    }
  }

  /**
   * Looks {@code email} up, source after source, until one gives an acceptable key.
   *
   * @throws IllegalArgumentException if {@code email} is not an address with a host name
   */
  public DiscoveryResult discover(String email) {
    String addr = email.strip();
    Wkd.split(addr);
    List<DiscoveryAttempt> attempts = new ArrayList<>();
    List<DiscoveredKey> found = new ArrayList<>();
    if (wkd) {
      // The advanced method first; the direct one whenever the advanced one gave nothing usable.
      if (lookup(DiscoverySource.WKD_ADVANCED, Wkd.advanced(addr), addr, attempts, found)
          || lookup(DiscoverySource.WKD_DIRECT, Wkd.direct(addr), addr, attempts, found)) {
        return new DiscoveryResult(addr, found, attempts);
      }
    }
    for (URI s : vks) {
      URI u = base(s).resolve("vks/v1/by-email/" + Wkd.encode(addr));
      if (lookup(DiscoverySource.VKS, u, addr, attempts, found)) {
        return new DiscoveryResult(addr, found, attempts);
      }
    }
    for (URI s : hkp) {
      URI u = base(s).resolve("pks/lookup?op=get&options=mr&search=" + Wkd.encode(addr));
      if (lookup(DiscoverySource.HKP, u, addr, attempts, found)) {
        return new DiscoveryResult(addr, found, attempts);
      }
    }
    return new DiscoveryResult(addr, found, attempts);
  }

  private static URI base(URI s) {
    String t = s.toString();
    if (t.startsWith("hkps://")) {
      t = "https://" + t.substring(7);
    }
    return URI.create(t.endsWith("/") ? t : t + "/");
  }

  private boolean lookup(
      DiscoverySource source,
      URI uri,
      String addr,
      List<DiscoveryAttempt> attempts,
      List<DiscoveredKey> found) {
    String url = uri.toString();
    HttpsGet.Response r;
    try {
      r = http.get(uri);
    } catch (HttpsGet.HttpException e) {
      DiscoveryOutcome o =
          switch (e.failure()) {
            case UNREACHABLE, TIMEOUT -> DiscoveryOutcome.UNREACHABLE;
            case TLS_FAILED -> DiscoveryOutcome.TLS_FAILED;
            case PROTOCOL_ERROR, TOO_LARGE -> DiscoveryOutcome.BAD_ANSWER;
          };
      attempts.add(new DiscoveryAttempt(source, url, o, e.getMessage()));
      return false;
    }
    if (r.status() == 404 || r.status() == 410) {
      attempts.add(new DiscoveryAttempt(source, url, DiscoveryOutcome.NOT_FOUND, "no key"));
      return false;
    }
    if (r.status() != 200) {
      attempts.add(
          new DiscoveryAttempt(source, url, DiscoveryOutcome.BAD_ANSWER, "HTTP " + r.status()));
      return false;
    }
    List<Certificate> certs;
    try {
      certs = Keys.readCertificates(new ByteArrayInputStream(r.body()));
    } catch (OpenPgpException | RuntimeException e) {
      certs = List.of();
    }
    if (certs.isEmpty()) {
      attempts.add(
          new DiscoveryAttempt(source, url, DiscoveryOutcome.BAD_KEY, "not an OpenPGP key"));
      return false;
    }
    int before = found.size();
    for (Certificate c : certs) {
      if (hasUserIdFor(c, addr)) {
        found.add(new DiscoveredKey(c, source, url));
      }
    }
    if (found.size() == before) {
      attempts.add(
          new DiscoveryAttempt(
              source, url, DiscoveryOutcome.WRONG_USER_ID, "no user ID for the address"));
      return false;
    }
    attempts.add(
        new DiscoveryAttempt(
            source, url, DiscoveryOutcome.FOUND, (found.size() - before) + " certificate(s)"));
    return true;
  }

  /** A valid user ID whose address (inside angle brackets, or the whole ID) is {@code addr}. */
  static boolean hasUserIdFor(Certificate c, String addr) {
    String want = addr.toLowerCase(Locale.ROOT);
    for (String uid : c.userIds()) {
      int lt = uid.lastIndexOf('<');
      int gt = uid.lastIndexOf('>');
      String a = lt >= 0 && gt > lt ? uid.substring(lt + 1, gt) : uid;
      if (a.strip().toLowerCase(Locale.ROOT).equals(want)) {
        return true;
      }
    }
    return false;
  }
}
