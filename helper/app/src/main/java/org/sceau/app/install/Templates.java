package org.sceau.app.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The files under installer/, packed as resources, with their placeholders filled in. */
final class Templates {
  private Templates() {}

  static String fill(String resource, Map<String, String> values) throws IOException {
    String text;
    try (InputStream in = Templates.class.getResourceAsStream("/installer/" + resource)) {
      if (in == null) {
        throw new IOException("installer template missing from the build: " + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      text = text.replace("@" + e.getKey() + "@", e.getValue());
    }
    if (text.matches("(?s).*@[A-Z_]+@.*")) {
      throw new IOException("installer template " + resource + " has an unfilled placeholder");
    }
    return text;
  }

  /** A single-quoted POSIX shell word. */
  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  static String xmlEscape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** A value inside a .reg file's double quotes. */
  static String regEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** A systemd ExecStart= / desktop Exec= argument (quoted; %, \ and " escaped). */
  static String execQuote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%") + "\"";
  }
}
