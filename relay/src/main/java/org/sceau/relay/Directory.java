package org.sceau.relay;

import java.util.List;
import java.util.Optional;
import org.sceau.chat.wire.DeviceId;

/** Registered devices and their KeyPackages (opaque bytes; the relay never parses them). */
public interface Directory {

  /** Registers {@code device}; returns false if it already was. */
  boolean register(DeviceId device) throws Exception;

  boolean isRegistered(DeviceId device) throws Exception;

  /**
   * Adds one-time KeyPackages (refused beyond {@code max} stored) and replaces the last-resort one
   * when given. Returns the number of one-time packages stored afterwards.
   */
  int publish(DeviceId device, List<byte[]> oneTime, byte[] lastResort, int max) throws Exception;

  /** Removes and returns one one-time KeyPackage, else the last-resort one (kept), else empty. */
  Optional<Claimed> claim(DeviceId device) throws Exception;

  int keyPackageCount(DeviceId device) throws Exception;

  record Claimed(byte[] keyPackage, boolean lastResort) {}
}
