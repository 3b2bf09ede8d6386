package io.openclaw.operator.review;

import io.openclaw.operator.api.DomainRules;
import io.openclaw.operator.review.Commands.Command;
import io.openclaw.operator.review.SkillFolder.Kind;
import io.openclaw.operator.review.SkillFolder.TextFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Line checks over one text file. Markdown is read in zones: the frontmatter, prose (with its inline code spans), and
 * fenced code blocks (shell when the fence says so or says nothing); scripts are code throughout. Secrets read and
 * connections opened are correlated per scope (a script, a code block, a prose line): both in one scope is
 * exfiltration. Decoded payloads (base64, hex, Unicode tag characters) are scanned again as if they were the line.
 */
final class TextScan {
  private static final int EXCERPT = 80;
  private static final Set<String> NET_PROGRAMS = Set.of("curl", "wget", "nc", "ncat", "netcat", "socat", "telnet", "ssh", "scp", "sftp",
      "rsync", "ftp", "dig", "nslookup", "host", "ping", "http", "https", "xh");
  private static final Pattern BARE_HOST = Pattern.compile("(?:[^@\\s]+@)?([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)(?::[^\\s]*)?(?:/.*)?");
  private static final Pattern FILE_NAME = Pattern.compile(".*\\.(sh|py|js|mjs|ts|json|jsonl|txt|md|tar|gz|tgz|zip|html?|ya?ml|log|csv|xml|pem|key|conf|toml|ini|png|jpe?g|gif|svg|pdf|out|tmp|bin|lock|env|cfg)$");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern RESERVED = Pattern.compile("(^|.*\\.)(example\\.(com|net|org)|example|test|invalid|localhost|local|internal|home\\.arpa)$");
  private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,})\\s*([^`\\s{]*)");
  private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern HOMEPAGE = Pattern.compile("^\\s*[\"']?homepage[\"']?\\s*:");
  private static final Pattern TOOL_WORD = Pattern.compile("\\btools?\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern PROSE_ACCESS = Pattern.compile(
      "\\b(read|reads|reading|cat|open|copy|upload|send|post|print|show|dump|include|attach|load|extract|paste|forward|email|zip|tar|archive|back\\s+up)\\b",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern PROSE_SEND = Pattern.compile("\\b(send|post|upload|submit|forward|transmit|email|paste)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern EXEC_HOST = Pattern.compile("\\bhost\\s*[=:]\\s*[\"']?(gateway|node)\\b");
  private static final Pattern ELEVATED = Pattern.compile(
      "\\belevated\\s*[=:]\\s*[\"']?(true|on|full|ask)\\b|/elevated\\s+(on|full|ask)\\b|\\belevated\\s+(mode|exec|access|permissions?)\\b", Pattern.CASE_INSENSITIVE);

  private final ReviewPolicy policy;
  private final Findings findings;
  private final Path root;
  private final List<Path> skillDirs;
  private final Map<String, Pattern> toolMentions = new LinkedHashMap<>();
  /** Programs the folder's scripts and code blocks run, for the review.target finding. */
  final Set<String> programs = new TreeSet<>();

  TextScan(ReviewPolicy policy, Findings findings, Path root, List<Path> skillDirs) {
    this.policy = policy;
    this.findings = findings;
    this.root = root;
    this.skillDirs = skillDirs;
    Set<String> denied = new LinkedHashSet<>(policy.agentDenials());
    denied.addAll(policy.gatewayDenials());
    for (String name : denied) {
      String q = Pattern.quote(name);
      String regex = "`" + q + "`\\s+tools?\\b|(^|\\b(the|a|use|using|call|calling|invoke|invoking|via|with|run|runs)\\s+)`?" + q + "`?\\s+tools?\\b"
          + "|[\"']tool[\"']\\s*:\\s*[\"']" + q + "[\"']|\\btool\\s*[=:]\\s*[\"']?" + q + "\\b";
      // Names like sessions_spawn are no English words: any mention is one.
      if (name.contains("_")) regex += "|\\b" + q + "\\b";
      toolMentions.put(name, Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
    }
  }

  /** A zone of a file: what the line is, which checks apply to it. */
  private record Zone(boolean code, boolean shell, boolean markup, boolean frontmatter) {
    static final Zone PROSE = new Zone(false, false, true, false);
    static final Zone FRONTMATTER = new Zone(false, false, false, true);
  }

  /** Secrets read and connections opened within one script, code block or prose line. */
  private final class Scope {
    final String what;
    final Map<Integer, Set<String>> sources = new LinkedHashMap<>();
    final Map<Integer, Set<String>> calls = new LinkedHashMap<>();

    Scope(String what) { this.what = what; }

    void source(int line, String label) { sources.computeIfAbsent(line, k -> new LinkedHashSet<>()).add(label); }

    void call(int line, String label) { calls.computeIfAbsent(line, k -> new LinkedHashSet<>()).add(label); }

    void close(String file) {
      if (sources.isEmpty() || calls.isEmpty()) return;
      Set<String> read = new LinkedHashSet<>();
      sources.values().forEach(read::addAll);
      String lines = String.join(", ", sources.keySet().stream().map(String::valueOf).toList());
      for (var call : calls.entrySet()) {
        findings.add(ReviewCheck.SECRET_EXFILTRATION, new Location(file, call.getKey()), "opens a connection (" + String.join(", ", call.getValue())
            + ") in the same " + what + " that reads " + String.join(", ", read) + " (line " + lines + ")");
      }
    }
  }

  void scan(TextFile file, SkillManifest manifest) {
    List<String> lines = file.lines();
    boolean markdown = file.kind() == Kind.MARKDOWN;
    int frontmatterEnd = manifest != null ? manifest.closingLine() : markdown ? frontmatterEnd(lines) : 0;
    Scope fileScope = markdown ? null : new Scope(file.kind() == Kind.OTHER ? "file" : "script");
    Zone codeZone = new Zone(true, file.kind() == Kind.SHELL, file.kind() == Kind.OTHER, false);
    String fence = null;
    Zone fenceZone = null;
    Scope fenceScope = null;
    int commentStart = 0;
    StringBuilder comment = null;
    for (int i = 0; i < lines.size(); i++) {
      int n = i + 1;
      String raw = lines.get(i);
      if (!markdown) {
        checkLine(file, n, raw, codeZone, fileScope, null);
        continue;
      }
      if (n <= frontmatterEnd) {
        Scope s = new Scope("line");
        checkLine(file, n, raw, Zone.FRONTMATTER, s, null);
        s.close(file.rel());
        continue;
      }
      Matcher f = FENCE.matcher(raw);
      if (fence != null) {
        if (f.find() && f.group(1).charAt(0) == fence.charAt(0) && f.group(1).length() >= fence.length() && f.group(2).isEmpty()) {
          fenceScope.close(file.rel());
          fence = null;
          continue;
        }
        checkLine(file, n, raw, fenceZone, fenceScope, null);
        continue;
      }
      if (f.find()) {
        fence = f.group(1);
        String lang = f.group(2).toLowerCase(Locale.ROOT);
        fenceZone = new Zone(true, Patterns.SHELL_LANGUAGES.contains(lang), false, false);
        fenceScope = new Scope("code block");
        continue;
      }
      Scope s = new Scope("line");
      checkLine(file, n, raw, Zone.PROSE, s, null);
      s.close(file.rel());
      // HTML comments: rendered pages hide them, the model reads them.
      String rest = raw;
      while (!rest.isEmpty()) {
        if (comment == null) {
          int open = rest.indexOf("<!--");
          if (open < 0) break;
          comment = new StringBuilder();
          commentStart = n;
          rest = rest.substring(open + 4);
        }
        int close = rest.indexOf("-->");
        if (close < 0) {
          comment.append(rest).append(' ');
          break;
        }
        comment.append(rest, 0, close);
        hiddenComment(file, commentStart, comment.toString());
        comment = null;
        rest = rest.substring(close + 3);
      }
      if (Patterns.MARKDOWN_COMMENT.matcher(raw).find()) {
        findings.add(ReviewCheck.HIDDEN_COMMENT, new Location(file.rel(), n), "a Markdown comment ([//]: #): \"" + excerpt(raw.trim()) + "\"");
      }
    }
    if (comment != null) hiddenComment(file, commentStart, comment.toString());
    if (fenceScope != null && fence != null) fenceScope.close(file.rel());
    if (fileScope != null) fileScope.close(file.rel());
  }

  private void hiddenComment(TextFile file, int line, String content) {
    String text = content.trim();
    if (text.isEmpty() || Patterns.TOOL_DIRECTIVE.matcher(text).matches()) return;
    findings.add(ReviewCheck.HIDDEN_COMMENT, new Location(file.rel(), line), "an HTML comment: \"" + excerpt(text) + "\"");
  }

  /** All checks on one line; {@code via} names where a decoded line came from (null for the file's own text). */
  private void checkLine(TextFile file, int n, String raw, Zone zone, Scope scope, String via) {
    Location at = new Location(file.rel(), n);
    String prefix = via == null ? "" : via + ": ";
    String line = via == null ? hiddenCharacters(file, at, n, raw, zone, scope) : raw;

    for (Patterns.Rule r : Patterns.PROMPT_INJECTION) {
      String m = r.find(line);
      if (m != null) findings.add(ReviewCheck.PROMPT_INJECTION, at, prefix + r.label() + ": \"" + excerpt(m) + "\"");
    }
    for (Patterns.Rule r : Patterns.LITERAL_SECRET) {
      if (r.find(line) != null) findings.add(ReviewCheck.LITERAL_SECRET, at, prefix + r.label() + " (the value is not repeated here)");
    }
    if (via == null) encoded(file, at, n, line, zone, scope);
    boolean piped = false;
    for (Patterns.Rule r : Patterns.PIPE_TO_SHELL) {
      String m = r.findFrom(line);
      if (m != null) {
        findings.add(ReviewCheck.PIPE_TO_SHELL, at, prefix + r.label() + ": \"" + excerpt(m) + "\"");
        piped = true;
      }
    }
    if (zone.markup() && Patterns.HIDDEN_STYLE.matcher(line).find()) {
      findings.add(ReviewCheck.HIDDEN_MARKUP, at, prefix + "\"" + excerpt(line.trim()) + "\"");
    }

    // Code: the line itself in scripts and code blocks; the inline code spans of prose.
    List<String> code = new ArrayList<>();
    if (zone.code()) code.add(line);
    else if (!zone.frontmatter()) Patterns.all(INLINE_CODE, line, 1).forEach(code::add);
    boolean secretRead = false;
    Set<String> secretEnv = new LinkedHashSet<>();
    List<Command> commands = new ArrayList<>();
    boolean connects = false;
    for (String c : code) {
      for (Patterns.Rule r : piped ? List.<Patterns.Rule>of() : Patterns.SHELL_EXEC) {
        String m = r.findFrom(c);
        if (m != null) findings.add(ReviewCheck.SHELL_EXEC, at, prefix + r.label() + ": \"" + excerpt(m.trim()) + "\"");
      }
      boolean shellText = zone.shell() || !zone.code();
      for (Patterns.Rule r : Patterns.ENV_DUMP) {
        if (!shellText && r == Patterns.ENV_DUMP.get(0)) continue;
        String m = r.find(c);
        if (m != null) {
          findings.add(ReviewCheck.ENV_DUMP, at, prefix + r.label() + ": \"" + excerpt(m.trim()) + "\"");
          scope.source(n, "the whole environment");
          secretRead = true;
        }
      }
      if (shellText) {
        List<Command> parsed = Commands.parse(c);
        if (zone.code() || commandLike(c)) commands.addAll(parsed);
      }
      commands.addAll(Commands.processCalls(c));
      for (Pattern p : Patterns.ENV_REFERENCE) {
        for (String name : Patterns.all(p, c, 1)) if (Patterns.secretName(name)) secretEnv.add(name);
      }
      Matcher call = Patterns.NETWORK_CALL.matcher(c);
      if (call.find()) {
        scope.call(n, call.group().trim().replaceAll("^[;&|(`$\"']+|\\s*\\($", ""));
        connects = true;
      }
    }
    if (!zone.code() && !zone.frontmatter() && PROSE_SEND.matcher(line).find() && Patterns.URL.matcher(line).find()) {
      scope.call(n, "an instruction to send to a URL");
    }
    for (String name : secretEnv) findings.add(ReviewCheck.SECRET_REQUESTED, at, prefix + "reads $" + name);

    // Prose that names a secret path is a mention ("configure it in ~/.openclaw/openclaw.json") unless it asks for
    // the file to be read or sent; code that names one reads it.
    List<String> commandSpans = zone.code() ? code : code.stream().filter(TextScan::commandLike).toList();
    List<String> secretTexts = zone.code() || PROSE_ACCESS.matcher(line).find() ? List.of(line) : commandSpans;
    for (Patterns.SecretRule r : Patterns.SECRET_ACCESS) {
      if (r.codeOnly() && commandSpans.isEmpty()) continue;
      for (String text : r.codeOnly() ? commandSpans : secretTexts) {
        Matcher m = r.pattern().matcher(text);
        if (m.find()) {
          findings.add(ReviewCheck.SECRET_ACCESS, at, prefix + r.label() + ": \"" + excerpt(m.group()) + "\"");
          scope.source(n, r.label());
          secretRead = true;
          break;
        }
      }
    }

    // Programs: denied ones, and the hosts network programs are pointed at.
    List<String> hosts = new ArrayList<>();
    for (Command c : commands) {
      if (!Commands.BUILTINS.contains(c.program())) programs.add(c.program());
      Commands.denialOf(c).filter(policy::denied).ifPresent(name -> findings.add(ReviewCheck.TOOL_DENIED, at,
          prefix + "runs " + c.program() + (c.program().equals("openclaw") ? " " + c.args().get(0) : "") + ", which stands for \"" + name + "\" ("
              + policy.deniedBy(name) + ")"));
      if (NET_PROGRAMS.contains(c.program())) hosts.addAll(bareHosts(c));
    }

    if (!(zone.frontmatter() && HOMEPAGE.matcher(line).find())) {
      Matcher u = Patterns.URL.matcher(line);
      while (u.find()) hosts.add(hostOf(u.group(2)));
    }
    Set<String> undeclared = new LinkedHashSet<>();
    for (String h : hosts) {
      String why = undeclared(h);
      if (why != null) {
        findings.add(ReviewCheck.UNDECLARED_DOMAIN, at, prefix + why);
        undeclared.add(h);
      }
    }
    // A key sent to its own service (TRELLO_TOKEN to api.trello.com) is use; sent anywhere else outside the allowlist, theft.
    List<String> foreign = secretEnv.stream().filter(name -> undeclared.stream().noneMatch(h -> ownService(name, h))).toList();
    if (!foreign.isEmpty() && !undeclared.isEmpty() && connects) {
      findings.add(ReviewCheck.SECRET_EXFILTRATION, at, prefix + "sends $" + String.join(", $", foreign) + " to " + String.join(", ", undeclared)
          + ", which is neither the key's own service nor in the EgressAllowlist");
    }

    paths(file, at, line, prefix, secretRead);
    if (!zone.frontmatter()) toolMentions(at, line, prefix);
  }

  /**
   * Whether a prose code span is a command: it has arguments and starts in lower case (`docker` alone is a word,
   * `All Systems Operational` a quote, `~/.openclaw/openclaw.json` a path, `docker run x` a command).
   */
  private static boolean commandLike(String span) {
    String t = span.trim();
    return t.contains(" ") && Character.isLowerCase(t.charAt(0));
  }

  /** Whether a host belongs to the service a variable is named after: GITHUB_TOKEN and api.github.com. */
  private static boolean ownService(String variable, String host) {
    String service = variable.split("_")[0].toLowerCase(Locale.ROOT);
    if (service.length() < 3) return false;
    for (String label : host.toLowerCase(Locale.ROOT).split("\\.")) if (label.equals(service) || label.startsWith(service + "-")) return true;
    return false;
  }

  /** Denied tools named as tools, exec on the host, elevated mode. */
  private void toolMentions(Location at, String line, String prefix) {
    for (var e : toolMentions.entrySet()) {
      String name = e.getKey();
      boolean hit = e.getValue().matcher(line).find() || (line.contains("`" + name + "`") && TOOL_WORD.matcher(line).find());
      if (hit) findings.add(ReviewCheck.TOOL_DENIED, at, prefix + "the " + name + " tool (" + policy.deniedBy(name) + ")");
    }
    if (policy.denied("host_exec") && EXEC_HOST.matcher(line).find()) {
      findings.add(ReviewCheck.TOOL_DENIED, at, prefix + "exec on the " + EXEC_HOST.matcher(line).results().findFirst().orElseThrow().group(1)
          + " host instead of the sandbox, which stands for \"host_exec\" (" + policy.deniedBy("host_exec") + ")");
    }
    if (policy.denied("elevated") && ELEVATED.matcher(line).find()) {
      findings.add(ReviewCheck.TOOL_DENIED, at, prefix + "elevated mode (" + policy.deniedBy("elevated") + ")");
    }
    if (Patterns.DOCKER_SOCKET.matcher(line).find()) {
      if (policy.denied("docker")) findings.add(ReviewCheck.TOOL_DENIED, at, prefix + "the Docker socket, which stands for \"docker\" (" + policy.deniedBy("docker") + ")");
      else findings.add(ReviewCheck.HOST_PATH, at, prefix + "the Docker socket");
    }
  }

  /** Absolute host paths and relative paths out of the folder (URLs left out: their paths are not files). */
  private void paths(TextFile file, Location at, String line, String prefix, boolean secretOnLine) {
    String text = Patterns.URL.matcher(line).replaceAll(" ").replaceAll("\\bhttps?://\\S*", " ");
    if (!secretOnLine) {
      Set<String> found = new LinkedHashSet<>();
      Matcher m = Patterns.HOST_PATH.matcher(text);
      while (m.find()) {
        String p = m.group(1) != null ? m.group(1) : m.group(4);
        if (!Patterns.HARMLESS_PATH.matcher(p).matches() && !Patterns.DOCKER_SOCKET.matcher(p).find()) found.add(p);
      }
      if (!found.isEmpty()) findings.add(ReviewCheck.HOST_PATH, at, prefix + String.join(", ", found));
    }
    Matcher m = Patterns.PARENT_PATH.matcher(text);
    Set<String> escaping = new LinkedHashSet<>();
    while (m.find()) {
      Path base = m.group(1) != null ? skillDirOf(file.path()) : file.path().getParent();
      String rel = m.group().substring(m.group(1) == null ? 0 : m.group(1).length());
      Path target = base.resolve(rel.replaceAll("[.:]+$", "").isEmpty() ? ".." : rel).normalize();
      if (!target.startsWith(root)) escaping.add(m.group());
    }
    if (!escaping.isEmpty()) findings.add(ReviewCheck.PATH_ESCAPE, at, prefix + String.join(", ", escaping) + " leads out of the reviewed folder");
  }

  private Path skillDirOf(Path file) {
    Path best = root;
    for (Path d : skillDirs) if (file.startsWith(d) && d.getNameCount() > best.getNameCount()) best = d;
    return best;
  }

  /** Why a host would be refused by the egress proxy, or null when it is allowed or no real destination. */
  private String undeclared(String host) {
    String h = host.toLowerCase(Locale.ROOT).replaceAll("\\.+$", "");
    if (h.isEmpty() || h.matches(".*[${}<>%*\\\\].*")) return null;
    if (h.startsWith("[") || h.contains(":")) {
      return h.equals("[::1]") || h.equals("::1") ? null : h + " (an IPv6 address: the allowlist names domains, the proxy refuses it)";
    }
    Matcher ip = IPV4.matcher(h);
    if (ip.matches()) {
      int a = Integer.parseInt(ip.group(1));
      int b = Integer.parseInt(ip.group(2));
      if (a == 127 || a == 0 || h.equals("169.254.169.254")) return null;
      boolean priv = a == 10 || (a == 172 && b >= 16 && b < 32) || (a == 192 && b == 168) || (a == 169 && b == 254) || (a == 100 && b >= 64 && b < 128);
      return h + (priv ? " (a private address: Smokescreen refuses private ranges)" : " (an IP address: the allowlist names domains, the proxy refuses it)");
    }
    if (!h.contains(".") || RESERVED.matcher(h).matches() || DomainRules.check(h).isPresent()) return null;
    if (DomainRules.allows(policy.domains(), h)) return null;
    if (DomainRules.allows(policy.modelDomains(), h)) {
      return h + " (one of the EgressAllowlist's modelDomains: only the model proxy reaches it, never the gateway or a skill)";
    }
    return h + " (not in the EgressAllowlist)";
  }

  private static String hostOf(String authority) {
    String a = authority;
    int at = a.lastIndexOf('@');
    if (at >= 0) a = a.substring(at + 1);
    if (a.startsWith("[")) return a.contains("]") ? a.substring(0, a.indexOf(']') + 1) : a;
    int colon = a.indexOf(':');
    return colon >= 0 ? a.substring(0, colon) : a;
  }

  /** Hostnames given to a network program without a scheme (curl example.org, ssh user@host, scp f host:path). */
  private static List<String> bareHosts(Command c) {
    List<String> out = new ArrayList<>();
    for (String arg : c.args()) {
      if (arg.startsWith("-") || arg.contains("://") || arg.startsWith("@") || FILE_NAME.matcher(arg.toLowerCase(Locale.ROOT)).matches()) continue;
      Matcher m = BARE_HOST.matcher(arg);
      if (m.matches()) {
        String host = m.group(1);
        String tld = host.substring(host.lastIndexOf('.') + 1);
        if (tld.matches("[A-Za-z]{2,}") || IPV4.matcher(host).matches()) out.add(host);
      }
    }
    return out;
  }

  /**
   * Reports zero-width, bidi-control and tag characters and returns the line without them, so that the other checks
   * read what the model reads; text spelled in tag characters is checked again on its own.
   */
  private String hiddenCharacters(TextFile file, Location at, int n, String raw, Zone zone, Scope scope) {
    Map<Integer, Integer> counts = new LinkedHashMap<>();
    StringBuilder clean = new StringBuilder(raw.length());
    StringBuilder tags = new StringBuilder();
    int[] cps = raw.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int cp = cps[i];
      boolean bomAtStart = cp == 0xFEFF && n == 1 && i == 0;
      boolean emojiJoiner = cp == 0x200D && i > 0 && i + 1 < cps.length && emoji(cps[i - 1]) && emoji(cps[i + 1]);
      if (hidden(cp) && !bomAtStart && !emojiJoiner) {
        counts.merge(cp, 1, Integer::sum);
        if (cp >= 0xE0020 && cp <= 0xE007E) tags.appendCodePoint(cp - 0xE0000);
        continue;
      }
      clean.appendCodePoint(cp);
    }
    if (!counts.isEmpty()) {
      List<String> parts = new ArrayList<>();
      int tagCount = 0;
      for (var e : counts.entrySet()) {
        if (e.getKey() >= 0xE0000 && e.getKey() <= 0xE007F) { tagCount += e.getValue(); continue; }
        String name = Character.getName(e.getKey());
        parts.add(e.getValue() + " x U+" + String.format("%04X", e.getKey()) + (name == null ? "" : " " + name));
      }
      if (tagCount > 0) parts.add(tagCount + " Unicode tag characters" + (tags.isEmpty() ? "" : " spelling \"" + excerpt(tags.toString()) + "\""));
      findings.add(ReviewCheck.HIDDEN_CHARACTERS, at, String.join(", ", parts));
      if (!tags.isEmpty()) checkLine(file, n, tags.toString(), zone, scope, "hidden in Unicode tag characters");
    }
    return clean.toString();
  }

  private static boolean hidden(int cp) {
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069)
        || cp == 0xFEFF || cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x180E || cp == 0x115F || cp == 0x1160 || cp == 0x3164
        || cp == 0xFFA0 || cp == 0x17B4 || cp == 0x17B5 || (cp >= 0xE0000 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF);
  }

  private static boolean emoji(int cp) {
    return cp >= 0x1F000 || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0xFE0F || (cp >= 0x1F3FB && cp <= 0x1F3FF);
  }

  /** Long base64 or hex: what it decodes to is shown, and checked again as if it were the line. */
  private void encoded(TextFile file, Location at, int n, String line, Zone zone, Scope scope) {
    String text = Patterns.URL.matcher(line).replaceAll(" ").replaceAll("\\bhttps?://\\S*", " ");
    Matcher b = Patterns.BASE64.matcher(text);
    while (b.find()) {
      String s = b.group();
      if (!(s.chars().anyMatch(Character::isUpperCase) && s.chars().anyMatch(Character::isLowerCase) && s.chars().anyMatch(Character::isDigit))) continue;
      if (text.substring(0, b.start()).matches("(?s).*\\bsha(256|384|512)-$")) continue; // a subresource-integrity digest
      byte[] decoded = decodeBase64(s);
      payload(file, at, n, s.length() + " characters of base64", decoded, zone, scope);
    }
    Matcher h = Patterns.HEX.matcher(text);
    while (h.find()) {
      String s = h.group().replace("\\x", "");
      payload(file, at, n, h.group().length() + " characters of hex", s.length() % 2 == 0 ? HexFormat.of().parseHex(s) : null, zone, scope);
    }
  }

  private void payload(TextFile file, Location at, int n, String what, byte[] decoded, Zone zone, Scope scope) {
    if (decoded == null) {
      findings.add(ReviewCheck.ENCODED_PAYLOAD, at, what + " that does not decode cleanly");
      return;
    }
    String s = new String(decoded, StandardCharsets.UTF_8);
    long printable = s.chars().filter(c -> c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f && c != 0xFFFD)).count();
    if (s.isEmpty() || printable < 0.9 * s.length()) {
      findings.add(ReviewCheck.ENCODED_PAYLOAD, at, what + " decoding to " + decoded.length + " bytes of binary data");
      return;
    }
    findings.add(ReviewCheck.ENCODED_PAYLOAD, at, what + " decoding to text: \"" + excerpt(s) + "\"");
    for (String decodedLine : s.split("\r?\n")) checkLine(file, n, decodedLine, zone, scope, "in the text encoded on this line");
  }

  private static byte[] decodeBase64(String s) {
    String bare = s.replaceAll("=+$", "");
    int rem = bare.length() % 4;
    if (rem == 1) return null;
    String padded = bare + (rem == 2 ? "==" : rem == 3 ? "=" : "");
    try {
      return (s.contains("-") || s.contains("_") ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(padded);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static int frontmatterEnd(List<String> lines) {
    if (lines.isEmpty() || !lines.get(0).replace("\uFEFF", "").matches("---[ \t]*")) return 0;
    for (int i = 1; i < lines.size(); i++) if (lines.get(i).matches("---[ \t]*")) return i + 1;
    return 0;
  }

  /** A piece of the text for a detail: at most 80 characters, invisible and control characters written as \\uXXXX. */
  static String excerpt(String s) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (int cp : s.codePoints().toArray()) {
      if (shown >= EXCERPT) {
        out.append("...");
        break;
      }
      if (Character.isISOControl(cp) || hidden(cp) || Character.getType(cp) == Character.FORMAT) {
        out.append(cp > 0xFFFF ? String.format("\\U%08X", cp) : String.format("\\u%04X", cp));
      } else {
        out.appendCodePoint(cp);
      }
      shown++;
    }
    return out.toString();
  }
}
