package org.sceau.chat.wire;

/**
 * Bounds the decoder checks before allocating anything. Both sides should use the same limits; the
 * relay announces {@code maxPayloadBytes} in its {@link Frame.Challenge}.
 */
public record WireLimits(
    int maxFrameBytes,
    int maxPayloadBytes,
    int maxRecipients,
    int maxKeyPackages,
    int maxKeyPackageBytes,
    int maxAckIds,
    int maxErrorMessageBytes) {

  /**
   * 1 MiB frames; 512 KiB payloads (a Welcome to 100 members is ~34 KB); 1000 recipients; 100
   * KeyPackages of 16 KiB per publish; 1000 ids per ack.
   */
  public static final WireLimits DEFAULT =
      new WireLimits(1 << 20, 512 << 10, 1000, 100, 16 << 10, 1000, 1024);

  public WireLimits {
    if (maxFrameBytes <= 0
        || maxPayloadBytes <= 0
        || maxPayloadBytes > maxFrameBytes
        || maxRecipients <= 0
        || maxRecipients > 65535
        || maxKeyPackages <= 0
        || maxKeyPackages > 65535
        || maxKeyPackageBytes <= 0
        || maxAckIds <= 0
        || maxAckIds > 65535
        || maxErrorMessageBytes <= 0
        || maxErrorMessageBytes > 65535) {
      throw new IllegalArgumentException("inconsistent wire limits");
    }
  }

  /** The same limits with another payload bound (the frame bound grows with it if needed). */
  public WireLimits withMaxPayloadBytes(int bytes) {
    return new WireLimits(
        Math.max(maxFrameBytes, bytes + (64 << 10)),
        bytes,
        maxRecipients,
        maxKeyPackages,
        maxKeyPackageBytes,
        maxAckIds,
        maxErrorMessageBytes);
  }
}
