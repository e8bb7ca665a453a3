package org.sceau.app.install;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.sceau.app.bridge.BridgeMain;
import org.sceau.app.client.HelperProcess;
import org.sceau.app.paths.Platform;
import org.sceau.app.paths.SceauPaths;
import org.sceau.app.rpc.Json;

/**
 * Installs Sceau for one user: the program under the data directory, launchers, the
 * native-messaging manifest Thunderbird reads, start at login, and the add-on in every Thunderbird
 * profile. Every file it writes outside its own folder is listed in an install record, so {@link
 * #uninstall} removes exactly that. Running it twice replaces the same files.
 */
public final class Installer {
  public static final String HOST_NAME = "org.sceau.bridge";
  static final String RECORD = "installed-files.txt";

  /** How the helper is started at login. */
  public enum Init {
    /** systemd user unit when a user manager answers, else an XDG autostart entry. */
    AUTO,
    SYSTEMD,
    AUTOSTART,
    /** Write nothing that starts the helper at login. */
    NONE
  }

  /** What to install from: a built {@code helper/app/target} and the add-on's source folder. */
  public record Source(Path appBuildDir, Path extensionDir) {}

  private final SceauPaths paths;
  private final Commands commands;
  private final List<String> log = new ArrayList<>();

  public Installer(SceauPaths paths, Commands commands) {
    this.paths = paths;
    this.commands = commands;
  }

  /** What install or uninstall did, one line each, for the user. */
  public List<String> log() {
    return List.copyOf(log);
  }

  public Path appDir() {
    return paths.dataDir().resolve("app");
  }

  public Path xpi() {
    return appDir().resolve("sceau.xpi");
  }

  Path bin(String name) {
    return appDir()
        .resolve("bin")
        .resolve(paths.platform() == Platform.WINDOWS ? name + ".cmd" : name);
  }

  public Path nativeManifest() {
    return switch (paths.platform()) {
      case LINUX -> paths.home().resolve(".mozilla/native-messaging-hosts/" + HOST_NAME + ".json");
      case MACOS ->
          paths.home().resolve("Library/Mozilla/NativeMessagingHosts/" + HOST_NAME + ".json");
      case WINDOWS -> appDir().resolve(HOST_NAME + ".json");
    };
  }

  Path systemdUnit() {
    return configHome().resolve("systemd/user/sceau-helper.service");
  }

  Path systemdWantsLink() {
    return configHome().resolve("systemd/user/default.target.wants/sceau-helper.service");
  }

  Path autostartEntry() {
    return configHome().resolve("autostart/sceau-helper.desktop");
  }

  Path launchAgent() {
    return paths.home().resolve("Library/LaunchAgents/org.sceau.helper.plist");
  }

  Path registryScript() {
    return appDir().resolve("sceau.reg");
  }

  /** Where the {@code sceau} command goes so that it is on PATH. */
  Path userBinLauncher() {
    return paths.home().resolve(".local/bin/sceau");
  }

  private Path configHome() {
    String xdg = paths.env().get("XDG_CONFIG_HOME");
    return xdg != null && Path.of(xdg).isAbsolute()
        ? Path.of(xdg)
        : paths.home().resolve(".config");
  }

  /** Installs (or re-installs over) everything; starts the helper when {@code start}. */
  public void install(Source source, Init init, boolean start) throws IOException {
    List<Path> written = new ArrayList<>();
    List<Path> createdDirs = new ArrayList<>();
    stopRunningHelper();

    Path app = appDir();
    mkdirs(app, createdDirs);
    SceauPaths.ensurePrivateDir(paths.dataDir());
    copyProgram(source.appBuildDir(), app);
    log.add("program: " + app);

    writeLaunchers(app);
    Path manifest = nativeManifest();
    mkdirs(manifest.getParent(), createdDirs);
    writeAtomically(manifest, nativeManifestJson(bin("sceau-bridge")));
    written.add(manifest);
    log.add("Thunderbird native-messaging manifest: " + manifest);

    if (paths.platform() != Platform.WINDOWS) {
      Path userBin = userBinLauncher();
      mkdirs(userBin.getParent(), createdDirs);
      writeExecutable(
          userBin,
          "#!/bin/sh\nexec " + Templates.shellQuote(bin("sceau").toString()) + " \"$@\"\n");
      written.add(userBin);
      log.add("command: " + userBin);
    }

    Init chosen = writeStartAtLogin(init, written, createdDirs);

    Xpi.pack(source.extensionDir(), xpi());
    for (Path profile : ThunderbirdProfiles.find(paths)) {
      Path ext = profile.resolve("extensions");
      mkdirs(ext, createdDirs);
      Path target = ext.resolve(BridgeMain.ADDON_ID + ".xpi");
      Files.copy(xpi(), target, StandardCopyOption.REPLACE_EXISTING);
      written.add(target);
      log.add("add-on installed in Thunderbird profile " + profile);
    }
    if (written.stream().noneMatch(p -> p.getFileName().toString().endsWith(".xpi"))) {
      log.add(
          "no Thunderbird profile found: install "
              + xpi()
              + " from Thunderbird's Add-ons Manager (gear menu, \"Install Add-on From File…\")");
    }
    writeRecord(written, createdDirs);

    if (start) {
      startHelper(chosen);
    }
  }

  /** Removes everything {@link #install} wrote. The vault and its backups are kept. */
  public void uninstall() throws IOException {
    stopRunningHelper();
    Path record = appDir().resolve(RECORD);
    List<Path> dirs = new ArrayList<>();
    if (Files.isRegularFile(record)) {
      for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
        if (line.startsWith("file ")) {
          Path p = Path.of(line.substring(5));
          if (p.equals(systemdUnit()) && commands.systemdUserAvailable()) {
            commands.run(
                List.of("systemctl", "--user", "disable", "--now", "sceau-helper.service"));
          }
          if (Files.deleteIfExists(p)) {
            log.add("removed " + p);
          }
        } else if (line.startsWith("dir ")) {
          dirs.add(Path.of(line.substring(4)));
        }
      }
      if (paths.platform() == Platform.LINUX && commands.systemdUserAvailable()) {
        commands.run(List.of("systemctl", "--user", "daemon-reload"));
      }
      if (paths.platform() == Platform.WINDOWS) {
        commands.run(
            List.of(
                "reg",
                "delete",
                "HKCU\\Software\\Mozilla\\NativeMessagingHosts\\" + HOST_NAME,
                "/f"));
        commands.run(
            List.of(
                "reg",
                "delete",
                "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                "/v",
                "Sceau helper",
                "/f"));
      }
    }
    deleteTree(appDir());
    deleteTree(paths.stateDir());
    deleteTree(paths.runtimeDir());
    // Parents we created, deepest first, only when nothing else lives in them.
    dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    for (Path d : dirs) {
      deleteIfEmpty(d);
    }
    if (deleteIfEmpty(paths.dataDir())) {
      log.add("removed " + paths.dataDir());
    } else if (Files.isDirectory(paths.dataDir())) {
      log.add(
          "kept your data (vault) in " + paths.dataDir() + "; delete it yourself if you mean to");
    }
    // ~/.local/share, ~/.local/state, ~/.local: only when we left them empty.
    deleteIfEmpty(paths.dataDir().getParent());
    deleteIfEmpty(paths.stateDir().getParent());
    if (paths.platform() == Platform.LINUX) {
      deleteIfEmpty(paths.home().resolve(".local"));
    }
    log.add("Sceau is uninstalled");
  }

  private void copyProgram(Path build, Path app) throws IOException {
    Path jar = build.resolve("sceau-app.jar");
    Path lib = build.resolve("lib");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw new IOException(
          "No built helper in " + build + "; run `mvn -B -DskipTests package` first.");
    }
    Path newLib = app.resolve("lib.new");
    deleteTree(newLib);
    Files.createDirectories(newLib);
    Files.copy(jar, newLib.resolve("sceau-app.jar"));
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "*.jar")) {
      for (Path j : jars) {
        Files.copy(j, newLib.resolve(j.getFileName()));
      }
    }
    // Swap the whole folder so a helper never starts from half-copied jars.
    Path old = app.resolve("lib");
    Path trash = app.resolve("lib.old");
    deleteTree(trash);
    if (Files.exists(old)) {
      Files.move(old, trash, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(newLib, old, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(trash);
  }

  private void writeLaunchers(Path app) throws IOException {
    Path binDir = app.resolve("bin");
    Files.createDirectories(binDir);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    String classpath =
        app.resolve("lib").toString() + (paths.platform() == Platform.WINDOWS ? "\\*" : "/*");
    // The bridge starts once per Thunderbird connection: favour JVM start-up over peak speed.
    String bridgeJvm = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx64m";
    launcher(binDir, "sceau", java, classpath, "", "org.sceau.app.cli.SceauCli");
    launcher(binDir, "sceau-bridge", java, classpath, bridgeJvm, "org.sceau.app.bridge.BridgeMain");
    launcher(
        binDir,
        "sceau-helper",
        java,
        classpath,
        String.join(" ", HelperProcess.JVM_OPTIONS),
        "org.sceau.app.HelperMain");
  }

  private void launcher(
      Path binDir, String name, Path java, String classpath, String jvm, String main)
      throws IOException {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("NAME", name);
    v.put("JVM_OPTIONS", jvm);
    v.put("MAIN", main);
    if (paths.platform() == Platform.WINDOWS) {
      v.put("JAVA", "\"" + java + "\"");
      v.put("CLASSPATH", "\"" + classpath + "\"");
      writeAtomically(binDir.resolve(name + ".cmd"), Templates.fill("windows/launcher.cmd", v));
    } else {
      v.put("JAVA", Templates.shellQuote(java.toString()));
      v.put("CLASSPATH", Templates.shellQuote(classpath));
      writeExecutable(binDir.resolve(name), Templates.fill("unix/launcher.sh", v));
    }
  }

  String nativeManifestJson(Path bridge) {
    ObjectNode m =
        Json.object()
            .put("name", HOST_NAME)
            .put("description", "Sceau helper bridge")
            .put("path", bridge.toString())
            .put("type", "stdio");
    m.putArray("allowed_extensions").add(BridgeMain.ADDON_ID);
    return HelperOptionsJson.pretty(m);
  }

  private Init writeStartAtLogin(Init init, List<Path> written, List<Path> createdDirs)
      throws IOException {
    String helper = bin("sceau-helper").toString();
    switch (paths.platform()) {
      case MACOS -> {
        Path plist = launchAgent();
        mkdirs(plist.getParent(), createdDirs);
        writeAtomically(
            plist,
            Templates.fill(
                "macos/org.sceau.helper.plist", Map.of("HELPER", Templates.xmlEscape(helper))));
        written.add(plist);
        log.add("starts at login: " + plist);
        return Init.AUTOSTART;
      }
      case WINDOWS -> {
        Path reg = registryScript();
        writeAtomically(
            reg,
            Templates.fill(
                    "windows/sceau.reg",
                    Map.of(
                        "MANIFEST", Templates.regEscape(nativeManifest().toString()),
                        "HELPER_RUN", Templates.regEscape("\"" + helper + "\"")))
                .replace("\r\n", "\n")
                .replace("\n", "\r\n"));
        commands.run(List.of("reg", "import", reg.toString()));
        log.add("registry entries (native messaging, start at login): " + reg);
        return Init.AUTOSTART;
      }
      default -> {
        // Linux
      }
    }
    Init chosen = init;
    if (chosen == Init.AUTO) {
      chosen = commands.systemdUserAvailable() ? Init.SYSTEMD : Init.AUTOSTART;
    }
    if (chosen == Init.SYSTEMD) {
      Path unit = systemdUnit();
      mkdirs(unit.getParent(), createdDirs);
      writeAtomically(
          unit,
          Templates.fill(
              "linux/sceau-helper.service",
              Map.of(
                  "HELPER",
                  Templates.execQuote(helper),
                  "DOCS",
                  appDir().resolve("README.md").toString())));
      written.add(unit);
      // What `systemctl --user enable` does, done by hand so it also works before a user manager
      // runs; systemctl is told afterwards when there is one.
      Path link = systemdWantsLink();
      mkdirs(link.getParent(), createdDirs);
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, unit);
      written.add(link);
      log.add("starts at login: systemd user unit " + unit);
    } else if (chosen == Init.AUTOSTART) {
      Path desktop = autostartEntry();
      mkdirs(desktop.getParent(), createdDirs);
      writeAtomically(
          desktop,
          Templates.fill(
              "linux/sceau-helper.desktop", Map.of("HELPER", Templates.execQuote(helper))));
      written.add(desktop);
      log.add("starts at login: XDG autostart entry " + desktop);
    }
    return chosen;
  }

  private void startHelper(Init init) throws IOException {
    if (init == Init.SYSTEMD && commands.systemdUserAvailable()) {
      commands.run(List.of("systemctl", "--user", "daemon-reload"));
      if (commands.run(List.of("systemctl", "--user", "restart", "sceau-helper.service")) == 0
          && waitForHelper(15_000)) {
        log.add("helper started by systemd");
        return;
      }
    }
    if (paths.platform() == Platform.WINDOWS) {
      log.add("the helper starts at the next login, or when Thunderbird first needs it");
      return;
    }
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(bin("sceau-helper").toString());
    commands.spawn(cmd);
    if (!waitForHelper(20_000)) {
      throw new IOException(
          "The helper did not start; see "
              + paths.logFile()
              + " or run `sceau start --foreground`.");
    }
    log.add("helper started");
  }

  private boolean waitForHelper(long millis) {
    return HelperProcess.awaitAnswering(paths.socket(), true, millis);
  }

  private void stopRunningHelper() {
    if (!HelperProcess.answers(paths.socket())) {
      return;
    }
    try (var client = org.sceau.app.client.HelperClient.connect(paths.socket())) {
      client.call("helper.shutdown", null);
    } catch (Exception e) {
      log.add("could not ask the running helper to stop: " + e.getMessage());
      return;
    }
    HelperProcess.awaitAnswering(paths.socket(), false, 10_000);
    log.add("stopped the running helper");
  }

  private void writeRecord(List<Path> written, List<Path> createdDirs) throws IOException {
    // A re-install creates no directory: keep those the first install created, for uninstall.
    Path previous = appDir().resolve(RECORD);
    List<Path> dirs = new ArrayList<>(createdDirs);
    if (Files.isRegularFile(previous)) {
      for (String line : Files.readAllLines(previous, StandardCharsets.UTF_8)) {
        if (line.startsWith("dir ") && !dirs.contains(Path.of(line.substring(4)))) {
          dirs.add(Path.of(line.substring(4)));
        }
      }
    }
    createdDirs = dirs;
    StringBuilder sb =
        new StringBuilder("# Files `sceau install` wrote outside " + appDir() + "\n");
    for (Path p : written) {
      sb.append("file ").append(p).append('\n');
    }
    for (Path d : createdDirs) {
      sb.append("dir ").append(d).append('\n');
    }
    writeAtomically(appDir().resolve(RECORD), sb.toString());
  }

  /** Creates a directory and its parents, remembering the ones that did not exist. */
  private static void mkdirs(Path dir, List<Path> created) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
      missing.add(p);
    }
    Files.createDirectories(dir);
    created.addAll(missing);
  }

  static void writeAtomically(Path target, String content) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".sceau-", ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeExecutable(Path target, String content) throws IOException {
    writeAtomically(target, content);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static boolean deleteIfEmpty(Path dir) throws IOException {
    if (dir == null || !Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isPresent()) {
        return false;
      }
    }
    Files.delete(dir);
    return true;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
