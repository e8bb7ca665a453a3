package org.sceau.bitmessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sceau.bitmessage.internal.WireReader;
import org.sceau.bitmessage.internal.WireWriter;

/**
 * The protocol v3 messages exchanged between nodes. {@link #decode(Packet)} maps a packet to one of
 * them (unknown commands become {@link Unknown}, which a node ignores); {@link #toPacket()} is its
 * inverse. Counts and lengths are checked against the spec's limits before allocation.
 */
public sealed interface WireMessage {
  int MAX_ADDRESSES = 1000;
  int MAX_INVENTORY = 50_000;
  int MAX_USER_AGENT = 5000;
  int MAX_STREAMS = 160_000;
  int MAX_ERROR_TEXT = 1_600_000;

  String command();

  byte[] encodePayload();

  default Packet toPacket() {
    return new Packet(command(), encodePayload());
  }

  /** Decodes a packet's payload according to its command. */
  static WireMessage decode(Packet p) throws MalformedObjectException, TooLargeException {
    byte[] payload = p.payload();
    WireReader r = new WireReader(payload);
    WireMessage m =
        switch (p.command()) {
          case "version" -> Version.read(r);
          case "verack" -> new Verack();
          case "ping" -> new Ping();
          case "pong" -> new Pong();
          case "addr" -> Addr.read(r);
          case "inv" -> new Inv(readHashes(r));
          case "getdata" -> new GetData(readHashes(r));
          case "dinv" -> new Dinv(readHashes(r));
          case "object" -> new ObjectMessage(ObjectCodec.decode(r.rest()));
          case "error" -> ErrorMessage.read(r);
          default -> new Unknown(p.command(), r.rest());
        };
    if (m instanceof Version) {
      // PyBitmessage tolerates extra bytes after a version; so do we.
      return m;
    }
    r.expectEnd(p.command());
    return m;
  }

  private static List<byte[]> readHashes(WireReader r)
      throws MalformedObjectException, TooLargeException {
    int n = r.varintAtMost(MAX_INVENTORY, "inventory count");
    if ((long) n * 32 > r.remaining()) {
      throw new MalformedObjectException("inventory count beyond the payload");
    }
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(r.bytes(32, "inventory vector"));
    }
    return List.copyOf(out);
  }

  private static byte[] writeHashes(List<byte[]> hashes) {
    WireWriter w = new WireWriter(9 + 32 * hashes.size()).varint(hashes.size());
    for (byte[] h : hashes) {
      w.bytes(h);
    }
    return w.toByteArray();
  }

  private static void checkHashes(List<byte[]> hashes) {
    if (hashes.size() > MAX_INVENTORY) {
      throw new IllegalArgumentException("at most 50000 inventory vectors");
    }
    for (byte[] h : hashes) {
      if (h.length != 32) {
        throw new IllegalArgumentException("inventory vectors are 32 bytes");
      }
    }
  }

  private static boolean sameHashes(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The handshake message. */
  record Version(
      int protocolVersion,
      long services,
      long timestamp,
      NetworkAddress receiver,
      NetworkAddress sender,
      long nonce,
      String userAgent,
      List<Long> streams)
      implements WireMessage {
    public Version {
      streams = List.copyOf(streams);
      if (streams.size() > MAX_STREAMS) {
        throw new IllegalArgumentException("too many streams");
      }
      if (userAgent.getBytes(StandardCharsets.UTF_8).length > MAX_USER_AGENT) {
        throw new IllegalArgumentException("user agent too long");
      }
    }

    @Override
    public String command() {
      return "version";
    }

    @Override
    public byte[] encodePayload() {
      WireWriter w = new WireWriter(128);
      w.u32(protocolVersion & 0xffffffffL).u64(services).u64(timestamp);
      writeShort(w, receiver);
      writeShort(w, sender);
      w.u64(nonce).varBytes(userAgent.getBytes(StandardCharsets.UTF_8)).varint(streams.size());
      for (long s : streams) {
        w.varint(s);
      }
      return w.toByteArray();
    }

    private static void writeShort(WireWriter w, NetworkAddress a) {
      w.u64(a.services()).bytes(a.ip()).u16(a.port());
    }

    private static NetworkAddress readShort(WireReader r) throws MalformedObjectException {
      long services = r.u64("services");
      byte[] ip = r.bytes(16, "ip");
      return new NetworkAddress(0, 0, services, ip, r.u16("port"));
    }

    static Version read(WireReader r) throws MalformedObjectException, TooLargeException {
      int v = (int) r.u32("protocol version");
      long services = r.u64("services");
      long ts = r.u64("timestamp");
      NetworkAddress recv = readShort(r);
      NetworkAddress from = readShort(r);
      long nonce = r.u64("nonce");
      byte[] ua = r.varBytes(MAX_USER_AGENT, "user agent");
      int n = r.varintAtMost(MAX_STREAMS, "stream count");
      if (n > r.remaining()) {
        throw new MalformedObjectException("stream count beyond the payload");
      }
      List<Long> streams = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        streams.add(r.varintInRange(Long.MAX_VALUE, "stream"));
      }
      String agent = MessageContent.utf8(ua);
      if (agent.getBytes(StandardCharsets.UTF_8).length > MAX_USER_AGENT) {
        // Invalid UTF-8 grows when replaced: refuse rather than build an unsendable version.
        throw new MalformedObjectException("user agent is not valid UTF-8");
      }
      return new Version(v, services, ts, recv, from, nonce, agent, streams);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Version v && Arrays.equals(v.encodePayload(), encodePayload());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(encodePayload());
    }
  }

  /** Acknowledges a version. */
  record Verack() implements WireMessage {
    @Override
    public String command() {
      return "verack";
    }

    @Override
    public byte[] encodePayload() {
      return new byte[0];
    }
  }

  /** Keep-alive. */
  record Ping() implements WireMessage {
    @Override
    public String command() {
      return "ping";
    }

    @Override
    public byte[] encodePayload() {
      return new byte[0];
    }
  }

  /** Keep-alive answer. */
  record Pong() implements WireMessage {
    @Override
    public String command() {
      return "pong";
    }

    @Override
    public byte[] encodePayload() {
      return new byte[0];
    }
  }

  /** Known peers, at most 1000. */
  record Addr(List<NetworkAddress> addresses) implements WireMessage {
    public Addr {
      addresses = List.copyOf(addresses);
      if (addresses.size() > MAX_ADDRESSES) {
        throw new IllegalArgumentException("at most 1000 addresses");
      }
    }

    @Override
    public String command() {
      return "addr";
    }

    @Override
    public byte[] encodePayload() {
      WireWriter w = new WireWriter(9 + 38 * addresses.size()).varint(addresses.size());
      for (NetworkAddress a : addresses) {
        w.u64(a.time()).u32(a.stream()).u64(a.services()).bytes(a.ip()).u16(a.port());
      }
      return w.toByteArray();
    }

    static Addr read(WireReader r) throws MalformedObjectException, TooLargeException {
      int n = r.varintAtMost(MAX_ADDRESSES, "address count");
      if ((long) n * 38 > r.remaining()) {
        throw new MalformedObjectException("address count beyond the payload");
      }
      List<NetworkAddress> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long time = r.u64("time");
        long stream = r.u32("stream");
        long services = r.u64("services");
        byte[] ip = r.bytes(16, "ip");
        out.add(new NetworkAddress(time, stream, services, ip, r.u16("port")));
      }
      return new Addr(out);
    }
  }

  /** Inventory announcement: up to 50 000 object hashes. */
  record Inv(List<byte[]> hashes) implements WireMessage {
    public Inv {
      hashes = List.copyOf(hashes);
      checkHashes(hashes);
    }

    @Override
    public String command() {
      return "inv";
    }

    @Override
    public byte[] encodePayload() {
      return writeHashes(hashes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Inv i && sameHashes(i.hashes, hashes);
    }

    @Override
    public int hashCode() {
      return hashes.size();
    }
  }

  /** Request for objects by hash. */
  record GetData(List<byte[]> hashes) implements WireMessage {
    public GetData {
      hashes = List.copyOf(hashes);
      checkHashes(hashes);
    }

    @Override
    public String command() {
      return "getdata";
    }

    @Override
    public byte[] encodePayload() {
      return writeHashes(hashes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof GetData i && sameHashes(i.hashes, hashes);
    }

    @Override
    public int hashCode() {
      return hashes.size();
    }
  }

  /** Dandelion stem-phase inventory. */
  record Dinv(List<byte[]> hashes) implements WireMessage {
    public Dinv {
      hashes = List.copyOf(hashes);
      checkHashes(hashes);
    }

    @Override
    public String command() {
      return "dinv";
    }

    @Override
    public byte[] encodePayload() {
      return writeHashes(hashes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Dinv i && sameHashes(i.hashes, hashes);
    }

    @Override
    public int hashCode() {
      return hashes.size();
    }
  }

  /** One object. */
  record ObjectMessage(BitmessageObject object) implements WireMessage {
    @Override
    public String command() {
      return "object";
    }

    @Override
    public byte[] encodePayload() {
      return object.encode();
    }
  }

  /** An error report: fatal 0 warning, 1 error, 2 fatal. */
  record ErrorMessage(long fatal, long banTime, byte[] inventoryVector, String text)
      implements WireMessage {
    public ErrorMessage {
      inventoryVector = inventoryVector.clone();
    }

    @Override
    public byte[] inventoryVector() {
      return inventoryVector.clone();
    }

    @Override
    public String command() {
      return "error";
    }

    @Override
    public byte[] encodePayload() {
      return new WireWriter(text.length() + 64)
          .varint(fatal)
          .varint(banTime)
          .varBytes(inventoryVector)
          .varBytes(text.getBytes(StandardCharsets.UTF_8))
          .toByteArray();
    }

    static ErrorMessage read(WireReader r) throws MalformedObjectException, TooLargeException {
      long fatal = r.varint("fatal");
      long ban = r.varint("ban time");
      byte[] iv = r.varBytes(MAX_ERROR_TEXT, "inventory vector");
      byte[] text = r.varBytes(MAX_ERROR_TEXT, "error text");
      return new ErrorMessage(fatal, ban, iv, MessageContent.utf8(text));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ErrorMessage e && Arrays.equals(e.encodePayload(), encodePayload());
    }

    @Override
    public int hashCode() {
      return text.hashCode();
    }
  }

  /** A command this library does not know: ignored by nodes, kept for logging. */
  record Unknown(String command, byte[] payload) implements WireMessage {
    public Unknown {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    @Override
    public byte[] encodePayload() {
      return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Unknown u
          && u.command.equals(command)
          && Arrays.equals(u.payload, payload);
    }

    @Override
    public int hashCode() {
      return command.hashCode();
    }
  }
}
