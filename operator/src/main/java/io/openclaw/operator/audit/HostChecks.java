package io.openclaw.operator.audit;

import io.openclaw.operator.api.Yaml;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The host around Docker ({@link HostHardening} says what and why): sshd, UFW, fail2ban and the daemon's defaults,
 * each against the expected values. What cannot be read is reported as info ("not checked"), never guessed.
 */
final class HostChecks {
  static final String OBJECT = "host";
  private static final String SSHD_CONFIG = "/etc/ssh/sshd_config";

  private HostChecks() {}

  /** {@code noNewPrivileges}: also judge the daemon's no-new-privileges default (the audit judges it on its own). */
  static void judge(HostFiles files, String unavailable, HostHardening.Expected expected, HostHardening.Live live,
      HostHardening.DaemonFacts facts, boolean noNewPrivileges, Verdicts v) {
    if (files == null) {
      v.fail(Check.SSHD_NOT_CHECKED.finding(OBJECT, unavailable));
      v.fail(Check.UFW_NOT_CHECKED.finding(OBJECT, unavailable));
      v.fail(Check.FAIL2BAN_NOT_CHECKED.finding(OBJECT, unavailable));
      daemon(null, expected, facts, noNewPrivileges, v);
      return;
    }
    sshd(files, expected, v);
    ufw(files, expected, live, v);
    fail2ban(files, live, v);
    daemon(files, expected, facts, noNewPrivileges, v);
  }

  // ---- sshd

  static void sshd(HostFiles files, HostHardening.Expected expected, Verdicts v) {
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
    if (expected.deployUser() == null) {
      boolean restricted = settings.containsKey("allowusers") || settings.containsKey("allowgroups");
      StackChecks.verdict(v, Check.SSHD_ALLOW_USERS, OBJECT, restricted ? null : "neither AllowUsers nor AllowGroups is set" + source,
          settings.containsKey("allowusers") ? "AllowUsers is set" : "AllowGroups is set");
    } else {
      String allowUsers = settings.get("allowusers");
      String failure;
      if (allowUsers == null) {
        failure = "AllowUsers is not set" + source + ", so every account may log in, not only " + expected.deployUser();
      } else {
        List<String> entries = List.of(allowUsers.split("\\s+"));
        failure = entries.stream().anyMatch(e -> userMatches(e, expected.deployUser())) ? null
            : "AllowUsers " + allowUsers + source + " does not name the deploy user " + expected.deployUser();
      }
      StackChecks.verdict(v, Check.SSHD_DEPLOY_USER, OBJECT, failure, "AllowUsers " + allowUsers + " names " + expected.deployUser());
    }
    Set<String> ports = new TreeSet<>(List.of(settings.getOrDefault("port", "22").split("\\s+")));
    String listen = settings.get("listenaddress");
    if (listen != null) {
      // ListenAddress host:port adds a port of its own.
      for (String address : listen.split("\\s+")) {
        Matcher m = Pattern.compile(":([0-9]+)$").matcher(address);
        if (m.find() && !address.matches("^[0-9a-fA-F:]+$")) ports.add(m.group(1));
      }
    }
    String want = String.valueOf(expected.sshPort());
    boolean exact = ports.equals(Set.of(want));
    StackChecks.verdict(v, Check.SSHD_PORT, OBJECT, exact ? null
        : "sshd listens on " + String.join(", ", ports) + (settings.containsKey("port") ? "" : " (the default)") + source + ", expected " + want,
        "Port " + want);
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

  /** An AllowUsers entry (USER or USER@HOST, with * and ? wildcards) that admits this user name. */
  static boolean userMatches(String entry, String user) {
    String name = entry.contains("@") ? entry.substring(0, entry.indexOf('@')) : entry;
    String regex = Pattern.quote(name).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
    return user.matches(regex);
  }

  private static final Map<String, String> SSHD_NAMES = Map.of("allowtcpforwarding", "AllowTcpForwarding", "allowagentforwarding",
      "AllowAgentForwarding", "allowstreamlocalforwarding", "AllowStreamLocalForwarding", "x11forwarding", "X11Forwarding",
      "permittunnel", "PermitTunnel", "gatewayports", "GatewayPorts");

  /** Keywords sshd accumulates over several lines instead of taking the first. */
  private static final Set<String> ACCUMULATED = Set.of("port", "listenaddress", "allowusers", "allowgroups");

  /**
   * sshd's global settings as sshd reads them: keywords case-insensitive, the first value wins (Port, ListenAddress,
   * AllowUsers and AllowGroups add up), Include is expanded in place, and everything from the first Match on is
   * conditional (so not global).
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
      if (ACCUMULATED.contains(key)) {
        out.merge(key, value, (a, b) -> a + " " + b);
        continue;
      }
      String first = value.split("\\s+")[0].toLowerCase(Locale.ROOT);
      out.putIfAbsent(key, first);
    }
    return true;
  }

  /** An Include pattern's files, sorted as sshd sorts them; a glob only in the last path element. */
  private static List<String> expand(HostFiles files, String pattern) throws IOException {
    int slash = pattern.lastIndexOf('/');
    String dir = pattern.substring(0, Math.max(slash, 1));
    String name = pattern.substring(slash + 1);
    if (!name.contains("*") && !name.contains("?") && !name.contains("[")) return List.of(pattern);
    return glob(files, dir, name);
  }

  private static List<String> glob(HostFiles files, String dir, String name) throws IOException {
    Path directory = files.path(dir);
    if (!Files.isDirectory(directory)) return List.of();
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(p -> matcher.matches(p.getFileName())).map(p -> dir + "/" + p.getFileName()).sorted().toList();
    }
  }

  // ---- UFW

  /** One inbound-relevant UFW rule: allow/limit/deny/reject, direction, ports ("any" or a list), source range. */
  record UfwRule(String action, String direction, String ports, String source, String text) {
    boolean allowsIn() { return (action.equals("allow") || action.equals("limit")) && direction.equals("in"); }

    boolean anyPort() { return ports.equals("any"); }

    /** Whether the rule covers this port: a list (80,443) or ranges (1000:2000) of ports. */
    boolean covers(int port) {
      if (anyPort()) return true;
      for (String part : ports.split(",")) {
        String[] range = part.split(":");
        try {
          int low = Integer.parseInt(range[0].strip());
          int high = range.length > 1 ? Integer.parseInt(range[1].strip()) : low;
          if (port >= low && port <= high) return true;
        } catch (NumberFormatException e) {
          return true; // an application name or something unreadable: assume the worst
        }
      }
      return false;
    }

    /** The ports the rule opens that are not in {@code allowed}, in its own words. */
    List<String> beyond(List<Integer> allowed) {
      if (anyPort()) return List.of("every port");
      List<String> out = new ArrayList<>();
      for (String part : ports.split(",")) {
        String[] range = part.split(":");
        try {
          int low = Integer.parseInt(range[0].strip());
          int high = range.length > 1 ? Integer.parseInt(range[1].strip()) : low;
          for (int p = low; p <= high; p++) {
            if (!allowed.contains(p)) {
              out.add(part.strip());
              break;
            }
          }
        } catch (NumberFormatException e) {
          out.add(part.strip());
        }
      }
      return out;
    }
  }

  /** What UFW says: enabled or not, the default incoming policy, its rules, and where that was read. */
  record UfwState(boolean active, String incoming, List<UfwRule> rules, String source) {}

  static void ufw(HostFiles files, HostHardening.Expected expected, HostHardening.Live live, Verdicts v) {
    Optional<UfwState> state = ufwLive(live);
    if (state.isEmpty()) {
      try {
        state = ufwFiles(files);
      } catch (IOException e) {
        v.fail(Check.UFW_NOT_CHECKED.finding(OBJECT, "UFW's settings cannot be read: " + e.getClass().getSimpleName()));
        return;
      }
    }
    if (state.isEmpty()) {
      v.fail(Check.UFW_NOT_CHECKED.finding(OBJECT, "UFW is not installed (no " + files.show("/etc/ufw/ufw.conf") + ")"));
      return;
    }
    UfwState s = state.get();
    StackChecks.verdict(v, Check.UFW_INACTIVE, OBJECT, s.active() ? null : "UFW is not active (" + s.source() + ")", "active (" + s.source() + ")");
    boolean denies = s.incoming().equalsIgnoreCase("DROP") || s.incoming().equalsIgnoreCase("deny") || s.incoming().equalsIgnoreCase("REJECT");
    StackChecks.verdict(v, Check.UFW_DEFAULT_POLICY, OBJECT, denies ? null : "incoming policy " + s.incoming() + " (" + s.source() + ")",
        "incoming policy " + s.incoming());
    List<UfwRule> in = s.rules().stream().filter(UfwRule::allowsIn).toList();
    List<String> extra = new ArrayList<>();
    for (UfwRule r : in) {
      List<String> beyond = r.beyond(expected.allowedInboundPorts());
      if (!beyond.isEmpty()) extra.add(String.join(",", beyond) + " from " + r.source() + " (rule: " + r.text() + ")");
    }
    String allowed = expected.allowedInboundPorts().stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("none");
    StackChecks.verdict(v, Check.UFW_INBOUND_PORTS, OBJECT, extra.isEmpty() ? null
        : "UFW lets in " + String.join("; ", extra) + ": only " + allowed + " are expected (" + s.source() + ")",
        in.size() + " inbound rule(s), every one for " + allowed);
    List<Cidr> ranges = expected.cloudflareRanges().stream().map(Cidr::parse).flatMap(Optional::stream).toList();
    List<String> open = new ArrayList<>();
    for (int port : expected.cloudflarePorts()) {
      for (UfwRule r : in) {
        if (!r.covers(port)) continue;
        Optional<Cidr> src = Cidr.parse(r.source());
        boolean cloudflare = src.isPresent() && !src.get().any() && ranges.stream().anyMatch(c -> c.contains(src.get()));
        if (!cloudflare) open.add(port + " from " + r.source() + " (rule: " + r.text() + ")");
      }
    }
    String ports = expected.cloudflarePorts().stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("no port");
    StackChecks.verdict(v, Check.UFW_CLOUDFLARE_ONLY, OBJECT, open.isEmpty() ? null
        : "UFW lets in " + String.join("; ", open) + ", beyond Cloudflare's " + ranges.size() + " ranges (" + expected.rangesSource() + ")",
        ports + " only from Cloudflare's ranges (" + expected.rangesSource() + ")");
  }

  private static final Pattern STATUS_RULE = Pattern.compile(
      "^(?<to>.+?)\\s+(?<action>ALLOW|DENY|REJECT|LIMIT)(?:\\s+(?<dir>IN|OUT|FWD))?\\s+(?<from>.+?)\\s*(?:#.*)?$");

  /** {@code ufw status verbose} on the live host: what the kernel's rules are now. */
  static Optional<UfwState> ufwLive(HostHardening.Live live) {
    Optional<HostHardening.Live.Output> out = live.run(List.of("ufw", "status", "verbose"));
    if (out.isEmpty() || out.get().exitCode() != 0 || !out.get().text().contains("Status:")) return Optional.empty();
    return Optional.of(parseStatus(out.get().text()));
  }

  static UfwState parseStatus(String text) {
    boolean active = text.lines().anyMatch(l -> l.strip().equals("Status: active"));
    String incoming = "(unknown)";
    Matcher d = Pattern.compile("(?m)^Default:\\s*([a-z]+) \\(incoming\\)").matcher(text);
    if (d.find()) incoming = d.group(1);
    List<UfwRule> rules = new ArrayList<>();
    boolean table = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("--")) {
        table = true;
        continue;
      }
      if (!table || line.isBlank()) continue;
      Matcher m = STATUS_RULE.matcher(line.strip());
      if (!m.matches()) continue;
      String dir = m.group("dir") == null ? "in" : m.group("dir").toLowerCase(Locale.ROOT);
      if (dir.equals("fwd")) continue;
      rules.add(new UfwRule(m.group("action").toLowerCase(Locale.ROOT), dir, statusPorts(m.group("to")), statusSource(m.group("from")), line.strip()));
    }
    return new UfwState(active, incoming, rules, "`ufw status verbose`");
  }

  /** The ports of a status line's To column: "22/tcp", "80,443/tcp", "10.0.0.1 22/tcp", "Anywhere" (every port). */
  private static String statusPorts(String to) {
    for (String token : to.split("\\s+")) {
      Matcher m = Pattern.compile("^([0-9]+(?:[,:][0-9]+)*)(?:/[a-z]+)?$").matcher(token);
      if (m.matches()) return m.group(1);
    }
    return "any";
  }

  private static String statusSource(String from) {
    String first = from.split("\\s+")[0];
    if (first.equals("Anywhere")) return from.contains("(v6)") ? "::/0" : "0.0.0.0/0";
    return first;
  }

  /** The rules as ufw keeps them (/etc/ufw/user.rules and user6.rules, their "### tuple ###" lines) and its settings. */
  static Optional<UfwState> ufwFiles(HostFiles files) throws IOException {
    Optional<String> conf = files.read("/etc/ufw/ufw.conf");
    Optional<String> defaults = files.read("/etc/default/ufw");
    if (conf.isEmpty() && defaults.isEmpty()) return Optional.empty();
    boolean active = shellVariable(conf.orElse(""), "ENABLED").orElse("no").equalsIgnoreCase("yes");
    String incoming = shellVariable(defaults.orElse(""), "DEFAULT_INPUT_POLICY").orElse("(unset)");
    List<UfwRule> rules = new ArrayList<>();
    for (String file : List.of("/etc/ufw/user.rules", "/etc/ufw/user6.rules")) {
      for (String line : files.read(file).orElse("").split("\n")) {
        if (!line.startsWith("### tuple ###")) continue;
        String tuple = line.substring("### tuple ###".length()).replaceAll(" comment=\\S*$", "").strip();
        String[] t = tuple.split("\\s+");
        if (t.length < 6 || t.length > 9) continue;
        String action = t[0];
        if (action.startsWith("route:")) continue;
        action = action.replaceAll("_log.*$", "");
        String direction = t.length == 7 || t.length == 9 ? t[t.length - 1].split("_")[0] : "in";
        rules.add(new UfwRule(action, direction, t[2], t[5], tuple));
      }
    }
    return Optional.of(new UfwState(active, incoming, rules, "the files under " + files.show("/etc/ufw")));
  }

  static Optional<String> shellVariable(String text, String name) {
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.startsWith(name + "=")) return Optional.of(line.substring(name.length() + 1).replace("\"", "").replace("'", "").strip());
    }
    return Optional.empty();
  }

  // ---- fail2ban

  static void fail2ban(HostFiles files, HostHardening.Live live, Verdicts v) {
    Optional<HostHardening.Live.Output> status = live.run(List.of("fail2ban-client", "status"));
    if (status.isPresent() && status.get().exitCode() == 0 && status.get().text().contains("Jail list:")) {
      v.pass(OBJECT, Check.FAIL2BAN_MISSING.checkId, Check.FAIL2BAN_MISSING.title, "`fail2ban-client status` answers");
      v.pass(OBJECT, Check.FAIL2BAN_NOT_RUNNING.checkId, Check.FAIL2BAN_NOT_RUNNING.title, "fail2ban-server answers `fail2ban-client status`");
      Matcher m = Pattern.compile("Jail list:\\s*(.*)").matcher(status.get().text());
      List<String> jails = m.find() ? List.of(m.group(1).strip().split("[,\\s]+")) : List.of();
      StackChecks.verdict(v, Check.FAIL2BAN_SSHD_JAIL, OBJECT, jails.contains("sshd") ? null
          : "`fail2ban-client status` lists the jails " + (jails.isEmpty() ? "(none)" : String.join(", ", jails)) + ", not sshd", "the sshd jail runs");
      return;
    }
    Path etc = files.path("/etc");
    if (!Files.isDirectory(etc) || !Files.isReadable(etc)) {
      v.fail(Check.FAIL2BAN_NOT_CHECKED.finding(OBJECT, files.show("/etc") + " cannot be read"));
      return;
    }
    List<String> found = Stream.of("/etc/fail2ban/jail.conf", "/usr/bin/fail2ban-server").filter(files::exists).toList();
    StackChecks.verdict(v, Check.FAIL2BAN_MISSING, OBJECT, found.isEmpty() ? "neither " + files.show("/etc/fail2ban/jail.conf") + " nor /usr/bin/fail2ban-server exists" : null,
        "installed (" + String.join(", ", found) + ")");
    if (found.isEmpty()) return;
    Optional<Long> pid = process(files, "fail2ban-server");
    if (pid.isEmpty() && !procVisible(files)) {
      v.fail(Check.FAIL2BAN_NOT_CHECKED.finding(OBJECT, "the host's processes are out of sight (no " + files.show("/proc") + "), so whether fail2ban runs is unknown"));
    } else {
      StackChecks.verdict(v, Check.FAIL2BAN_NOT_RUNNING, OBJECT, pid.isPresent() ? null : "no fail2ban-server process under " + files.show("/proc"),
          "fail2ban-server runs (pid " + pid.orElse(0L) + ")");
    }
    try {
      Optional<Boolean> sshd = sshdJail(files);
      StackChecks.verdict(v, Check.FAIL2BAN_SSHD_JAIL, OBJECT, sshd.orElse(false) ? null
          : sshd.isEmpty() ? "no [sshd] jail in fail2ban's jail files" : "the [sshd] jail is not enabled (enabled = false in fail2ban's jail files)",
          "[sshd] enabled = true");
    } catch (IOException e) {
      v.fail(Check.FAIL2BAN_NOT_CHECKED.finding(OBJECT, "fail2ban's jail files cannot be read: " + e.getClass().getSimpleName()));
    }
  }

  /**
   * Whether the sshd jail is enabled, read as fail2ban reads its jails: jail.conf, jail.d/*.conf, jail.local,
   * jail.d/*.local, a later file overriding an earlier one, [DEFAULT]'s enabled applying to a jail without its own.
   */
  static Optional<Boolean> sshdJail(HostFiles files) throws IOException {
    List<String> order = new ArrayList<>();
    order.add("/etc/fail2ban/jail.conf");
    order.addAll(glob(files, "/etc/fail2ban/jail.d", "*.conf"));
    order.add("/etc/fail2ban/jail.local");
    order.addAll(glob(files, "/etc/fail2ban/jail.d", "*.local"));
    String defaultEnabled = null;
    String sshdEnabled = null;
    boolean sshdSection = false;
    for (String file : order) {
      String section = "";
      for (String raw : files.read(file).orElse("").split("\n")) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
        if (line.startsWith("[") && line.endsWith("]")) {
          section = line.substring(1, line.length() - 1).strip();
          if (section.equals("sshd")) sshdSection = true;
          continue;
        }
        Matcher m = Pattern.compile("^enabled\\s*[=:]\\s*(\\S+)").matcher(line);
        if (!m.find()) continue;
        if (section.equals("DEFAULT")) defaultEnabled = m.group(1);
        if (section.equals("sshd")) sshdEnabled = m.group(1);
      }
    }
    if (!sshdSection) return Optional.empty();
    String value = sshdEnabled != null ? sshdEnabled : defaultEnabled != null ? defaultEnabled : "false";
    return Optional.of(value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes") || value.equals("1"));
  }

  /** Whether the host's processes are seen: its /proc holds a process directory. */
  static boolean procVisible(HostFiles files) {
    Path proc = files.path("/proc");
    if (!Files.isDirectory(proc)) return false;
    try (Stream<Path> entries = Files.list(proc)) {
      return entries.anyMatch(e -> e.getFileName().toString().matches("[0-9]+"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** A process of that name (comm, or the first argument's file name), found under the host's /proc. */
  static Optional<Long> process(HostFiles files, String name) {
    Path proc = files.path("/proc");
    if (!Files.isDirectory(proc)) return Optional.empty();
    try (Stream<Path> entries = Files.list(proc)) {
      for (Path p : entries.filter(e -> e.getFileName().toString().matches("[0-9]+")).sorted().toList()) {
        String pid = p.getFileName().toString();
        String comm = files.readQuietly("/proc/" + pid + "/comm").map(String::strip).orElse("");
        String cmdline = files.readQuietly("/proc/" + pid + "/cmdline").orElse("");
        boolean named = comm.equals(name) || java.util.Arrays.stream(cmdline.split("\0")).limit(3)
            .anyMatch(a -> a.equals(name) || a.endsWith("/" + name));
        if (named) return Optional.of(Long.parseLong(pid));
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  // ---- the daemon's defaults

  /**
   * daemon.json's icc, live-restore, userns-remap (and no-new-privileges when asked), each as the live daemon reports
   * it where it does ({@code facts}), else from dockerd's flags and its config file.
   */
  static void daemon(HostFiles files, HostHardening.Expected expected, HostHardening.DaemonFacts facts, boolean noNewPrivileges, Verdicts v) {
    Optional<DaemonDefaults.Dockerd> dockerd = files == null ? Optional.empty() : DaemonDefaults.dockerd(files);
    List<String> args = dockerd.map(DaemonDefaults.Dockerd::args).orElse(List.of());
    String configPath = DaemonDefaults.flagValue(args, "--config-file").orElse(DaemonDefaults.DEFAULT_CONFIG);
    JsonNode config = null;
    String configState;
    if (files == null) {
      configState = "the host's files are out of sight";
    } else {
      Optional<String> text = files.readQuietly(configPath);
      if (text.isEmpty()) {
        // The subject of "does not set ...", as for a file that exists.
        configState = files.show(configPath) + ", which does not exist,";
        config = Yaml.JSON.createObjectNode();
      } else {
        try {
          config = Yaml.JSON.readTree(text.get());
          configState = files.show(configPath);
        } catch (RuntimeException e) {
          configState = files.show(configPath) + " is not valid JSON";
        }
      }
    }
    var want = expected.daemon();
    if (Boolean.TRUE.equals(want.noNewPrivileges()) && noNewPrivileges) {
      Setting s = setting(config, configState, args, "no-new-privileges", "--no-new-privileges", null);
      report(v, Check.DAEMON_NO_NEW_PRIVILEGES, s, true, "\"no-new-privileges\": true");
    }
    if (Boolean.TRUE.equals(want.iccDisabled())) {
      Setting s = setting(config, configState, args, "icc", "--icc", facts.iccDisabled() == null ? null : !facts.iccDisabled());
      report(v, Check.DAEMON_ICC, s.invert(), true, "\"icc\": false");
    }
    if (Boolean.TRUE.equals(want.liveRestore())) {
      Setting s = setting(config, configState, args, "live-restore", "--live-restore", facts.liveRestore());
      report(v, Check.DAEMON_LIVE_RESTORE, s, true, "\"live-restore\": true");
    }
    if (Boolean.TRUE.equals(want.usernsRemap())) {
      Setting s;
      if (facts.usernsRemap() != null) {
        s = new Setting(facts.usernsRemap(), "the daemon reports " + (facts.usernsRemap() ? "" : "no ") + "user-namespace remapping (docker info)");
      } else {
        Optional<String> flag = DaemonDefaults.flagValue(args, "--userns-remap");
        String fromFile = config == null ? null : config.path("userns-remap").asString("");
        if (flag.isPresent() && !flag.get().isBlank()) s = new Setting(true, "dockerd runs with --userns-remap=" + flag.get());
        else if (config == null) s = new Setting(null, configState);
        else s = new Setting(fromFile != null && !fromFile.isBlank(), configState + (fromFile == null || fromFile.isBlank() ? " does not set \"userns-remap\"" : " sets \"userns-remap\": \"" + fromFile + "\""));
      }
      report(v, Check.DAEMON_USERNS_REMAP, s, true, "\"userns-remap\" set");
    }
  }

  /** A daemon setting: on, off, or unknown (null), and where that was read. */
  record Setting(Boolean on, String evidence) {
    Setting invert() { return new Setting(on == null ? null : !on, evidence); }
  }

  /** The live answer first, then a flag on dockerd's command line, then the config file; the default is off. */
  private static Setting setting(JsonNode config, String configState, List<String> args, String key, String flag, Boolean live) {
    if (live != null) return new Setting(live, "the daemon reports " + key + " " + (live ? "on" : "off"));
    Optional<String> value = DaemonDefaults.flagValue(args, flag);
    if (value.isPresent()) {
      boolean on = !value.get().equals("false");
      return new Setting(on, "dockerd runs with " + flag + "=" + value.get());
    }
    if (config == null) return new Setting(null, configState);
    JsonNode n = config.path(key);
    if (n.isBoolean()) return new Setting(n.asBoolean(), configState + " sets \"" + key + "\": " + n.asBoolean());
    boolean defaultOn = key.equals("icc");
    return new Setting(defaultOn, configState + " does not set \"" + key + "\" (the default is " + defaultOn + ")");
  }

  private static void report(Verdicts v, Check check, Setting s, boolean wanted, String passFact) {
    if (s.on() == null) {
      v.fail(Check.DAEMON_NOT_CHECKED.finding(Audit.DAEMON, check.checkId + ": " + s.evidence()));
      return;
    }
    StackChecks.verdict(v, check, Audit.DAEMON, s.on() == wanted ? null : s.evidence(), passFact + " (" + s.evidence() + ")");
  }
}
