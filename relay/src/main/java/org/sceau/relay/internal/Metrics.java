package org.sceau.relay.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.sceau.chat.wire.ErrorCode;

/** Counters and gauges, rendered in the Prometheus text exposition format (version 0.0.4). */
public final class Metrics {
  public final AtomicLong connections = new AtomicLong();
  public final AtomicLong authenticated = new AtomicLong();
  public final LongAdder connectionsTotal = new LongAdder();
  public final LongAdder authOk = new LongAdder();
  public final LongAdder authFailed = new LongAdder();
  public final LongAdder registrations = new LongAdder();
  public final LongAdder deposits = new LongAdder();
  public final LongAdder queued = new LongAdder();
  public final LongAdder delivered = new LongAdder();
  public final LongAdder acked = new LongAdder();
  public final LongAdder handshakesAccepted = new LongAdder();
  public final LongAdder keyPackagesPublished = new LongAdder();
  public final LongAdder keyPackagesClaimed = new LongAdder();
  public final LongAdder purged = new LongAdder();
  public final LongAdder bytesIn = new LongAdder();
  public final LongAdder bytesOut = new LongAdder();
  private final Map<ErrorCode, LongAdder> errors = new EnumMap<>(ErrorCode.class);

  public Metrics() {
    for (ErrorCode c : ErrorCode.values()) {
      errors.put(c, new LongAdder());
    }
  }

  public void error(ErrorCode code) {
    errors.get(code).increment();
  }

  public String prometheus() {
    StringBuilder b = new StringBuilder(2048);
    gauge(b, "sceau_relay_connections", "Open WebSocket connections.", connections.get());
    gauge(
        b,
        "sceau_relay_authenticated_connections",
        "Authenticated connections.",
        authenticated.get());
    counter(b, "sceau_relay_connections_total", "Connections accepted.", connectionsTotal.sum());
    counter(b, "sceau_relay_auth_ok_total", "Successful device authentications.", authOk.sum());
    counter(b, "sceau_relay_auth_failed_total", "Refused authentications.", authFailed.sum());
    counter(b, "sceau_relay_registrations_total", "Devices registered.", registrations.sum());
    counter(b, "sceau_relay_deposits_total", "Send and handshake requests stored.", deposits.sum());
    counter(b, "sceau_relay_queued_total", "Mailbox entries written.", queued.sum());
    counter(b, "sceau_relay_delivered_total", "Deliver frames pushed.", delivered.sum());
    counter(b, "sceau_relay_acked_total", "Message ids acknowledged.", acked.sum());
    counter(b, "sceau_relay_handshakes_total", "Handshakes accepted.", handshakesAccepted.sum());
    counter(
        b,
        "sceau_relay_keypackages_published_total",
        "KeyPackages published.",
        keyPackagesPublished.sum());
    counter(
        b,
        "sceau_relay_keypackages_claimed_total",
        "KeyPackages claimed.",
        keyPackagesClaimed.sum());
    counter(
        b, "sceau_relay_retention_purged_total", "Messages deleted by retention.", purged.sum());
    counter(b, "sceau_relay_received_bytes_total", "Frame bytes received.", bytesIn.sum());
    counter(b, "sceau_relay_sent_bytes_total", "Frame bytes sent.", bytesOut.sum());
    b.append("# HELP sceau_relay_errors_total Error frames sent, by code.\n");
    b.append("# TYPE sceau_relay_errors_total counter\n");
    errors.forEach(
        (c, v) ->
            b.append("sceau_relay_errors_total{code=\"")
                .append(c.name())
                .append("\"} ")
                .append(v.sum())
                .append('\n'));
    Runtime rt = Runtime.getRuntime();
    gauge(b, "sceau_relay_heap_used_bytes", "JVM heap in use.", rt.totalMemory() - rt.freeMemory());
    return b.toString();
  }

  private static void counter(StringBuilder b, String name, String help, long v) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    b.append(name).append(' ').append(v).append('\n');
  }

  private static void gauge(StringBuilder b, String name, String help, long v) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" gauge\n");
    b.append(name).append(' ').append(v).append('\n');
  }
}
