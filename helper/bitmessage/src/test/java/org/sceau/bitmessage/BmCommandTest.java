package org.sceau.bitmessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BmCommandTest {
  private String out;
  private String err;

  private int run(byte[] stdin, String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code =
        BmCommand.run(
            args,
            new ByteArrayInputStream(stdin),
            new PrintStream(o, true, StandardCharsets.UTF_8),
            new PrintStream(e, true, StandardCharsets.UTF_8));
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  @Test
  void printsPassphraseAddressesOnePerLineAsPyBitmessage() {
    assertEquals(0, run(new byte[0], "address", "--from-passphrase", "hello", "--count", "3"));
    assertEquals(
        "BM-2cWhA72reAp1CBa8JmspqWRCdw93sDLgiS\nBM-2cWoETgcY3YJHZfKPVLS1avrXtbzJtcvDY\n"
            + "BM-2cUuDSrTQiJNYnG6gwQkauU8Kk9T98TE8P\n",
        out.replace("\r", ""));
    assertEquals(0, run(new byte[0], "address", "--from-passphrase", "hello", "--version", "3"));
    assertEquals("BM-2DB6AzjZvzM8NkS3HMYWMP9R1Rt778mhN8", out.strip());
    assertEquals(0, run(new byte[0], "address", "--from-passphrase", "hello", "--chan"));
    assertEquals("BM-2cWhA72reAp1CBa8JmspqWRCdw93sDLgiS", out.strip());
  }

  @Test
  void newAddressIsAValidAddress() throws Exception {
    assertEquals(0, run(new byte[0], "address", "new", "--version", "3"));
    assertEquals(3, BitmessageAddress.parse(out.strip()).version());
  }

  @Test
  void decodesAnObjectOrAnObjectPacketToJson() {
    byte[] obj = Vectors.hex(Vectors.load("objects").get("msg").get(0).get("object_hex"));
    assertEquals(0, run(obj, "decode"));
    assertTrue(out.contains("\"type\":\"msg\""));
    byte[] packet = PacketCodec.encode(new Packet("object", obj));
    assertEquals(0, run(packet, "decode"));
    assertTrue(out.contains("99e0de019a82c5003de5abc8a5dbeb42408c72281a58861654de66c974d15fcc"));
    assertEquals(1, run(new byte[] {1, 2, 3}, "decode"));
    assertTrue(err.startsWith("MALFORMED_OBJECT"));
  }

  @Test
  void unknownCommandPrintsUsage() {
    assertEquals(2, run(new byte[0], "frobnicate"));
    assertTrue(err.startsWith("usage"));
  }
}
