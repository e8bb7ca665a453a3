package org.sceau.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.sceau.app.rpc.Json;

/**
 * A minimal client of Thunderbird's Marionette remote protocol (`<length>:<json>` packets), enough
 * to run scripts in the chrome context and read what the user would see.
 */
final class Marionette implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private int nextId;

  private Marionette(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    receive(); // greeting
  }

  static Marionette connect(int port, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      try {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(30_000);
        Marionette m = new Marionette(s);
        m.command("WebDriver:NewSession", Json.object().set("capabilities", Json.object()));
        m.command("Marionette:SetContext", Json.object().put("value", "chrome"));
        return m;
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(250);
      }
    }
  }

  /** Runs a script in the main window's chrome context and returns its value. */
  JsonNode script(String body) throws IOException {
    return command(
            "WebDriver:ExecuteScript",
            Json.object().put("script", body).set("args", Json.MAPPER.createArrayNode()))
        .get("value");
  }

  JsonNode command(String name, JsonNode params) throws IOException {
    int id = ++nextId;
    ArrayNode packet = Json.MAPPER.createArrayNode().add(0).add(id).add(name).add(params);
    byte[] body = Json.bytes(packet);
    out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    while (true) {
      JsonNode r = receive();
      if (r.get(0).asInt() == 1 && r.get(1).asInt() == id) {
        if (!r.get(2).isNull()) {
          throw new IOException(name + " failed: " + r.get(2));
        }
        return r.get(3);
      }
    }
  }

  private JsonNode receive() throws IOException {
    ByteArrayOutputStream len = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != ':') {
      if (c < 0 || len.size() > 10) {
        throw new IOException("bad Marionette packet");
      }
      len.write(c);
    }
    int n = Integer.parseInt(len.toString(StandardCharsets.US_ASCII));
    byte[] body = in.readNBytes(n);
    return Json.parse(body);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
