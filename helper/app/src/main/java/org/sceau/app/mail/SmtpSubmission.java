package org.sceau.app.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.sceau.net.Outbound;
import org.sceau.net.UnreachableException;

/**
 * Submits a finished message over SMTP with Jakarta Mail: port 587 style STARTTLS (required, never
 * falling back to plain text) or port 465 style TLS, AUTH PLAIN/LOGIN, and the server certificate
 * checked against the trust store and the host name. The message is sent byte for byte as given (it
 * is signed and encrypted: nothing may rewrite it).
 */
final class SmtpSubmission {

  /** How the connection is protected. There is deliberately no plain-text mode. */
  enum Security {
    STARTTLS,
    TLS
  }

  /** Server settings of one identity. */
  record Settings(String host, int port, Security security, String user) {}

  /** Why a submission failed; {@code code} is one of the SMTP errors in {@link MailErrors}. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    private final Kind kind;
    private final List<String> refused;

    enum Kind {
      AUTH_FAILED,
      TLS_FAILED,
      RECIPIENT_REFUSED,
      SMTP_UNAVAILABLE
    }

    Failure(Kind kind, String message, List<String> refused) {
      super(message, null, false, false);
      this.kind = kind;
      this.refused = List.copyOf(refused);
    }

    Kind kind() {
      return kind;
    }

    List<String> refused() {
      return refused;
    }
  }

  private final Outbound outbound;
  private final SSLSocketFactory tls;
  private final Duration timeout;

  /**
   * @param outbound how the TCP connection is opened (direct, or through the user's proxy)
   * @param tls the TLS socket factory (null: the platform default, whose trust store decides which
   *     server certificates are accepted; tests pass one trusting their server)
   */
  SmtpSubmission(Outbound outbound, SSLSocketFactory tls, Duration timeout) {
    this.outbound = outbound;
    this.tls = tls;
    this.timeout = timeout;
  }

  SmtpSubmission(SSLSocketFactory tls, Duration timeout) {
    this(Outbound.direct(), tls, timeout);
  }

  static SmtpSubmission withPlatformTrust() {
    return withPlatformTrust(Outbound.direct());
  }

  static SmtpSubmission withPlatformTrust(Outbound outbound) {
    // Resolved at the first submission: loading the platform trust store is not free.
    return new SmtpSubmission(outbound, null, Duration.ofSeconds(60));
  }

  /**
   * Sends {@code message} to {@code recipients} (the envelope: To, Cc and Bcc), with {@code
   * envelopeFrom} as the return path. The password is used for this connection only.
   *
   * <p>The connection is opened by {@link Outbound} and handed to Jakarta Mail already connected
   * (for port 465 style, with TLS already set up and the certificate checked against the host
   * name), so Jakarta Mail never opens a socket or resolves a name itself; STARTTLS layers TLS over
   * that same connection.
   */
  void submit(
      Settings s, char[] password, String envelopeFrom, List<String> recipients, byte[] message)
      throws Failure {
    String proto = s.security() == Security.TLS ? "smtps" : "smtp";
    String p = "mail." + proto + ".";
    SSLSocketFactory factory = tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
    Properties props = new Properties();
    props.put(p + "host", s.host());
    props.put(p + "port", Integer.toString(s.port()));
    props.put(p + "user", s.user());
    props.put(p + "auth", "true");
    props.put(p + "auth.mechanisms", "PLAIN LOGIN");
    props.put(p + "from", envelopeFrom);
    // EHLO without this machine's name (looking it up would also resolve it).
    props.put(p + "localhost", "[127.0.0.1]");
    String ms = Long.toString(timeout.toMillis());
    props.put(p + "connectiontimeout", ms);
    props.put(p + "timeout", ms);
    props.put(p + "writetimeout", ms);
    props.put(p + "ssl.checkserveridentity", "true");
    props.put(p + "ssl.protocols", "TLSv1.3 TLSv1.2");
    props.put(p + "ssl.socketFactory", factory);
    if (s.security() == Security.TLS) {
      props.put(p + "ssl.enable", "true");
    } else {
      props.put(p + "starttls.enable", "true");
      props.put(p + "starttls.required", "true");
    }
    Session session = Session.getInstance(props);
    InternetAddress[] rcpts;
    try {
      List<InternetAddress> list = new ArrayList<>();
      for (String r : recipients) {
        list.add(new InternetAddress(r, true));
      }
      rcpts = list.toArray(new InternetAddress[0]);
    } catch (AddressException e) {
      throw new Failure(
          Failure.Kind.RECIPIENT_REFUSED, "A recipient address is not valid.", List.of());
    }
    Socket socket = null;
    try {
      // Parsed, not rebuilt: writeTo sends the original bytes unchanged.
      MimeMessage msg = new MimeMessage(session, new ByteArrayInputStream(message));
      socket = outbound.connect(s.host(), s.port());
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      if (s.security() == Security.TLS) {
        socket = handshake(factory, socket, s.host(), s.port());
      }
      // The credentials ride in the transport's URL, so Jakarta Mail never has to ask for them
      // (asking resolves the host name on this machine, which a proxy must prevent).
      SMTPTransport t =
          (SMTPTransport)
              session.getTransport(
                  new URLName(proto, s.host(), s.port(), null, s.user(), new String(password)));
      try {
        t.connect(socket);
        t.sendMessage(msg, rcpts);
      } finally {
        t.close();
      }
    } catch (AuthenticationFailedException e) {
      throw new Failure(
          Failure.Kind.AUTH_FAILED,
          "The mail server refused the user name or password. Check them and set the password"
              + " again (mail.setSmtpAccount).",
          List.of());
    } catch (SendFailedException e) {
      List<String> refused = new ArrayList<>();
      if (e.getInvalidAddresses() != null) {
        for (var a : e.getInvalidAddresses()) {
          refused.add(a.toString());
        }
      }
      if (!refused.isEmpty()) {
        throw new Failure(
            Failure.Kind.RECIPIENT_REFUSED,
            "The mail server refused " + refused.size() + " recipient(s); nothing was sent.",
            refused);
      }
      throw classify(e);
    } catch (MessagingException | IOException e) {
      throw classify(e);
    } finally {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // already closed by the transport, or broken: nothing left to release
        }
      }
    }
  }

  /** TLS over the connected socket, with the server certificate checked against {@code host}. */
  private static SSLSocket handshake(SSLSocketFactory f, Socket plain, String host, int port)
      throws IOException {
    SSLSocket s = (SSLSocket) f.createSocket(plain, host, port, true);
    SSLParameters params = s.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    s.setSSLParameters(params);
    s.startHandshake();
    return s;
  }

  private static Failure classify(Exception e) {
    boolean cert = false;
    boolean ssl = false;
    boolean dropped = false;
    // Jakarta Mail chains both through getCause and getNextException; walk both, bounded.
    java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>(List.of(e));
    for (int seen = 0; !todo.isEmpty() && seen < 50; seen++) {
      Throwable t = todo.poll();
      cert |= t instanceof CertificateException;
      dropped |= t instanceof UnreachableException;
      // Jakarta Mail's own host-name check fails with a plain IOException saying so.
      cert |=
          t.getMessage() != null
              && t.getMessage().toLowerCase(Locale.ROOT).contains("verify identity of server");
      ssl |= t instanceof SSLException;
      dropped |=
          t instanceof EOFException
              || t instanceof SocketTimeoutException
              || (t instanceof SocketException && !(t instanceof SSLException));
      if (t.getCause() != null && t.getCause() != t) {
        todo.add(t.getCause());
      }
      if (t instanceof MessagingException m
          && m.getNextException() != null
          && m.getNextException() != t.getCause()) {
        todo.add(m.getNextException());
      }
    }
    String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (cert || msg.contains("starttls")) {
      return new Failure(
          Failure.Kind.TLS_FAILED,
          cert
              ? "The mail server's certificate is not trusted or does not match its name; nothing"
                  + " was sent."
              : "The mail server does not offer STARTTLS; nothing was sent in the clear. Use its"
                  + " TLS port (465) or another server.",
          List.of());
    }
    if (ssl && !dropped) {
      return new Failure(
          Failure.Kind.TLS_FAILED,
          "A secure connection to the mail server could not be set up; nothing was sent.",
          List.of());
    }
    return new Failure(
        Failure.Kind.SMTP_UNAVAILABLE,
        "The mail server could not be reached or dropped the connection; the message was not"
            + " sent. Try again later.",
        List.of());
  }
}
