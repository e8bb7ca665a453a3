package org.sceau.bitmessage;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and mutated input to every parser only ever produces a typed {@link BitmessageException},
 * within a bounded allocation (see {@link Fuzz#onlyTypedErrors}).
 */
class ParserPropertiesTest {
  private static final List<byte[]> OBJECTS = new ArrayList<>();
  private static final List<byte[]> PACKETS = new ArrayList<>();
  private static Identity bob;
  private static BitmessageAddress alice;

  @BeforeContainer
  static void seeds() throws Exception {
    JsonNode objects = Vectors.load("objects");
    for (String kind : new String[] {"msg", "ack", "pubkey_v4", "broadcast_v5", "getpubkey_v4"}) {
      for (JsonNode v : objects.get(kind)) {
        OBJECTS.add(Vectors.hex(v.get("object_hex")));
      }
    }
    for (JsonNode v : Vectors.load("wire").get("packets")) {
      PACKETS.add(Vectors.hex(v.get("packet_hex")));
    }
    bob = LabIdentities.bob();
    alice = LabIdentities.alice().address();
  }

  @Provide
  Arbitrary<byte[]> mutatedObjects() {
    return Fuzz.mutationsOf(Arbitraries.of(OBJECTS));
  }

  @Provide
  Arbitrary<byte[]> mutatedPackets() {
    return Fuzz.mutationsOf(Arbitraries.of(PACKETS));
  }

  @Provide
  Arbitrary<String> commands() {
    return Arbitraries.of(
        "version", "verack", "addr", "inv", "getdata", "dinv", "object", "error", "ping", "pong",
        "x");
  }

  @Property
  void randomBytesAsObject(@ForAll @Size(max = 600) byte[] data) {
    Fuzz.onlyTypedErrors(data.length, () -> readEveryWay(data));
  }

  @Property(tries = 400)
  void mutatedObjectsThroughEveryReader(@ForAll("mutatedObjects") byte[] data) {
    Fuzz.onlyTypedErrors(data.length, () -> readEveryWay(data));
  }

  private static void readEveryWay(byte[] data) throws Exception {
    BitmessageObject o = ObjectCodec.decode(data);
    for (Fuzz.Decoder d :
        new Fuzz.Decoder[] {
          () -> ObjectReader.readMsg(o, bob),
          () -> ObjectReader.readPubkey(o, alice),
          () -> ObjectReader.readBroadcast(o, alice),
          () -> ObjectReader.readGetPubkey(o),
          () -> ObjectReader.tag(o),
          () -> ProofOfWork.check(o, PowDifficulty.DEFAULT, o.expiresTime() - 3600)
        }) {
      try {
        d.decode();
      } catch (BitmessageException expected) {
        // typed: fine
      }
    }
  }

  @Property
  void randomAndMutatedPackets(@ForAll("mutatedPackets") byte[] data) {
    Fuzz.onlyTypedErrors(
        data.length,
        () -> {
          try {
            WireMessage.decode(PacketCodec.decode(data));
          } finally {
            try {
              PacketCodec.read(new ByteArrayInputStream(data));
            } catch (EOFException e) {
              // a stream that ends early is an I/O condition, not a parse error
            }
          }
        });
  }

  @Property
  void randomPayloadsForEveryCommand(
      @ForAll("commands") String command, @ForAll @Size(max = 400) byte[] payload) {
    Fuzz.onlyTypedErrors(payload.length, () -> WireMessage.decode(new Packet(command, payload)));
  }

  @Property
  void mutatedPayloadsForEveryCommand(
      @ForAll("commands") String command, @ForAll("mutatedPackets") byte[] packet) {
    byte[] payload =
        packet.length > 24 ? java.util.Arrays.copyOfRange(packet, 24, packet.length) : packet;
    Fuzz.onlyTypedErrors(payload.length, () -> WireMessage.decode(new Packet(command, payload)));
  }

  @Property
  void randomAddressStrings(@ForAll @Size(max = 80) String text) {
    Fuzz.onlyTypedErrors(text.length() * 4, () -> BitmessageAddress.parse(text));
  }

  @Property
  void mutatedAddresses(@ForAll("mutatedAddressBytes") byte[] text) {
    String s = new String(text, StandardCharsets.ISO_8859_1);
    Fuzz.onlyTypedErrors(text.length * 4, () -> BitmessageAddress.parse(s));
  }

  @Provide
  Arbitrary<byte[]> mutatedAddressBytes() {
    return Fuzz.mutationsOf(
        Arbitraries.of(
            "BM-2cXesDBLQAuHbHffcbKkqTZj9giNTt9npa".getBytes(StandardCharsets.ISO_8859_1),
            "BM-2DB6AzjZvzM8NkS3HMYWMP9R1Rt778mhN8".getBytes(StandardCharsets.ISO_8859_1),
            "BM-NBBbdnKeVBR7Eqe9NG6sjcWX2Xd9ZHA3".getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Property
  void randomMessageBodiesInEveryEncoding(
      @ForAll("encodings") long encoding, @ForAll @Size(max = 500) byte[] data) {
    Fuzz.onlyTypedErrors(data.length, () -> MessageContent.decode(encoding, data));
  }

  @Provide
  Arbitrary<Long> encodings() {
    return Arbitraries.longs().between(-1, 5);
  }

  @Property(tries = 300)
  void mutatedExtendedMessages(@ForAll("mutatedExtended") byte[] data) {
    Fuzz.onlyTypedErrors(data.length, () -> MessageContent.decode(3, data));
  }

  @Provide
  Arbitrary<byte[]> mutatedExtended() {
    return Fuzz.mutationsOf(
        Arbitraries.strings()
            .ofMaxLength(300)
            .map(s -> new MessageContent(3, "subject", s).encode()));
  }
}
