package org.sceau.bitmessage;

import java.util.Arrays;

/** One framed protocol message: a command name (ASCII, ≤ 12 bytes) and its payload. */
public record Packet(String command, byte[] payload) {
  public Packet {
    if (command == null || command.isEmpty() || command.length() > 12) {
      throw new IllegalArgumentException("command must be 1..12 ASCII characters");
    }
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException("command must be printable ASCII");
      }
    }
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Packet p && p.command.equals(command) && Arrays.equals(p.payload, payload);
  }

  @Override
  public int hashCode() {
    return command.hashCode() * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Packet[" + command + ", " + payload.length + " bytes]";
  }
}
