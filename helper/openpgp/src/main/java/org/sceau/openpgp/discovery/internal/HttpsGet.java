package org.sceau.openpgp.discovery.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.sceau.net.Outbound;
import org.sceau.net.UnreachableException;

/**
 * A small HTTP/1.1 GET client over {@link Outbound}, for key discovery. {@code java.net.http}
 * cannot go through a SOCKS proxy that resolves names, so this opens the TCP connection with {@code
 * Outbound} and layers TLS over it (certificate and host-name validation on: endpoint
 * identification {@code HTTPS}). Only {@code https} URIs; everything is bounded: status line and
 * header lines (8 KiB each, 100 headers), body ({@code maxBody}), redirects (3, https only), and
 * every read ({@code timeout}).
 */
public final class HttpsGet {
  private static final int MAX_LINE = 8 * 1024;
  private static final int MAX_HEADERS = 100;
  private static final int MAX_REDIRECTS = 3;

  /** What went wrong, in terms a caller can branch on. */
  public enum Failure {
    UNREACHABLE,
    TLS_FAILED,
    PROTOCOL_ERROR,
    TOO_LARGE,
    TIMEOUT
  }

  /** A failed request; the message names the host, never response content. */
  public static final class HttpException extends IOException {
    private static final long serialVersionUID = 1L;
    private final Failure failure;

    HttpException(Failure failure, String message, Throwable cause) {
      super(message, cause);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }

  /** A response: status, header fields (lower-case names, last value kept) and the body. */
  public record Response(int status, Map<String, String> headers, byte[] body, URI uri) {}

  private final Outbound outbound;
  private final SSLContext tls;
  private final Duration timeout;
  private final int maxBody;
  private final int portOverride;

  /**
   * @param portOverride if positive, connect to this port instead of the URI's (for tests whose
   *     server cannot listen on 443)
   */
  public HttpsGet(
      Outbound outbound, SSLContext tls, Duration timeout, int maxBody, int portOverride) {
    this.outbound = outbound;
    this.tls = tls;
    this.timeout = timeout;
    this.maxBody = maxBody;
    this.portOverride = portOverride;
  }

  /** GETs {@code uri}, following up to three https redirects. */
  public Response get(URI uri) throws HttpException {
    URI current = uri;
    for (int hop = 0; ; hop++) {
      Response r = once(current);
      if (r.status() / 100 == 3 && r.headers().containsKey("location")) {
        if (hop >= MAX_REDIRECTS) {
          throw new HttpException(
              Failure.PROTOCOL_ERROR, "too many redirects from " + uri.getHost(), null);
        }
        URI next;
        try {
          next = current.resolve(r.headers().get("location").strip());
        } catch (IllegalArgumentException e) {
          throw new HttpException(
              Failure.PROTOCOL_ERROR, "bad redirect from " + current.getHost(), e);
        }
        if (!"https".equalsIgnoreCase(next.getScheme())) {
          throw new HttpException(
              Failure.PROTOCOL_ERROR, "redirect away from https by " + current.getHost(), null);
        }
        current = next;
        continue;
      }
      return r;
    }
  }

  private Response once(URI uri) throws HttpException {
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new HttpException(Failure.PROTOCOL_ERROR, "only https URLs are fetched", null);
    }
    String host = uri.getHost();
    int port = portOverride > 0 ? portOverride : uri.getPort() > 0 ? uri.getPort() : 443;
    Socket raw;
    try {
      raw = outbound.connect(host, port);
    } catch (UnreachableException e) {
      throw new HttpException(Failure.UNREACHABLE, host + " cannot be reached", e);
    } catch (IOException e) {
      throw new HttpException(Failure.UNREACHABLE, host + " cannot be reached", e);
    }
    try (Socket plain = raw;
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true)) {
      int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
      s.setSoTimeout(ms);
      SSLParameters p = s.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      s.setSSLParameters(p);
      try {
        s.startHandshake();
      } catch (SSLException e) {
        throw new HttpException(
            Failure.TLS_FAILED, host + ": secure connection failed (certificate or TLS)", e);
      }
      String target =
          uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      if (uri.getRawQuery() != null) {
        target += "?" + uri.getRawQuery();
      }
      String hostHeader = uri.getPort() > 0 ? host + ":" + uri.getPort() : host;
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET "
                  + target
                  + " HTTP/1.1\r\nHost: "
                  + hostHeader
                  + "\r\nUser-Agent: Sceau\r\nAccept: */*\r\nAccept-Encoding: identity\r\n"
                  + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return read(new BufferedInputStream(s.getInputStream()), host, uri, maxBody);
    } catch (SocketTimeoutException e) {
      throw new HttpException(Failure.TIMEOUT, host + " did not answer in time", e);
    } catch (SSLException e) {
      throw new HttpException(Failure.TLS_FAILED, host + ": the secure connection failed", e);
    } catch (HttpException e) {
      throw e;
    } catch (IOException e) {
      throw new HttpException(Failure.UNREACHABLE, host + " dropped the connection", e);
    }
  }

  /**
   * Parses one HTTP/1.1 response from {@code in}: status line, headers, then the body by
   * Content-Length, chunked transfer coding, or up to the end of the stream; every part bounded.
   */
  public static Response read(InputStream in, String host, URI uri, int maxBody)
      throws IOException {
    String status = line(in, host);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
      throw new HttpException(Failure.PROTOCOL_ERROR, host + " did not answer HTTP", null);
    }
    int code = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; ; i++) {
      String h = line(in, host);
      if (h.isEmpty()) {
        break;
      }
      if (i >= MAX_HEADERS) {
        throw new HttpException(Failure.TOO_LARGE, host + " sent too many headers", null);
      }
      int c = h.indexOf(':');
      if (c <= 0) {
        throw new HttpException(Failure.PROTOCOL_ERROR, host + " sent a bad header", null);
      }
      headers.put(h.substring(0, c).strip().toLowerCase(Locale.ROOT), h.substring(c + 1).strip());
    }
    byte[] body = body(in, headers, host, maxBody);
    return new Response(code, Map.copyOf(headers), body, uri);
  }

  private static byte[] body(InputStream in, Map<String, String> headers, String host, int maxBody)
      throws IOException {
    String te = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (te.contains("chunked")) {
      while (true) {
        String sizeLine = line(in, host);
        int semi = sizeLine.indexOf(';');
        String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip();
        long size;
        try {
          size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw new HttpException(Failure.PROTOCOL_ERROR, host + " sent a bad chunk", e);
        }
        // Compared as a remainder: out.size() + size could overflow for a hostile size line.
        if (size < 0 || size > maxBody - out.size()) {
          throw new HttpException(Failure.TOO_LARGE, host + " sent more than the limit", null);
        }
        if (size == 0) {
          // trailers, up to the empty line
          for (int i = 0; i <= MAX_HEADERS && !line(in, host).isEmpty(); i++) {
            // ignored
          }
          return out.toByteArray();
        }
        copy(in, out, size, host);
        if (!line(in, host).isEmpty()) {
          throw new HttpException(Failure.PROTOCOL_ERROR, host + " sent a bad chunk end", null);
        }
      }
    }
    String cl = headers.get("content-length");
    if (cl != null) {
      long len;
      try {
        len = Long.parseLong(cl.strip());
      } catch (NumberFormatException e) {
        throw new HttpException(Failure.PROTOCOL_ERROR, host + " sent a bad length", e);
      }
      if (len < 0 || len > maxBody) {
        throw new HttpException(Failure.TOO_LARGE, host + " sent more than the limit", null);
      }
      copy(in, out, len, host);
      return out.toByteArray();
    }
    byte[] b = in.readNBytes(maxBody + 1);
    if (b.length > maxBody) {
      throw new HttpException(Failure.TOO_LARGE, host + " sent more than the limit", null);
    }
    return b;
  }

  private static void copy(InputStream in, ByteArrayOutputStream out, long n, String host)
      throws IOException {
    byte[] buf = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new HttpException(Failure.PROTOCOL_ERROR, host + " cut the answer short", null);
      }
      out.write(buf, 0, r);
      left -= r;
    }
  }

  /** One CRLF (or LF) terminated line, at most {@value #MAX_LINE} bytes, ASCII. */
  private static String line(InputStream in, String host) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new HttpException(Failure.PROTOCOL_ERROR, host + " closed mid-answer", null);
      }
      if (c == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      if (sb.length() >= MAX_LINE) {
        throw new HttpException(Failure.TOO_LARGE, host + " sent a line too long", null);
      }
      sb.append((char) c);
    }
  }
}
