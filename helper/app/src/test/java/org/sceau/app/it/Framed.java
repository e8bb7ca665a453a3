package org.sceau.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.sceau.app.rpc.Frames;
import org.sceau.app.rpc.Json;

/** Talks to a process the way Thunderbird does: frames on its stdin and stdout. */
final class Framed implements AutoCloseable {
  final Process process;
  private final OutputStream in;
  private final InputStream out;

  Framed(Process process) {
    this.process = process;
    this.in = process.getOutputStream();
    this.out = new BufferedInputStream(process.getInputStream());
  }

  void send(JsonNode message) throws IOException {
    Frames.write(in, Json.bytes(message));
  }

  void sendRaw(byte[] bytes) throws IOException {
    in.write(bytes);
    in.flush();
  }

  /** The next raw frame (length checked like Thunderbird: at most 1 MiB), or null at EOF. */
  byte[] readFrame() throws IOException {
    return Frames.read(out);
  }

  JsonNode read() throws IOException {
    byte[] f = readFrame();
    return f == null ? null : Json.parse(f);
  }

  /** Reads until the response with this id, skipping notifications. */
  JsonNode response(long id) throws IOException {
    while (true) {
      JsonNode m = read();
      if (m == null) {
        throw new IOException("stream ended before response " + id);
      }
      if (m.has("id") && m.get("id").asLong() == id) {
        return m;
      }
    }
  }

  int waitFor() throws InterruptedException {
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("process did not exit");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
