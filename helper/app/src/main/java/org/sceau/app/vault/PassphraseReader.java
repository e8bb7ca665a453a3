package org.sceau.app.vault;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads passphrases for the CLI without echo and without Strings: from the terminal ({@link
 * Console#readPassword}), from a file descriptor (one line per read, so several passphrases can
 * come from one descriptor in order) or from the first line of a file.
 */
final class PassphraseReader {
  /** Refuses longer input before buffering more of it. */
  static final int MAX_BYTES = 4096;

  private final Map<Integer, InputStream> fds = new HashMap<>();
  private final InputStream stdin;
  private final Console console;

  PassphraseReader(InputStream stdin, Console console) {
    this.stdin = stdin;
    this.console = console;
  }

  static PassphraseReader system() {
    return new PassphraseReader(System.in, System.console());
  }

  /** Thrown with a message for the user: nothing to read from, input too long, mismatch… */
  static final class PassphraseInputException extends org.sceau.app.cli.HelperCall.UsageException {
    private static final long serialVersionUID = 1L;

    PassphraseInputException(String message) {
      super(message);
    }
  }

  char[] fromFd(int fd) throws PassphraseInputException {
    try {
      InputStream in = fds.get(fd);
      if (in == null) {
        // Descriptor 0 is System.in; others through /dev/fd (Linux and macOS).
        in = fd == 0 ? stdin : Files.newInputStream(Path.of("/dev/fd/" + fd));
        fds.put(fd, in);
      }
      return readLine(in, "file descriptor " + fd);
    } catch (IOException e) {
      throw new PassphraseInputException("Cannot read the passphrase from file descriptor " + fd);
    }
  }

  char[] fromFile(Path file) throws PassphraseInputException {
    try (InputStream in = Files.newInputStream(file)) {
      return readLine(in, file.toString());
    } catch (IOException e) {
      throw new PassphraseInputException("Cannot read the passphrase file " + file);
    }
  }

  /** Asks on the terminal, twice when {@code confirm} (a new passphrase), without echo. */
  char[] fromTerminal(String prompt, boolean confirm) throws PassphraseInputException {
    if (console == null) {
      throw new PassphraseInputException(
          "No terminal to ask for the passphrase: use --passphrase-fd or --passphrase-file.");
    }
    char[] first = console.readPassword("%s: ", prompt);
    if (first == null || first.length == 0) {
      throw new PassphraseInputException("No passphrase entered.");
    }
    if (confirm) {
      char[] again = console.readPassword("%s (again): ", prompt);
      boolean same = again != null && Arrays.equals(first, again);
      if (again != null) {
        Arrays.fill(again, '\0');
      }
      if (!same) {
        Arrays.fill(first, '\0');
        throw new PassphraseInputException("The two passphrases differ: nothing was changed.");
      }
    }
    return first;
  }

  /** One line (without its end of line), read byte by byte so nothing past it is consumed. */
  private static char[] readLine(InputStream in, String what)
      throws IOException, PassphraseInputException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (buf.size() >= MAX_BYTES) {
        throw new PassphraseInputException("The passphrase from " + what + " is too long.");
      }
      buf.write(b);
    }
    byte[] bytes = buf.toByteArray();
    int len = bytes.length;
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    try {
      if (len == 0) {
        throw new PassphraseInputException("The passphrase from " + what + " is empty.");
      }
      return decode(bytes, len);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      // ByteArrayOutputStream's own buffer: overwrite it through reset + zero writes.
      buf.reset();
      buf.write(new byte[bytes.length], 0, bytes.length);
    }
  }

  private static char[] decode(byte[] bytes, int len) throws PassphraseInputException {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer out = CharBuffer.allocate(len);
    try {
      if (d.decode(ByteBuffer.wrap(bytes, 0, len), out, true).isError() || d.flush(out).isError()) {
        throw new CharacterCodingException();
      }
    } catch (CharacterCodingException e) {
      Arrays.fill(out.array(), '\0');
      throw new PassphraseInputException("The passphrase is not valid UTF-8 text.");
    }
    char[] result = Arrays.copyOf(out.array(), out.position());
    Arrays.fill(out.array(), '\0');
    return result;
  }
}
