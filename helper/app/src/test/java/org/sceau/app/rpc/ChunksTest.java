package org.sceau.app.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ChunksTest {
  /** The fixture the add-on's tests read: both sides must agree on the chunk format. */
  static final Path FIXTURE = Path.of("../../extension/test/fixtures/java-chunks.json");

  @Test
  void fiveMebibytesSplitIntoFramesUnderTheLimitAndReassembleExactly() throws Exception {
    byte[] message = bigMessage(5 * 1024 * 1024);
    List<byte[]> frames = Chunks.split("h1", message);
    assertTrue(frames.size() >= 8);
    Chunks.Assembler a = new Chunks.Assembler();
    byte[] whole = null;
    for (int i = 0; i < frames.size(); i++) {
      assertTrue(frames.get(i).length <= Frames.MAX_FRAME_BYTES);
      whole = a.accept(Json.parse(frames.get(i)));
      if (i < frames.size() - 1) {
        assertNull(whole);
      }
    }
    assertArrayEquals(message, whole);
  }

  @Test
  void refusesChunksOutOfOrder() throws Exception {
    List<byte[]> frames = Chunks.split("s", bigMessage(3 * Chunks.CHUNK_RAW_BYTES));
    Chunks.Assembler a = new Chunks.Assembler();
    a.accept(Json.parse(frames.get(0)));
    assertThrows(Chunks.BadChunkException.class, () -> a.accept(Json.parse(frames.get(2))));
    // The stream was dropped: its next chunk is refused too.
    assertThrows(Chunks.BadChunkException.class, () -> a.accept(Json.parse(frames.get(1))));
  }

  @Test
  void refusesAnAnnouncedSizeOverTheLimitBeforeBuffering() {
    Chunks.Assembler a = new Chunks.Assembler(1000);
    ObjectNode params =
        Json.object()
            .put("stream", "x")
            .put("seq", 0)
            .put("count", 1)
            .put("size", 1001)
            .put("data", "");
    assertThrows(
        Chunks.BadChunkException.class, () -> a.accept(Json.notification(Chunks.METHOD, params)));
  }

  @Test
  void refusesDataLongerThanAnnouncedAndBadBase64() {
    Chunks.Assembler a = new Chunks.Assembler();
    ObjectNode tooLong =
        Json.object()
            .put("stream", "x")
            .put("seq", 0)
            .put("count", 1)
            .put("size", 1)
            .put("data", "AAAA");
    assertThrows(
        Chunks.BadChunkException.class, () -> a.accept(Json.notification(Chunks.METHOD, tooLong)));
    ObjectNode notBase64 =
        Json.object()
            .put("stream", "y")
            .put("seq", 0)
            .put("count", 1)
            .put("size", 3)
            .put("data", "***");
    assertThrows(
        Chunks.BadChunkException.class,
        () -> a.accept(Json.notification(Chunks.METHOD, notBase64)));
  }

  @Test
  void limitsOpenStreams() throws Exception {
    Chunks.Assembler a = new Chunks.Assembler();
    byte[] m = bigMessage(2 * Chunks.CHUNK_RAW_BYTES);
    for (int i = 0; i < Chunks.MAX_OPEN_STREAMS; i++) {
      a.accept(Json.parse(Chunks.split("s" + i, m).get(0)));
    }
    assertThrows(
        Chunks.BadChunkException.class, () -> a.accept(Json.parse(Chunks.split("s9", m).get(0))));
  }

  @Test
  void matchesTheFixtureTheAddonReads() throws Exception {
    byte[] message =
        Json.bytes(
            Json.result(Json.MAPPER.valueToTree(1), Json.object().put("text", "Sceau — é 🔏")));
    ObjectNode fixture = Json.object();
    fixture.set("message", Json.parse(message));
    ArrayNode frames = fixture.putArray("frames");
    for (byte[] f : Chunks.split("h1", message, 16)) {
      frames.add(Json.parse(f));
    }
    if (Boolean.getBoolean("sceau.regenerateFixtures")) {
      Files.writeString(
          FIXTURE, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(fixture) + "\n");
    }
    // After a deliberate format change: mvn test -Dsceau.regenerateFixtures=true
    assertEquals(fixture, Json.parse(Files.readAllBytes(FIXTURE)));
  }

  @Property(tries = 50)
  void anySplitReassembles(
      @ForAll @IntRange(min = 0, max = 5000) int size,
      @ForAll @IntRange(min = 1, max = 700) int chunk)
      throws Exception {
    byte[] message = new byte[size];
    new java.util.Random(size).nextBytes(message);
    Chunks.Assembler a = new Chunks.Assembler();
    byte[] whole = null;
    for (byte[] f : Chunks.split("p", message, chunk)) {
      whole = a.accept(Json.parse(f));
    }
    assertArrayEquals(message, whole);
  }

  static byte[] bigMessage(int approxBytes) {
    String unit = "Sceau — chiffré 🔏 ";
    StringBuilder sb = new StringBuilder(approxBytes);
    while (sb.length() < approxBytes) {
      sb.append(unit);
    }
    return Json.bytes(
        Json.result(Json.MAPPER.valueToTree(7), Json.object().put("body", sb.toString())));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
