package io.openclaw.operator.audit;

import io.openclaw.operator.plan.Severity;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code audit --deep}: the host around Docker, where its files are readable: sshd, UFW, fail2ban. What cannot be read
 * is reported as info, never guessed.
 */
final class HostChecks {
  static final String OBJECT = "host";
  private static final String SSHD_CONFIG = "/etc/ssh/sshd_config";

  private HostChecks() {}

  static void judge(HostFiles files, String unavailable, Verdicts v) {
    if (files == null) {
      v.fail(Check.SSHD_NOT_CHECKED.finding(OBJECT, unavailable));
      v.fail(Check.UFW_NOT_CHECKED.finding(OBJECT, unavailable));
      v.fail(Check.FAIL2BAN_NOT_CHECKED.finding(OBJECT, unavailable));
      return;
    }
    sshd(files, v);
    ufw(files, v);
    fail2ban(files, v);
  }

  // ---- sshd

  static void sshd(HostFiles files, Verdicts v) {
    Map<String, String> settings;
    try {
      if (!files.exists(SSHD_CONFIG)) {
        v.fail(Check.SSHD_NOT_CHECKED.finding(OBJECT, "there is no " + files.show(SSHD_CONFIG) + (files.exists("/usr/sbin/sshd")
            ? ", though /usr/sbin/sshd exists: its settings are compiled-in defaults" : ": sshd is not installed")));
        return;
      }
      settings = sshdSettings(files);
    } catch (IOException | RuntimeException e) {
      v.fail(Check.SSHD_NOT_CHECKED.finding(OBJECT, files.show(SSHD_CONFIG) + " (or a file it includes) cannot be read: " + e.getClass().getSimpleName()));
      return;
    }
    String source = " in " + files.show(SSHD_CONFIG);
    String rootLogin = settings.getOrDefault("permitrootlogin", "prohibit-password");
    if (rootLogin.equals("no")) {
      v.pass(OBJECT, Check.SSHD_PERMIT_ROOT_LOGIN.checkId, Check.SSHD_PERMIT_ROOT_LOGIN.title, "PermitRootLogin no");
    } else {
      v.fail(Check.SSHD_PERMIT_ROOT_LOGIN.finding(OBJECT, "PermitRootLogin " + rootLogin + (settings.containsKey("permitrootlogin") ? "" : " (the default)") + source,
          rootLogin.equals("yes") ? Severity.CRITICAL : Severity.WARN));
    }
    String password = settings.getOrDefault("passwordauthentication", "yes");
    StackChecks.verdict(v, Check.SSHD_PASSWORD_AUTHENTICATION, OBJECT, password.equals("no") ? null
        : "PasswordAuthentication " + password + (settings.containsKey("passwordauthentication") ? "" : " (the default)") + source, "PasswordAuthentication no");
    boolean restricted = settings.containsKey("allowusers") || settings.containsKey("allowgroups");
    StackChecks.verdict(v, Check.SSHD_ALLOW_USERS, OBJECT, restricted ? null : "neither AllowUsers nor AllowGroups is set" + source,
        settings.containsKey("allowusers") ? "AllowUsers is set" : "AllowGroups is set");
    Map<String, String> forwardingDefaults = new LinkedHashMap<>();
    forwardingDefaults.put("allowtcpforwarding", "yes");
    forwardingDefaults.put("allowagentforwarding", "yes");
    forwardingDefaults.put("allowstreamlocalforwarding", "yes");
    forwardingDefaults.put("x11forwarding", "no");
    forwardingDefaults.put("permittunnel", "no");
    forwardingDefaults.put("gatewayports", "no");
    List<String> enabled = new ArrayList<>();
    forwardingDefaults.forEach((key, fallback) -> {
      String value = settings.getOrDefault(key, fallback);
      if (!value.equals("no")) enabled.add(SSHD_NAMES.get(key) + " " + value + (settings.containsKey(key) ? "" : " (the default)"));
    });
    StackChecks.verdict(v, Check.SSHD_FORWARDING, OBJECT, enabled.isEmpty() ? null : String.join(", ", enabled) + source, "every kind of forwarding is off");
  }

  private static final Map<String, String> SSHD_NAMES = Map.of("allowtcpforwarding", "AllowTcpForwarding", "allowagentforwarding",
      "AllowAgentForwarding", "allowstreamlocalforwarding", "AllowStreamLocalForwarding", "x11forwarding", "X11Forwarding",
      "permittunnel", "PermitTunnel", "gatewayports", "GatewayPorts");

  /**
   * sshd's global settings as sshd reads them: keywords case-insensitive, the first value wins, Include is expanded in
   * place, and everything from the first Match on is conditional (so not global).
   */
  static Map<String, String> sshdSettings(HostFiles files) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    read(files, SSHD_CONFIG, out, 0);
    return out;
  }

  /** Returns false once a Match block began. */
  private static boolean read(HostFiles files, String file, Map<String, String> out, int depth) throws IOException {
    if (depth > 8) throw new IOException("Include nested too deeply at " + file);
    Optional<String> text = files.read(file);
    if (text.isEmpty()) return true;
    for (String raw : text.get().split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] parts = line.split("[\\s=]+", 2);
      String key = parts[0].toLowerCase(Locale.ROOT);
      String value = parts.length > 1 ? parts[1].strip() : "";
      if (key.equals("match")) return false;
      if (key.equals("include")) {
        for (String pattern : value.split("\\s+")) {
          for (String included : expand(files, pattern.startsWith("/") ? pattern : "/etc/ssh/" + pattern)) {
            if (!read(files, included, out, depth + 1)) return false;
          }
        }
        continue;
      }
      String first = value.split("\\s+")[0].toLowerCase(Locale.ROOT);
      out.putIfAbsent(key, key.equals("allowusers") || key.equals("allowgroups") ? value : first);
    }
    return true;
  }

  /** An Include pattern's files, sorted as sshd sorts them; a glob only in the last path element. */
  private static List<String> expand(HostFiles files, String pattern) throws IOException {
    int slash = pattern.lastIndexOf('/');
    String dir = pattern.substring(0, Math.max(slash, 1));
    String name = pattern.substring(slash + 1);
    if (!name.contains("*") && !name.contains("?") && !name.contains("[")) return List.of(pattern);
    Path directory = files.path(dir);
    if (!Files.isDirectory(directory)) return List.of();
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(p -> matcher.matches(p.getFileName())).map(p -> dir + "/" + p.getFileName()).sorted().toList();
    }
  }

  // ---- UFW

  static void ufw(HostFiles files, Verdicts v) {
    Optional<String> conf;
    Optional<String> defaults;
    try {
      conf = files.read("/etc/ufw/ufw.conf");
      defaults = files.read("/etc/default/ufw");
    } catch (IOException e) {
      v.fail(Check.UFW_NOT_CHECKED.finding(OBJECT, "UFW's settings cannot be read: " + e.getClass().getSimpleName()));
      return;
    }
    if (conf.isEmpty() && defaults.isEmpty()) {
      v.fail(Check.UFW_NOT_CHECKED.finding(OBJECT, "UFW is not installed (no " + files.show("/etc/ufw/ufw.conf") + ")"));
      return;
    }
    String enabled = shellVariable(conf.orElse(""), "ENABLED").orElse("no");
    StackChecks.verdict(v, Check.UFW_INACTIVE, OBJECT, enabled.equalsIgnoreCase("yes") ? null : "ENABLED=" + enabled + " in " + files.show("/etc/ufw/ufw.conf"),
        "ENABLED=yes");
    String input = shellVariable(defaults.orElse(""), "DEFAULT_INPUT_POLICY").orElse("(unset)");
    boolean denies = input.equalsIgnoreCase("DROP") || input.equalsIgnoreCase("REJECT");
    StackChecks.verdict(v, Check.UFW_DEFAULT_POLICY, OBJECT, denies ? null : "DEFAULT_INPUT_POLICY=" + input + " in " + files.show("/etc/default/ufw"),
        "DEFAULT_INPUT_POLICY=" + input);
  }

  static Optional<String> shellVariable(String text, String name) {
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.startsWith(name + "=")) return Optional.of(line.substring(name.length() + 1).replace("\"", "").replace("'", "").strip());
    }
    return Optional.empty();
  }

  // ---- fail2ban

  static void fail2ban(HostFiles files, Verdicts v) {
    Path etc = files.path("/etc");
    if (!Files.isDirectory(etc) || !Files.isReadable(etc)) {
      v.fail(Check.FAIL2BAN_NOT_CHECKED.finding(OBJECT, files.show("/etc") + " cannot be read"));
      return;
    }
    List<String> found = Stream.of("/etc/fail2ban/jail.conf", "/usr/bin/fail2ban-server").filter(files::exists).toList();
    StackChecks.verdict(v, Check.FAIL2BAN_MISSING, OBJECT, found.isEmpty() ? "neither " + files.show("/etc/fail2ban/jail.conf") + " nor /usr/bin/fail2ban-server exists" : null,
        "installed (" + String.join(", ", found) + ")");
  }
}
