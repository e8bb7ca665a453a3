package org.sceau.app.mail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small SMTP submission server on loopback for what GreenMail lacks: STARTTLS (RFC 3207) and
 * refusing recipients. It speaks real SMTP over a real socket, upgrades to TLS with the test's
 * certificate, takes AUTH PLAIN (user {@code alice}, password {@code right password}) and answers
 * {@code 550} to any recipient whose address contains "refused". It refuses MAIL before TLS and
 * AUTH, so a client that would send in the clear is caught.
 */
final class StarttlsSmtpServer implements AutoCloseable {
  final List<byte[]> received = new CopyOnWriteArrayList<>();
  final List<String> clearTextCommandsAfterGreeting = new CopyOnWriteArrayList<>();

  /** Every command verb seen (arguments of AUTH left out), for failure messages. */
  final List<String> verbs = new CopyOnWriteArrayList<>();

  private final ServerSocket listener;
  private final SSLSocketFactory serverTls;
  private final Thread thread;

  StarttlsSmtpServer(SSLSocketFactory serverTls) throws IOException {
    this.serverTls = serverTls;
    this.listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    this.thread = new Thread(this::serve, "starttls-smtp");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void serve() {
    while (!listener.isClosed()) {
      try (Socket s = listener.accept()) {
        s.setSoTimeout(10_000);
        session(s);
      } catch (IOException e) {
        // closed, or the client went away: next connection
      }
    }
  }

  private void session(Socket plain) throws IOException {
    Socket s = plain;
    BufferedReader in = reader(s);
    OutputStream out = s.getOutputStream();
    say(out, "220 localhost ESMTP test");
    boolean tls = false;
    boolean authed = false;
    while (true) {
      String line = in.readLine();
      if (line == null) {
        return;
      }
      String cmd = line.toUpperCase(Locale.ROOT);
      verbs.add(cmd.startsWith("AUTH") ? cmd.substring(0, Math.min(cmd.length(), 10)) : cmd);
      if (!tls) {
        clearTextCommandsAfterGreeting.add(cmd.startsWith("AUTH") ? "AUTH" : cmd);
      }
      if (cmd.startsWith("EHLO")) {
        say(out, tls ? "250-localhost\r\n250 AUTH PLAIN LOGIN" : "250-localhost\r\n250 STARTTLS");
      } else if (cmd.equals("STARTTLS") && !tls) {
        say(out, "220 ready");
        SSLSocket t = (SSLSocket) serverTls.createSocket(s, "127.0.0.1", s.getPort(), true);
        t.setUseClientMode(false);
        t.startHandshake();
        s = t;
        in = reader(s);
        out = s.getOutputStream();
        tls = true;
      } else if (cmd.startsWith("AUTH PLAIN") && tls) {
        String arg = line.length() > 11 ? line.substring(11).trim() : "";
        if (arg.isEmpty()) {
          say(out, "334 ");
          arg = in.readLine();
        }
        String decoded =
            new String(java.util.Base64.getDecoder().decode(arg), StandardCharsets.UTF_8);
        // authzid (may be empty or repeat the user) NUL user NUL password
        authed = decoded.endsWith("\0alice\0right password");
        say(out, authed ? "235 ok" : "535 5.7.8 bad credentials");
      } else if (cmd.startsWith("MAIL FROM:")) {
        say(out, tls && authed ? "250 ok" : "530 5.7.0 authentication required");
      } else if (cmd.startsWith("RCPT TO:")) {
        say(out, cmd.contains("REFUSED") ? "550 5.1.1 no such user" : "250 ok");
      } else if (cmd.equals("DATA")) {
        say(out, "354 go on");
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        for (String l = in.readLine(); l != null && !l.equals("."); l = in.readLine()) {
          msg.writeBytes(
              (l.startsWith("..") ? l.substring(1) : l).getBytes(StandardCharsets.ISO_8859_1));
          msg.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        received.add(msg.toByteArray());
        say(out, "250 queued");
      } else if (cmd.equals("RSET") || cmd.equals("NOOP")) {
        say(out, "250 ok");
      } else if (cmd.equals("QUIT")) {
        say(out, "221 bye");
        return;
      } else {
        say(out, "502 not here");
      }
    }
  }

  private static BufferedReader reader(Socket s) throws IOException {
    return new BufferedReader(
        new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
  }

  private static void say(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
