package org.sceau.relay;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Relay settings. Sources, later ones winning: built-in defaults, a properties file ({@code
 * --config=FILE} or {@code SCEAU_RELAY_CONFIG}), environment variables ({@code SCEAU_RELAY_} + the
 * key upper-cased with dots as underscores, e.g. {@code SCEAU_RELAY_STORE_REDIS_URL}), then flags
 * ({@code --key=value}). Every key is listed in {@link #DEFAULTS} and in docs/relay-protocol.md.
 */
public record RelayConfig(Map<String, String> values) {

  /** Every key with its default. */
  public static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("host", "127.0.0.1");
    d.put("port", "7443");
    d.put("data.dir", "relay-data");
    d.put("store", "sqlite"); // sqlite | redis
    d.put("store.sync", "NORMAL"); // SQLite synchronous: NORMAL (crash-safe) or FULL (power-safe)
    d.put("store.redis.url", "redis://127.0.0.1:6379");
    d.put("node.id", "");
    d.put("tls.keystore", ""); // PKCS#12 file; TLS is on when set
    d.put("tls.password", "");
    d.put("limits.payload.bytes", "524288");
    d.put("mailbox.max.messages", "10000");
    d.put("keypackages.max", "200");
    d.put("retention.days", "30");
    d.put("retention.sweep.seconds", "3600");
    d.put("rate.device.messages.per.second", "50");
    d.put("rate.device.burst", "500");
    d.put("rate.address.frames.per.second", "500");
    d.put("rate.address.burst", "2000");
    d.put("rate.address.connections.per.minute", "120");
    d.put("rate.address.registrations.per.hour", "20");
    d.put("auth.timeout.seconds", "10");
    d.put("idle.timeout.seconds", "300");
    d.put("delivery.window", "256");
    return java.util.Collections.unmodifiableMap(d);
  }

  public RelayConfig {
    for (String k : values.keySet()) {
      if (!DEFAULTS.containsKey(k)) {
        throw new IllegalArgumentException("unknown relay setting '" + k + "'");
      }
    }
    Map<String, String> all = new LinkedHashMap<>(DEFAULTS);
    all.putAll(values);
    values = java.util.Collections.unmodifiableMap(all);
  }

  public static RelayConfig defaultsWith(Map<String, String> overrides) {
    return new RelayConfig(overrides);
  }

  /** Reads file, environment and flags, in that order of increasing precedence. */
  public static RelayConfig load(String[] args, Map<String, String> env) throws IOException {
    Map<String, String> flags = new LinkedHashMap<>();
    String file = env.get("SCEAU_RELAY_CONFIG");
    for (String a : args) {
      if (!a.startsWith("--") || a.indexOf('=') < 3) {
        throw new IllegalArgumentException("flags look like --key=value, got '" + a + "'");
      }
      String k = a.substring(2, a.indexOf('='));
      String v = a.substring(a.indexOf('=') + 1);
      if (k.equals("config")) {
        file = v;
      } else {
        flags.put(k, v);
      }
    }
    Map<String, String> merged = new LinkedHashMap<>();
    if (file != null && !file.isEmpty()) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
        p.load(r);
      }
      for (String k : p.stringPropertyNames()) {
        merged.put(k, p.getProperty(k).trim());
      }
    }
    for (String k : DEFAULTS.keySet()) {
      String e = env.get("SCEAU_RELAY_" + k.toUpperCase(Locale.ROOT).replace('.', '_'));
      if (e != null) {
        merged.put(k, e);
      }
    }
    merged.putAll(flags);
    return new RelayConfig(merged);
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("unknown relay setting '" + key + "'");
    }
    return v;
  }

  public int getInt(String key) {
    try {
      return Integer.parseInt(get(key).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting '" + key + "' must be a whole number");
    }
  }

  public double getDouble(String key) {
    try {
      return Double.parseDouble(get(key).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting '" + key + "' must be a number");
    }
  }

  public RelayConfig with(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(values);
    m.put(key, value);
    return new RelayConfig(m);
  }

  /** Keys whose values must not be printed. */
  public static final Set<String> SECRET_KEYS = Set.of("tls.password", "store.redis.url");

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("RelayConfig{");
    values.forEach(
        (k, v) -> b.append(k).append('=').append(SECRET_KEYS.contains(k) ? "***" : v).append(", "));
    return b.append('}').toString();
  }
}
