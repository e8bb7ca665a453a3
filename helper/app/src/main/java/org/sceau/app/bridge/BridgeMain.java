package org.sceau.app.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.sceau.app.client.HelperProcess;
import org.sceau.app.paths.SceauPaths;
import org.sceau.app.rpc.Chunks;
import org.sceau.app.rpc.Frames;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.server.ChannelStreams;

/**
 * The native-messaging host Thunderbird starts for the Sceau add-on. It connects to the helper's
 * socket (starting the helper if needed), announces the add-on, and copies frames both ways
 * unchanged: both hops use the same framing, so the bridge never interprets a message. It exits
 * when Thunderbird closes its stdin.
 *
 * <p>When the helper cannot be reached it stays up and answers every request with a typed {@code
 * HELPER_UNREACHABLE} error, so the add-on can tell the user what to do instead of seeing a dead
 * port.
 *
 * <p>Exit codes: 0 Thunderbird closed the port, 2 started for another add-on, 3 the helper went
 * away during the session.
 */
public final class BridgeMain {
  /** The add-on's id; the native-messaging manifest allows only it, and so does the bridge. */
  public static final String ADDON_ID = "sceau@sceau.org";

  private static final long START_TIMEOUT_MS = 15_000;

  private BridgeMain() {}

  public static void main(String[] args) {
    InputStream stdin = new BufferedInputStream(System.in, 64 * 1024);
    OutputStream stdout =
        new BufferedOutputStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), 64 * 1024);
    // Anything printed by accident would corrupt the native-messaging stream.
    System.setOut(System.err);
    System.exit(run(args, stdin, stdout, SceauPaths.fromEnvironment()));
  }

  static int run(String[] args, InputStream stdin, OutputStream stdout, SceauPaths paths) {
    // Thunderbird passes the manifest path and the add-on id (Windows adds a window handle).
    String addonId = args.length >= 2 ? args[1] : "";
    if (!ADDON_ID.equals(addonId)) {
      System.err.println("sceau-bridge: serves only the Sceau add-on (" + ADDON_ID + ")");
      return 2;
    }
    SocketChannel channel = connectOrStart(paths.socket(), paths);
    if (channel == null) {
      return answerUnreachable(stdin, stdout, paths.socket());
    }
    return pipe(channel, stdin, stdout);
  }

  private static SocketChannel connectOrStart(Path socket, SceauPaths paths) {
    SocketChannel channel = tryConnect(socket);
    if (channel != null) {
      return channel;
    }
    try {
      if (HelperProcess.startAndWait(paths, START_TIMEOUT_MS)) {
        return tryConnect(socket);
      }
    } catch (IOException e) {
      System.err.println("sceau-bridge: could not start the helper: " + e.getMessage());
    }
    return null;
  }

  private static SocketChannel tryConnect(Path socket) {
    try {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
      } catch (IOException e) {
        channel.close();
        return null;
      }
    } catch (IOException e) {
      return null;
    }
  }

  private static int pipe(SocketChannel channel, InputStream stdin, OutputStream stdout) {
    InputStream fromHelper = ChannelStreams.in(channel);
    OutputStream toHelper = ChannelStreams.out(channel);
    try {
      Frames.write(
          toHelper,
          Json.bytes(
              Json.notification(
                  "helper.hello", Json.object().put("client", "addon").put("addonId", ADDON_ID))));
    } catch (IOException e) {
      return 3;
    }
    java.util.concurrent.atomic.AtomicBoolean closing =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread up =
        new Thread(
            () -> {
              try {
                copyFrames(fromHelper, stdout);
              } catch (IOException e) {
                // The helper went away; the add-on reconnects when the port closes.
              }
              if (!closing.get()) {
                System.exit(3);
              }
            },
            "helper-to-addon");
    up.setDaemon(true);
    up.start();
    try {
      copyFrames(stdin, toHelper);
    } catch (Frames.FrameTooLargeException e) {
      writeQuietly(
          stdout,
          Json.error(
              NullNode.instance,
              RpcError.FRAME_TOO_LARGE,
              "A message from the add-on was over the 1 MiB frame limit.",
              null));
    } catch (IOException e) {
      // Thunderbird closed the port or the helper's socket broke: either way the session is over.
    }
    closing.set(true);
    try {
      channel.close();
    } catch (IOException ignored) {
      // Exiting anyway.
    }
    return 0;
  }

  /** Copies whole frames, checking each length before allocating it. */
  private static void copyFrames(InputStream in, OutputStream out) throws IOException {
    while (true) {
      byte[] frame = Frames.read(in);
      if (frame == null) {
        return;
      }
      synchronized (out) {
        Frames.write(out, frame);
      }
    }
  }

  /** Degraded mode: no helper. Every request gets an error the add-on can show and translate. */
  private static int answerUnreachable(InputStream stdin, OutputStream stdout, Path socket) {
    String message =
        "The Sceau helper is not running and could not be started. Run `sceau start` in a "
            + "terminal, or `./sceau install` again.";
    writeQuietly(
        stdout,
        Json.notification(
            "helper.unreachable",
            Json.object().put("type", RpcError.HELPER_UNREACHABLE.type()).put("message", message)));
    Chunks.Assembler assembler = new Chunks.Assembler();
    try {
      while (true) {
        byte[] frame = Frames.read(stdin);
        if (frame == null) {
          return 0;
        }
        JsonNode node;
        try {
          node = Json.parse(frame);
          if (Chunks.isChunk(node)) {
            byte[] whole = assembler.accept(node);
            if (whole == null) {
              continue;
            }
            node = Json.parse(whole);
          }
        } catch (IOException | Chunks.BadChunkException e) {
          continue;
        }
        JsonNode id = node.get("id");
        if (id != null && !id.isNull()) {
          writeQuietly(
              stdout,
              Json.error(
                  id,
                  RpcError.HELPER_UNREACHABLE,
                  message,
                  Json.object().put("socket", socket.toString())));
        }
      }
    } catch (IOException e) {
      return 0;
    }
  }

  private static void writeQuietly(OutputStream out, JsonNode message) {
    try {
      synchronized (out) {
        Frames.write(out, Json.bytes(message));
      }
    } catch (IOException ignored) {
      // Thunderbird is gone.
    }
  }
}
