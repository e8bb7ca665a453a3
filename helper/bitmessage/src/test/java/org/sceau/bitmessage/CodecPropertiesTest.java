package org.sceau.bitmessage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** encode∘decode is the identity for every valid value of every codec. */
class CodecPropertiesTest {

  @Property
  void objects(
      @ForAll long nonce,
      @ForAll long expires,
      @ForAll @LongRange(min = 0, max = 0xffffffffL) long type,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long version,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long stream,
      @ForAll @Size(max = 500) byte[] payload)
      throws Exception {
    BitmessageObject o = new BitmessageObject(nonce, expires, type, version, stream, payload);
    byte[] bytes = o.encode();
    assertEquals(o, ObjectCodec.decode(bytes));
    assertArrayEquals(bytes, ObjectCodec.decode(bytes).encode());
  }

  @Provide
  Arbitrary<String> commandNames() {
    return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(12);
  }

  @Property
  void packets(@ForAll("commandNames") String command, @ForAll @Size(max = 500) byte[] payload)
      throws Exception {
    Packet p = new Packet(command, payload);
    assertEquals(p, PacketCodec.decode(PacketCodec.encode(p)));
  }

  @Provide
  Arbitrary<NetworkAddress> networkAddresses() {
    return Combinators.combine(
            Arbitraries.longs(),
            Arbitraries.longs().between(0, 0xffffffffL),
            Arbitraries.longs(),
            Arbitraries.bytes().array(byte[].class).ofSize(16),
            Arbitraries.integers().between(0, 65535))
        .as(NetworkAddress::new);
  }

  @Provide
  Arbitrary<List<byte[]>> hashLists() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).list().ofMaxSize(40);
  }

  @Property
  void wireMessages(
      @ForAll("networkAddresses") NetworkAddress a,
      @ForAll("networkAddresses") NetworkAddress b,
      @ForAll int protocol,
      @ForAll long services,
      @ForAll long time,
      @ForAll long nonce,
      @ForAll @Size(max = 60) String agent,
      @ForAll @Size(max = 5) List<@LongRange(min = 0, max = Long.MAX_VALUE) Long> streams,
      @ForAll("hashLists") List<byte[]> hashes,
      @ForAll @Size(max = 20) List<@net.jqwik.api.From("networkAddresses") NetworkAddress> peers,
      @ForAll @LongRange(min = 0) long fatal,
      @ForAll @Size(max = 40) byte[] iv)
      throws Exception {
    NetworkAddress ra = new NetworkAddress(0, 0, a.services(), a.ip(), a.port());
    NetworkAddress rb = new NetworkAddress(0, 0, b.services(), b.ip(), b.port());
    String ua =
        agent
            .codePoints()
            .filter(c -> c < 0xd800 || c > 0xdfff)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    List<WireMessage> all = new ArrayList<>();
    all.add(new WireMessage.Version(protocol, services, time, ra, rb, nonce, ua, streams));
    all.add(new WireMessage.Verack());
    all.add(new WireMessage.Ping());
    all.add(new WireMessage.Pong());
    all.add(new WireMessage.Addr(peers));
    all.add(new WireMessage.Inv(hashes));
    all.add(new WireMessage.GetData(hashes));
    all.add(new WireMessage.Dinv(hashes));
    all.add(new WireMessage.ErrorMessage(fatal, time & Long.MAX_VALUE, iv, ua));
    all.add(new WireMessage.ObjectMessage(new BitmessageObject(nonce, time, 2, 1, 1, iv)));
    all.add(new WireMessage.Unknown("zzz", iv));
    for (WireMessage m : all) {
      Packet p = PacketCodec.decode(PacketCodec.encode(m.toPacket()));
      assertEquals(m, WireMessage.decode(p), m.command());
    }
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings()
        .withCharRange(' ', '\uD7FF')
        .withChars('\n', '\r', '\t')
        .ofMaxLength(200);
  }

  @Property
  void messageContents(
      @ForAll("texts") String subject,
      @ForAll("texts") String body,
      @ForAll @IntRange(min = 2, max = 3) int encoding)
      throws Exception {
    MessageContent c = new MessageContent(encoding, subject, body);
    assertEquals(c, MessageContent.decode(encoding, c.encode()));
  }

  @Property
  void addresses(
      @ForAll @IntRange(min = 2, max = 4) int version,
      @ForAll @LongRange(min = 1, max = 0xffffffffL) long stream,
      @ForAll @Size(20) byte[] ripe,
      @ForAll @IntRange(min = 0, max = 16) int zeros)
      throws Exception {
    byte[] r = ripe.clone();
    int z = version == 4 ? zeros : Math.min(zeros, 2);
    for (int i = 0; i < z; i++) {
      r[i] = 0;
    }
    if (version == 4) {
      // A v4 address keeps at least 4 RIPE bytes after its zeros are stripped (the format cannot
      // express more than 16 leading zeros, and no key pair will ever have them).
      r[z] |= 1;
    }
    BitmessageAddress a = new BitmessageAddress(version, stream, r);
    assertEquals(a, BitmessageAddress.parse(a.toString()));
  }

  @Property(tries = 15)
  void builtObjectsReadBackThroughTheReferenceCodePath(
      @ForAll("texts") String subject,
      @ForAll("texts") String body,
      @ForAll @IntRange(min = 3, max = 4) int version)
      throws Exception {
    Identity from = Identity.random(version);
    Identity to = Identity.random(4);
    MessageContent c = MessageContent.simple(subject, body);
    long exp = System.currentTimeMillis() / 1000 + 86400;
    BitmessageObject msg =
        ObjectCodec.decode(
            ObjectBuilder.msg(from, to.publicIdentity(), c, null, exp).complete(1).encode());
    assertEquals(c, ObjectReader.readMsg(msg, to).content());
    BitmessageObject bc = ObjectBuilder.broadcast(from, c, exp).complete(2);
    assertEquals(c, ObjectReader.readBroadcast(bc, from.address()).content());
    BitmessageObject pk = ObjectBuilder.pubkey(from, exp).complete(3);
    assertEquals(from.publicIdentity(), ObjectReader.readPubkey(pk, from.address()));
  }
}
