package org.sceau.openpgp.mail;

/**
 * Bounds on what {@link MailReader} accepts; beyond them it fails with {@link MailError#TOO_LARGE}.
 */
public record MailLimits(long maxMessageBytes, long maxDecryptedBytes, int maxParts, int maxDepth) {
  public MailLimits {
    if (maxMessageBytes <= 0 || maxDecryptedBytes <= 0 || maxParts <= 0 || maxDepth <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (maxMessageBytes > Integer.MAX_VALUE - 64 || maxDecryptedBytes > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("limits above 2 GiB are not supported (held in memory)");
    }
  }

  /** 64 MiB in and out, 1000 parts, 32 levels of nesting. */
  public static MailLimits defaults() {
    return new MailLimits(64L << 20, 64L << 20, 1000, 32);
  }
}
