package org.sceau.openpgp.discovery.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The key-server HTTP parser: any input gives a response or a typed HttpException, bounded. */
class HttpResponsePropertiesTest {
  static final URI U = URI.create("https://keys.example.net/x");
  static final int MAX = 4096;

  static void parseOrTyped(byte[] in) {
    try {
      HttpsGet.Response r = HttpsGet.read(new ByteArrayInputStream(in), "h", U, MAX);
      if (r.body().length > MAX) {
        throw new AssertionError("body over the bound: " + r.body().length);
      }
    } catch (HttpsGet.HttpException expected) {
      // typed
    } catch (IOException e) {
      throw new AssertionError("untyped " + e, e);
    }
  }

  @Property(tries = 300)
  void randomBytesGiveAResponseOrATypedError(@ForAll @Size(max = 3000) byte[] in) {
    parseOrTyped(in);
  }

  @Provide
  Arbitrary<String> httpish() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "HTTP/1.1 200 OK\r\n",
            "HTTP/1.1 404 Not Found\r\n",
            "HTTP/1.0 301 Moved\r\n",
            "Content-Length: 5\r\n",
            "Content-Length: -1\r\n",
            "Content-Length: 99999999999\r\n",
            "Transfer-Encoding: chunked\r\n",
            "Location: https://x/\r\n",
            "X: y\r\n",
            "bad header\r\n",
            "\r\n",
            "5\r\nhello\r\n",
            "0\r\n\r\n",
            "fffffff\r\n",
            "zz\r\n",
            "abc",
            "\n");
    return tokens.list().ofMaxSize(30).map(l -> String.join("", l));
  }

  @Property(tries = 500)
  void httpLikeInputGivesAResponseOrATypedError(@ForAll("httpish") String in) {
    parseOrTyped(in.getBytes(US_ASCII));
  }

  @Property(tries = 100)
  void chunkedBodiesAreReassembledWhateverTheChunking(
      @ForAll @Size(max = 3000) byte[] body, @ForAll @IntRange(min = 1, max = 700) int chunk)
      throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(US_ASCII));
    for (int i = 0; i < body.length; i += chunk) {
      int n = Math.min(chunk, body.length - i);
      o.write((Integer.toHexString(n) + ";ext=1\r\n").getBytes(US_ASCII));
      o.write(body, i, n);
      o.write("\r\n".getBytes(US_ASCII));
    }
    o.write("0\r\nTrailer: x\r\n\r\n".getBytes(US_ASCII));
    HttpsGet.Response r = HttpsGet.read(new ByteArrayInputStream(o.toByteArray()), "h", U, MAX);
    assertEquals(200, r.status());
    assertArrayEquals(body, r.body());
  }

  @Property(tries = 20)
  void bodiesOverTheBoundAreRefusedInEveryFraming(@ForAll @IntRange(min = 0, max = 2) int framing)
      throws IOException {
    byte[] big = new byte[MAX + 1];
    String head =
        List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: " + big.length + "\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(big.length)
                    + "\r\n",
                "HTTP/1.1 200 OK\r\n\r\n")
            .get(framing);
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(head.getBytes(US_ASCII));
    o.write(big);
    try {
      HttpsGet.read(new ByteArrayInputStream(o.toByteArray()), "h", U, MAX);
      throw new AssertionError("accepted a body over the bound");
    } catch (HttpsGet.HttpException e) {
      assertEquals(HttpsGet.Failure.TOO_LARGE, e.failure());
    }
  }

  @Example
  void aChunkSizeThatWouldOverflowTheRunningTotalIsRefusedBeforeReading() throws IOException {
    // After one byte, a size of Long.MAX_VALUE made "total + size" negative and passed the bound;
    // the body then grew without limit for as long as the server kept sending.
    byte[] head =
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n7fffffffffffffff\r\n")
            .getBytes(US_ASCII);
    java.io.InputStream endless =
        new java.io.SequenceInputStream(
            new ByteArrayInputStream(head),
            new java.io.InputStream() {
              @Override
              public int read() {
                return 'y';
              }
            });
    try {
      HttpsGet.read(endless, "h", U, MAX);
      throw new AssertionError("accepted a chunk larger than the bound");
    } catch (HttpsGet.HttpException e) {
      assertEquals(HttpsGet.Failure.TOO_LARGE, e.failure());
    }
  }
}
