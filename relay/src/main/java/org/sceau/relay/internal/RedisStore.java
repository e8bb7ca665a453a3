package org.sceau.relay.internal;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.sceau.chat.wire.DeviceId;
import org.sceau.chat.wire.ErrorCode;
import org.sceau.chat.wire.GroupId;
import org.sceau.chat.wire.WireException;
import org.sceau.relay.DeliverTemplate;
import org.sceau.relay.Directory;
import org.sceau.relay.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale-out store: every relay node shares one Redis (the Signal-Server pattern). A mailbox is
 * a sorted set scored by a per-device counter; a Lua script takes the id and adds the entry in one
 * atomic step, so a smaller id is never visible after a larger one, whichever node wrote them.
 * Cross-node wake-ups use pub/sub: a node subscribes to {@code sceau:wake:<device>} for each device
 * connected to it, and a node that queued something for a device it does not hold publishes there.
 * Durability is Redis's (AOF {@code everysec} recommended). Single Redis, not Redis Cluster: the
 * scripts touch several mailboxes at once.
 */
public final class RedisStore implements MessageQueue, Directory {
  private static final Logger log = LoggerFactory.getLogger(RedisStore.class);

  // KEYS = n mailbox keys, then n counter keys; ARGV = mailboxMax, template
  private static final String ENQUEUE =
      "local n = #KEYS / 2\n"
          + "for i = 1, n do if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[1]) then"
          + " return redis.error_reply('QUOTA') end end\n"
          + "local ids = {}\n"
          + "for i = 1, n do local id = redis.call('INCR', KEYS[n + i])\n"
          + "  redis.call('ZADD', KEYS[i], id, id .. ':' .. ARGV[2]); ids[i] = id end\n"
          + "return ids\n";

  // KEYS = group key, n mailbox keys, n counter keys;
  // ARGV = mailboxMax, template, epoch, commit(0/1), seqOffset (0-based)
  private static final String HANDSHAKE =
      "local n = (#KEYS - 1) / 2\n"
          + "local epoch = tonumber(ARGV[3])\n"
          + "local cur = redis.call('HGET', KEYS[1], 'epoch')\n"
          + "if cur and tonumber(cur) ~= epoch then return {0, 0, tonumber(cur)} end\n"
          + "for i = 2, n + 1 do if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[1]) then"
          + " return redis.error_reply('QUOTA') end end\n"
          + "local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)\n"
          + "local next = epoch\n"
          + "if ARGV[4] == '1' then next = epoch + 1 end\n"
          + "redis.call('HSET', KEYS[1], 'epoch', next)\n"
          + "local v = seq; local b = {}\n"
          + "for i = 8, 1, -1 do b[i] = string.char(v % 256); v = math.floor(v / 256) end\n"
          + "local off = tonumber(ARGV[5])\n"
          + "local t = string.sub(ARGV[2], 1, off) .. table.concat(b) .. string.sub(ARGV[2], off + 9)\n"
          + "local out = {1, seq, next}\n"
          + "for i = 1, n do local id = redis.call('INCR', KEYS[n + 1 + i])\n"
          + "  redis.call('ZADD', KEYS[1 + i], id, id .. ':' .. t); out[3 + i] = id end\n"
          + "return out\n";

  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> conn;
  private final RedisAsyncCommands<byte[], byte[]> async;
  private final RedisCommands<byte[], byte[]> sync;
  private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
  private final int mailboxMax;
  private volatile Consumer<DeviceId> listener = d -> {};

  public RedisStore(String url, String nodeId, int mailboxMax) {
    this.mailboxMax = mailboxMax;
    client = RedisClient.create(url);
    conn = client.connect(ByteArrayCodec.INSTANCE);
    async = conn.async();
    sync = conn.sync();
    pubsub = client.connectPubSub(ByteArrayCodec.INSTANCE);
    pubsub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] channel, byte[] message) {
            try {
              listener.accept(DeviceId.of(message));
            } catch (RuntimeException e) {
              log.debug("ignored a malformed wake-up", e);
            }
          }
        });
    log.info("redis store connected (node {})", nodeId.isEmpty() ? "-" : nodeId);
  }

  private static byte[] key(String prefix, DeviceId d) {
    return (prefix + d.hex()).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] mailbox(DeviceId d) {
    return key("sceau:q:", d);
  }

  private static byte[] counter(DeviceId d) {
    return key("sceau:mseq:", d);
  }

  private static byte[] num(long v) {
    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
  }

  private static WireException translate(Throwable t) {
    Throwable e = t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
    if (e instanceof RedisException && String.valueOf(e.getMessage()).contains("QUOTA")) {
      return new WireException(ErrorCode.QUOTA_EXCEEDED, "a recipient's mailbox is full");
    }
    log.error("redis operation failed", e);
    return new WireException(ErrorCode.INTERNAL, "the relay store failed");
  }

  @Override
  public void enqueue(
      List<DeviceId> recipients,
      byte[] template,
      java.util.function.BiConsumer<long[], Throwable> done) {
    int n = recipients.size();
    byte[][] keys = new byte[2 * n][];
    for (int i = 0; i < n; i++) {
      keys[i] = mailbox(recipients.get(i));
      keys[n + i] = counter(recipients.get(i));
    }
    // No live push from memory on this backend (see Connection), so callback order is free.
    async
        .<List<Long>>eval(ENQUEUE, ScriptOutputType.MULTI, keys, num(mailboxMax), template)
        .whenComplete(
            (r, err) -> {
              if (err != null) {
                done.accept(null, translate(err));
              } else {
                done.accept(r.stream().mapToLong(Long::longValue).toArray(), null);
              }
            });
  }

  @Override
  public void enqueueHandshake(
      List<DeviceId> recipients,
      GroupId group,
      long epoch,
      boolean commit,
      byte[] template,
      java.util.function.BiConsumer<HandshakeOutcome, Throwable> done) {
    int n = recipients.size();
    byte[][] keys = new byte[1 + 2 * n][];
    keys[0] = ("sceau:g:" + group.hex()).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < n; i++) {
      keys[1 + i] = mailbox(recipients.get(i));
      keys[1 + n + i] = counter(recipients.get(i));
    }
    int gidLen = template[2 + 8 + 32 + 8 + 1] & 0xFF;
    int seqOffset = 2 + 8 + 32 + 8 + 1 + 1 + gidLen + 8;
    async
        .<List<Long>>eval(
            HANDSHAKE,
            ScriptOutputType.MULTI,
            keys,
            num(mailboxMax),
            template,
            num(epoch),
            num(commit ? 1 : 0),
            num(seqOffset))
        .whenComplete(
            (r, err) -> {
              if (err != null) {
                done.accept(null, translate(err));
              } else if (r.get(0) == 0) {
                done.accept(HandshakeOutcome.conflict(r.get(2)), null);
              } else {
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) {
                  ids[i] = r.get(3 + i);
                }
                DeliverTemplate.setGroupSeq(template, r.get(1));
                done.accept(new HandshakeOutcome(true, r.get(1), r.get(2), ids), null);
              }
            });
  }

  @Override
  public List<Queued> fetch(DeviceId device, long afterId, int max) {
    List<byte[]> raw =
        sync.zrangebyscore(
            mailbox(device),
            Range.from(Range.Boundary.excluding(afterId), Range.Boundary.unbounded()),
            Limit.create(0, max));
    List<Queued> out = new ArrayList<>(raw.size());
    for (byte[] m : raw) {
      int colon = 0;
      while (m[colon] != ':') {
        colon++;
      }
      long id = Long.parseLong(new String(m, 0, colon, StandardCharsets.US_ASCII));
      byte[] frame = java.util.Arrays.copyOfRange(m, colon + 1, m.length);
      out.add(new Queued(id, DeliverTemplate.withId(frame, id)));
    }
    return out;
  }

  @Override
  public void ack(DeviceId device, long[] ids) {
    byte[] k = mailbox(device);
    for (long id : ids) {
      async.zremrangebyscore(k, Range.create(id, id));
    }
  }

  @Override
  public long pending(DeviceId device) {
    return sync.zcard(mailbox(device));
  }

  @Override
  public long purgeReceivedBefore(long cutoffMillis) {
    long removed = 0;
    io.lettuce.core.ScanArgs args =
        io.lettuce.core.ScanArgs.Builder.matches("sceau:q:*").limit(500);
    io.lettuce.core.KeyScanCursor<byte[]> cur = sync.scan(args);
    while (true) {
      for (byte[] k : cur.getKeys()) {
        while (true) {
          List<byte[]> head = sync.zrange(k, 0, 0);
          if (head.isEmpty()) {
            break;
          }
          byte[] m = head.get(0);
          int colon = 0;
          while (m[colon] != ':') {
            colon++;
          }
          long received =
              DeliverTemplate.receivedAt(java.util.Arrays.copyOfRange(m, colon + 1, m.length));
          if (received >= cutoffMillis) {
            break;
          }
          removed += sync.zrem(k, m);
        }
      }
      if (cur.isFinished()) {
        return removed;
      }
      cur = sync.scan(cur, args);
    }
  }

  @Override
  public void onAvailable(Consumer<DeviceId> listener) {
    this.listener = listener;
  }

  @Override
  public void watch(DeviceId device) {
    // Wait for the subscription: a wake-up published before it is active would be lost, and
    // the delivery pump's first read comes right after this returns.
    try {
      pubsub.async().subscribe(key("sceau:wake:", device)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("wake-up subscription for {} failed", device, e);
    }
  }

  @Override
  public void unwatch(DeviceId device) {
    pubsub.async().unsubscribe(key("sceau:wake:", device));
  }

  @Override
  public void announce(DeviceId device) {
    async.publish(key("sceau:wake:", device), device.publicKey());
  }

  // ------------------------------------------------------------------ directory

  @Override
  public boolean register(DeviceId device) {
    return sync.sadd("sceau:devices".getBytes(StandardCharsets.US_ASCII), device.publicKey()) == 1;
  }

  @Override
  public boolean isRegistered(DeviceId device) {
    return sync.sismember("sceau:devices".getBytes(StandardCharsets.US_ASCII), device.publicKey());
  }

  // KEYS = one-time list, last-resort key; ARGV = max, hasLastResort(0/1), lastResort, packages...
  private static final String PUBLISH =
      "local have = redis.call('LLEN', KEYS[1])\n"
          + "if have + #ARGV - 3 > tonumber(ARGV[1]) then return -1 end\n"
          + "for i = 4, #ARGV do have = redis.call('RPUSH', KEYS[1], ARGV[i]) end\n"
          + "if ARGV[2] == '1' then redis.call('SET', KEYS[2], ARGV[3]) end\n"
          + "return have\n";

  @Override
  public int publish(DeviceId device, List<byte[]> oneTime, byte[] lastResort, int max)
      throws WireException {
    byte[][] args = new byte[3 + oneTime.size()][];
    args[0] = num(max);
    args[1] = num(lastResort == null ? 0 : 1);
    args[2] = lastResort == null ? new byte[0] : lastResort;
    for (int i = 0; i < oneTime.size(); i++) {
      args[3 + i] = oneTime.get(i);
    }
    // Check and push in one script: two concurrent publishes cannot overshoot the quota.
    Long have =
        sync.eval(
            PUBLISH,
            ScriptOutputType.INTEGER,
            new byte[][] {key("sceau:kp:", device), key("sceau:kplr:", device)},
            args);
    if (have < 0) {
      throw new WireException(
          ErrorCode.QUOTA_EXCEEDED, "at most " + max + " KeyPackages may be stored");
    }
    return (int) (long) have;
  }

  @Override
  public Optional<Claimed> claim(DeviceId device) {
    byte[] kp = sync.lpop(key("sceau:kp:", device));
    if (kp != null) {
      return Optional.of(new Claimed(kp, false));
    }
    byte[] last = sync.get(key("sceau:kplr:", device));
    return last == null ? Optional.empty() : Optional.of(new Claimed(last, true));
  }

  @Override
  public int keyPackageCount(DeviceId device) {
    return (int) (long) sync.llen(key("sceau:kp:", device));
  }

  @Override
  public void close() {
    pubsub.close();
    conn.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
