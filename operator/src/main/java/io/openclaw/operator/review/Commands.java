package io.openclaw.operator.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The programs a line of shell runs, read well enough to review (not to execute): pipelines, lists, command
 * substitutions and the usual wrappers (sudo, env, nohup, xargs, timeout ...) are split, assignments skipped. Also the
 * program a Python or JavaScript process call starts.
 */
final class Commands {
  record Command(String program, List<String> args) {}

  /**
   * Programs that stand for a denied name: the seed denies "docker" (no container engine), "cron" (no scheduling),
   * "elevated" (no privilege change), "browser"; the openclaw CLI drives the gateway, its cron, nodes, browser and
   * sessions, which the gateway-level and agent-level denials forbid.
   */
  private static final Map<String, String> PROGRAM_DENIAL = Map.ofEntries(
      Map.entry("docker", "docker"), Map.entry("docker-compose", "docker"), Map.entry("dockerd", "docker"), Map.entry("podman", "docker"),
      Map.entry("nerdctl", "docker"), Map.entry("ctr", "docker"), Map.entry("crictl", "docker"),
      Map.entry("crontab", "cron"), Map.entry("systemd-run", "cron"),
      Map.entry("sudo", "elevated"), Map.entry("su", "elevated"), Map.entry("doas", "elevated"), Map.entry("pkexec", "elevated"),
      Map.entry("nsenter", "elevated"), Map.entry("chroot", "elevated"), Map.entry("setcap", "elevated"), Map.entry("capsh", "elevated"),
      Map.entry("chromium", "browser"), Map.entry("chromium-browser", "browser"), Map.entry("google-chrome", "browser"),
      Map.entry("google-chrome-stable", "browser"), Map.entry("firefox", "browser"), Map.entry("playwright", "browser"));
  private static final Map<String, String> OPENCLAW_SUBCOMMAND_DENIAL = Map.ofEntries(
      Map.entry("gateway", "gateway"), Map.entry("config", "gateway"), Map.entry("update", "gateway"), Map.entry("plugins", "gateway"),
      Map.entry("cron", "cron"), Map.entry("nodes", "nodes"), Map.entry("devices", "nodes"), Map.entry("browser", "browser"),
      Map.entry("canvas", "canvas"), Map.entry("agent", "sessions_send"));

  /** Words that precede the program without being it. */
  private static final Set<String> PREFIXES = Set.of("if", "then", "else", "elif", "do", "while", "until", "!", "time", "exec", "command",
      "builtin", "nohup", "nice", "stdbuf", "watch", "setsid", "unbuffer");
  private static final Set<String> PREFIXES_WITH_ARG = Set.of("timeout");
  /** Recorded as a program themselves, then the rest of the line is the command they run. */
  private static final Set<String> RUNNERS = Set.of("sudo", "doas", "xargs", "env");
  /** Shell syntax and builtins: not programs a skill needs installed. */
  static final Set<String> BUILTINS = Set.of("if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "case", "esac",
      "function", "return", "local", "export", "declare", "readonly", "set", "unset", "shift", "read", "echo", "printf", "cd", "pwd",
      "test", "[", "[[", "]]", "true", "false", "exit", "source", ".", "eval", "trap", "wait", "break", "continue", "let", "type", "alias",
      "shopt", "getopts", "umask", "ulimit", "pushd", "popd", "hash", "exec", "command", "builtin", "time", "{", "}", "!", "select");

  private static final Pattern SEPARATORS = Pattern.compile("\\|\\||\\||&&|;|&|\\$\\(|`|<\\(|>\\(|\\(|\\)|\\{\\s|\\s\\}");
  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\[[^]]*])?\\+?=.*");
  private static final Pattern PROGRAM = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]*");
  private static final Pattern PROCESS_CALL = Pattern.compile(
      "\\b(?:subprocess\\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|os\\.(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?)"
          + "|execSync|execFileSync|execFile|spawnSync|spawn|exec|Deno\\.Command|Bun\\.spawn)\\s*\\(\\s*(\\[\\s*)?([\"'`])((?:(?!\\2).)*)\\2");

  private Commands() {}

  /** The commands one line of shell runs, in order. */
  static List<Command> parse(String line) {
    List<Command> out = new ArrayList<>();
    String text = stripComment(line).replaceFirst("^\\s*(\\$|>|%|PS>)\\s+", "");
    for (String segment : SEPARATORS.split(text)) parseSegment(tokens(segment), out);
    return out;
  }

  private static void parseSegment(List<String> tokens, List<Command> out) {
    int i = 0;
    while (i < tokens.size()) {
      String t = tokens.get(i);
      if (ASSIGNMENT.matcher(t).matches() || PREFIXES.contains(t)) { i++; continue; }
      if (PREFIXES_WITH_ARG.contains(t)) {
        i++;
        while (i < tokens.size() && tokens.get(i).startsWith("-")) i++;
        i++;
        continue;
      }
      String program = programName(t);
      if (program == null) return;
      if (RUNNERS.contains(program)) {
        out.add(new Command(program, List.of()));
        i++;
        while (i < tokens.size() && (tokens.get(i).startsWith("-") || ASSIGNMENT.matcher(tokens.get(i)).matches())) i++;
        continue;
      }
      out.add(new Command(program, List.copyOf(tokens.subList(i + 1, tokens.size()))));
      return;
    }
  }

  /** Programs started by process calls in Python or JavaScript on this line (the list form's first item, or a command string read as shell). */
  static List<Command> processCalls(String line) {
    List<Command> out = new ArrayList<>();
    Matcher m = PROCESS_CALL.matcher(line);
    while (m.find()) {
      String literal = m.group(3);
      if (m.group(1) != null) {
        String program = programName(literal);
        if (program != null) out.add(new Command(program, List.of()));
      } else {
        out.addAll(parse(literal));
      }
    }
    return out;
  }

  /** The denied name a command stands for, if any. */
  static Optional<String> denialOf(Command c) {
    if (c.program().equals("openclaw") && !c.args().isEmpty()) {
      return Optional.ofNullable(OPENCLAW_SUBCOMMAND_DENIAL.get(c.args().get(0)));
    }
    return Optional.ofNullable(PROGRAM_DENIAL.get(c.program()));
  }

  /** Whether a program name alone (a requires.bins entry) stands for a denied name. */
  static Optional<String> denialOf(String program) { return Optional.ofNullable(PROGRAM_DENIAL.get(program)); }

  private static String programName(String token) {
    String t = token;
    if (t.isEmpty() || t.startsWith("-") || t.startsWith("$") || t.contains("=")) return null;
    int slash = t.lastIndexOf('/');
    if (slash >= 0) t = t.substring(slash + 1);
    return PROGRAM.matcher(t).matches() ? t : null;
  }

  /** Whitespace-separated words, quotes removed (a quoted word stays one token). */
  static List<String> tokens(String segment) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (int i = 0; i < segment.length(); i++) {
      char ch = segment.charAt(i);
      if (quote != 0) {
        if (ch == quote) quote = 0;
        else cur.append(ch);
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
        any = true;
      } else if (Character.isWhitespace(ch)) {
        if (any || !cur.isEmpty()) out.add(cur.toString());
        cur.setLength(0);
        any = false;
      } else {
        cur.append(ch);
      }
    }
    if (any || !cur.isEmpty()) out.add(cur.toString());
    return out;
  }

  /** The line without a trailing # comment (a # that starts a word, outside quotes). */
  static String stripComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quote != 0) {
        if (ch == quote) quote = 0;
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
      } else if (ch == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }
}
