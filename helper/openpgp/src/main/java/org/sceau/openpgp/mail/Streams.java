package org.sceau.openpgp.mail;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Stream helpers of the mail layer. */
final class Streams {
  private Streams() {}

  /** Passes bytes on but never closes {@code out} (the caller owns it). */
  static OutputStream nonClosing(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }

  /**
   * Writes every line ending as CRLF (a bare LF becomes CRLF, CRLF stays), the canonical form MIME
   * and OpenPGP signatures over MIME need. Bouncy Castle's armor writes the platform's line
   * separator, and Jakarta Mail writes CRLF; this makes both agree.
   */
  static OutputStream crlf(OutputStream out) {
    return new FilterOutputStream(out) {
      private int prev = -1;

      @Override
      public void write(int b) throws IOException {
        if (b == '\n' && prev != '\r') {
          out.write('\r');
        }
        out.write(b);
        prev = b;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
          if (b[i] == '\n' && (i > off ? b[i - 1] : prev) != '\r') {
            out.write(b, start, i - start);
            out.write('\r');
            start = i;
          }
        }
        out.write(b, start, end - start);
        if (len > 0) {
          prev = b[end - 1];
        }
      }
    };
  }

  /**
   * Rewrites a line that starts with {@code "From "} as {@code "=46rom "}. Only valid where every
   * body line is quoted-printable or base64 (what {@link MailComposer} writes; header fields are
   * {@code "From:"}): mail stores add {@code ">"} before such lines, which would break a signature
   * over the part (RFC 3156 §3).
   */
  static OutputStream escapeFrom(OutputStream out) {
    byte[] from = {'F', 'r', 'o', 'm', ' '};
    return new FilterOutputStream(out) {
      private boolean lineStart = true;
      private int matched;

      @Override
      public void write(int b) throws IOException {
        if (lineStart && b == from[matched]) {
          matched++;
          if (matched == from.length) {
            out.write(new byte[] {'=', '4', '6', 'r', 'o', 'm', ' '});
            matched = 0;
            lineStart = false;
          }
          return;
        }
        if (matched > 0) {
          out.write(from, 0, matched);
          matched = 0;
        }
        out.write(b);
        lineStart = b == '\n';
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
          write(b[i]);
        }
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        if (matched > 0) {
          out.write(from, 0, matched);
          matched = 0;
        }
        out.close();
      }
    };
  }

  /** Thrown inside a stream when a bound is exceeded; unwrapped to TOO_LARGE by the caller. */
  static final class LimitExceeded extends IOException {
    private static final long serialVersionUID = 1L;

    LimitExceeded(String what) {
      super(what);
    }
  }

  /** A byte sink that refuses to grow past {@code max} bytes. */
  static final class BoundedBuffer extends OutputStream {
    private final long max;
    private final String what;
    private byte[] buf = new byte[8192];
    private int size;

    BoundedBuffer(long max, String what) {
      this.max = max;
      this.what = what;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if ((long) size + len > max) {
        throw new LimitExceeded(what);
      }
      if (size + len > buf.length) {
        buf =
            java.util.Arrays.copyOf(
                buf,
                Math.max(
                    size + len,
                    Math.min(buf.length * 2, (int) Math.min(max, Integer.MAX_VALUE - 16))));
      }
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, size);
    }

    /** Overwrites the content with zeros (decrypted plaintext that must not be used). */
    void wipe() {
      java.util.Arrays.fill(buf, (byte) 0);
      size = 0;
    }
  }
}
