package org.sceau.chat;

import org.sceau.chat.wire.DeviceId;

/**
 * A contact's device, identified by its identity key ({@code device} is the Ed25519 public key that
 * signs its MLS messages and authenticates it to the relay). {@code verified} once the user
 * compared {@link SafetyNumber}s.
 */
public record Contact(DeviceId device, String name, boolean verified) {
  /** The identity-key fingerprint shown to users: the key in hex, grouped by 4. */
  public String fingerprint() {
    String h = device.hex();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < h.length(); i += 4) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(h, i, i + 4);
    }
    return sb.toString();
  }
}
