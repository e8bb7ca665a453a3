package org.sceau.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.sceau.chat.wire.Frame;
import org.sceau.chat.wire.WireCodec;

/**
 * What a malicious relay operator can do to the stored queue (relay stopped). Copy an envelope into
 * another device's mailbox; or tamper and replay: a device's last queued envelope becomes, in
 * delivery order, a copy with one ciphertext byte flipped, then the genuine envelope, then the
 * genuine envelope again (a replay). The tampered copy comes first so it is judged on its
 * authentication tag (a copy arriving after the genuine one is already refused as a replay of a
 * used key generation).
 */
final class RelayTampering {
  private RelayTampering() {}

  /** Queues a copy of {@code fromHex}'s last queued envelope for {@code toHex} too. */
  static void copyLast(Path dataDir, String fromHex, String toHex) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database(dataDir));
        PreparedStatement copy =
            c.prepareStatement(
                "INSERT INTO messages(device, received, frame) SELECT ?, received, frame FROM"
                    + " messages WHERE device=? ORDER BY id DESC LIMIT 1")) {
      copy.setBytes(1, HexFormat.of().parseHex(toHex));
      copy.setBytes(2, HexFormat.of().parseHex(fromHex));
      if (copy.executeUpdate() != 1) {
        throw new IllegalStateException("nothing queued to copy");
      }
    }
  }

  static Path database(Path dataDir) throws java.io.IOException {
    try (Stream<Path> files = Files.list(dataDir)) {
      List<Path> dbs =
          files.filter(f -> f.getFileName().toString().endsWith(".db")).sorted().toList();
      if (dbs.size() != 1) {
        throw new IllegalStateException("expected one relay database, found " + dbs);
      }
      return dbs.get(0);
    }
  }

  /** Returns how many envelopes were added (2: the genuine one moves behind the tampered one). */
  static int tamperAndReplayLast(Path dataDir, String deviceHex) throws Exception {
    Path db = database(dataDir);
    byte[] device = HexFormat.of().parseHex(deviceHex);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      long id;
      long received;
      byte[] frame;
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT id, received, frame FROM messages WHERE device=? ORDER BY id DESC LIMIT 1")) {
        q.setBytes(1, device);
        try (ResultSet r = q.executeQuery()) {
          if (!r.next()) {
            throw new IllegalStateException("nothing queued for the device");
          }
          id = r.getLong(1);
          received = r.getLong(2);
          frame = r.getBytes(3);
        }
      }
      WireCodec codec = WireCodec.standard();
      Frame.Deliver d = (Frame.Deliver) codec.decode(frame);
      byte[] flipped = d.payload().clone();
      flipped[flipped.length / 2] ^= 0x01;
      byte[] tampered =
          codec.encode(
              new Frame.Deliver(
                  d.messageId(),
                  d.sender(),
                  d.receivedAtMillis(),
                  d.kind(),
                  d.group(),
                  d.epoch(),
                  d.groupSeq(),
                  flipped));
      try (PreparedStatement up = c.prepareStatement("UPDATE messages SET frame=? WHERE id=?")) {
        up.setBytes(1, tampered);
        up.setLong(2, id);
        if (up.executeUpdate() != 1) {
          throw new IllegalStateException("the queued envelope vanished");
        }
      }
      try (PreparedStatement ins =
          c.prepareStatement("INSERT INTO messages(device, received, frame) VALUES (?,?,?)")) {
        for (byte[] f : new byte[][] {frame, frame}) {
          ins.setBytes(1, device);
          ins.setLong(2, received);
          ins.setBytes(3, f);
          ins.executeUpdate();
        }
      }
      return 2;
    }
  }
}
