package org.sceau.bitmessage.node;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.sceau.bitmessage.BitmessageException;
import org.sceau.bitmessage.NetworkAddress;
import org.sceau.bitmessage.Packet;
import org.sceau.bitmessage.PacketCodec;
import org.sceau.bitmessage.WireMessage;

/** A hand-driven peer on a raw socket: speaks the wire protocol exactly as a test tells it to. */
final class RawPeer implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawPeer(int port) throws IOException {
    this(null, port);
  }

  /** Connects from {@code local} (e.g. 127.0.0.2, to be a different host on loopback). */
  RawPeer(InetAddress local, int port) throws IOException {
    socket = new Socket();
    if (local != null) {
      socket.bind(new InetSocketAddress(local, 0));
    }
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** The node dialled us: {@code accepted} is its connection. */
  RawPeer(Socket accepted) throws IOException {
    socket = accepted;
    socket.setTcpNoDelay(true);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Answers the node's version as an inbound peer that offers Dandelion. */
  RawPeer handshakeAsServer() throws IOException {
    expect("version", Duration.ofSeconds(5));
    send(new WireMessage.Verack());
    WireMessage.Version v = version(3, NodeFixtures.now());
    send(
        new WireMessage.Version(
            3,
            NetworkAddress.NODE_NETWORK | NetworkAddress.NODE_DANDELION,
            v.timestamp(),
            v.receiver(),
            v.sender(),
            v.nonce(),
            v.userAgent(),
            v.streams()));
    expect("verack", Duration.ofSeconds(5));
    return this;
  }

  static WireMessage.Version version(int protocol, long timestamp) {
    byte[] lo = new byte[16];
    lo[10] = (byte) 0xff;
    lo[11] = (byte) 0xff;
    lo[12] = 127;
    lo[15] = 1;
    NetworkAddress a = new NetworkAddress(0, 0, 1, lo, 8444);
    return new WireMessage.Version(
        protocol,
        NetworkAddress.NODE_NETWORK,
        timestamp,
        a,
        a,
        new SecureRandom().nextLong(),
        "/RawPeer:0/",
        List.of(1L));
  }

  /** version → (verack + version) → verack. */
  RawPeer handshake() throws IOException {
    return handshake(NetworkAddress.NODE_NETWORK);
  }

  /** The same, offering {@code services} (e.g. Dandelion) in the version. */
  RawPeer handshake(long services) throws IOException {
    WireMessage.Version v = version(3, NodeFixtures.now());
    send(
        new WireMessage.Version(
            3,
            services,
            v.timestamp(),
            v.receiver(),
            v.sender(),
            v.nonce(),
            v.userAgent(),
            v.streams()));
    boolean verack = false;
    boolean version = false;
    while (!verack || !version) {
      Packet p = read(Duration.ofSeconds(5));
      verack |= p.command().equals("verack");
      version |= p.command().equals("version");
    }
    send(new WireMessage.Verack());
    return this;
  }

  void send(WireMessage m) throws IOException {
    sendRaw(PacketCodec.encode(m.toPacket()));
  }

  void send(String command, byte[] payload) throws IOException {
    sendRaw(PacketCodec.encode(new Packet(command, payload)));
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  Packet read(Duration limit) throws IOException {
    socket.setSoTimeout((int) limit.toMillis());
    try {
      return PacketCodec.read(in);
    } catch (BitmessageException e) {
      throw new IOException(e);
    }
  }

  /** Reads packets until one with {@code command} arrives. */
  Packet expect(String command, Duration limit) throws IOException {
    long end = System.nanoTime() + limit.toNanos();
    while (true) {
      long left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
      Packet p = read(Duration.ofMillis(left));
      if (p.command().equals(command)) {
        return p;
      }
    }
  }

  /** True if the node closes the connection within {@code limit} (packets before are skipped). */
  boolean closedByNode(Duration limit) throws IOException {
    socket.setSoTimeout((int) limit.toMillis());
    byte[] buf = new byte[1 << 16];
    try {
      while (in.read(buf) >= 0) {
        // Skip whatever the node still sends.
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** A ping answered by a pong: the node still talks to us. */
  boolean stillServed() throws IOException {
    send(new WireMessage.Ping());
    try {
      expect("pong", Duration.ofSeconds(5));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
