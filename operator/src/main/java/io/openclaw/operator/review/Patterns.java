package io.openclaw.operator.review;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text patterns of the review, each with the words a finding uses for it. OpenClaw's own skill scanner
 * (dist/scanner-CHmA4Xs0.mjs: shell-pipe-to-shell, secret-exfiltration, dangerous-exec, obfuscated-code, env-harvesting)
 * and its suspicious-content patterns for external text (dist/external-content-CLufk6dK.mjs) were read for what they
 * cover; these go further: shell and Python as well as JavaScript, the deployment's own secret paths, hidden text.
 */
final class Patterns {
  record Rule(String label, Pattern pattern) {
    /** The first match's text, shortened for a detail, or null. */
    String find(String line) {
      Matcher m = pattern.matcher(line);
      return m.find() ? m.group() : null;
    }

    /** The whole line when it is short, else the line from the first match on (a command reads better whole); null without a match. */
    String findFrom(String line) {
      Matcher m = pattern.matcher(line);
      if (!m.find()) return null;
      return line.trim().length() <= 80 ? line.trim() : line.substring(m.start()).trim();
    }
  }

  private static final int CI = Pattern.CASE_INSENSITIVE;

  private static Rule rule(String label, String regex, int flags) { return new Rule(label, Pattern.compile(regex, flags)); }

  private static Rule rule(String label, String regex) { return rule(label, regex, 0); }

  /** Downloaded or decoded code handed to an interpreter. */
  static final List<Rule> PIPE_TO_SHELL = List.of(
      rule("download piped into a shell", "\\b(curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)\\b[^|\\n]*\\|\\s*(sudo\\s+(-\\S+\\s+)*)?(env\\s+)?(ba|z|da|k|fi)?sh\\b", CI),
      rule("download piped into an interpreter", "\\b(curl|wget)\\b[^|\\n]*\\|\\s*(sudo\\s+)?(python[23]?|node|perl|ruby|php)\\s*(-\\s*)?($|[;&|)])", CI),
      rule("download run through a shell", "\\b(ba|z|da|k)?sh\\s+(-\\w+\\s+)*(<\\(|[\"']?\\$\\(|-c\\s*[\"']?\\$\\()\\s*(curl|wget)\\b", CI),
      rule("download evaluated", "\\b(eval|source|\\.)\\s+[\"']?(\\$\\(|`|<\\()\\s*(curl|wget|base64)\\b", CI),
      rule("download saved and run", "\\b(curl|wget)\\b[^\\n]*&&\\s*(sudo\\s+)?(chmod\\s+\\+?[0-7]*x|(ba|z)?sh\\s|\\./)", CI),
      rule("decoded data piped into a shell", "\\b(base64|base32|xxd)\\s+(-\\w+\\s+)*(-d|--decode|-D|-r)\\b[^|\\n]*\\|\\s*(sudo\\s+)?(ba|z|da|k)?sh\\b", CI),
      rule("PowerShell download evaluated", "\\b(iex|invoke-expression)\\b[^\\n]*(downloadstring|iwr|irm|invoke-webrequest|invoke-restmethod|net\\.webclient)", CI),
      rule("decoded or downloaded code executed", "\\b(exec|eval)\\s*\\([^\\n]*\\b(urlopen|requests\\.get|b64decode|fromhex|decompress|atob|Buffer\\.from|fetch\\()"),
      rule("decoded code compiled", "new\\s+Function\\s*\\([^\\n]*\\b(atob|Buffer\\.from|fetch)\\b"));

  /** A command built at run time (warn: input that reaches it becomes code). */
  static final List<Rule> SHELL_EXEC = List.of(
      rule("shell eval of an expansion", "(^|[;&|({]\\s*|\\s)eval\\s+[\"']?\\$"),
      rule("sh -c with an expansion", "\\b(ba|z|da|k)?sh\\s+-c\\s+[\"'][^\"'\\n]*\\$"),
      rule("eval()", "(?<![\\w.])eval\\s*\\("),
      rule("exec()", "(?<![\\w.])exec\\s*\\(\\s*(?![\"'`]|\\[)"),
      rule("new Function()", "\\bnew\\s+Function\\s*\\("),
      rule("subprocess with shell=True", "\\bshell\\s*=\\s*True\\b"),
      rule("os.system()/os.popen()", "\\bos\\.(system|popen)\\s*\\("),
      rule("child_process exec with a built command", "\\bexec(Sync)?\\s*\\(\\s*(`[^`]*\\$\\{|[\"'][^\"']*[\"']\\s*\\+|[A-Za-z_$][\\w$]*\\s*[,)])"));

  /** Text that talks to the model rather than about a tool. */
  static final List<Rule> PROMPT_INJECTION = List.of(
      rule("override of earlier instructions",
          "\\b(ignore|disregard|forget|override)\\s+((all|any|the|your|of|every)\\s+)*(previous|prior|above|earlier|preceding|system|original|existing|safety|developer|other)\\b[\\w\\s-]{0,24}?\\b(instructions?|prompts?|rules?|guidelines?|directions?|directives?|messages?|polic(y|ies)|context)\\b", CI),
      rule("secrecy towards the user",
          "\\b(do\\s+not|don'?t|never|without)\\s+(tell|telling|inform|informing|mention|mentioning|reveal|revealing|show|showing|disclose|disclosing|notify|notifying|alert|alerting|let)\\b[^.\\n]{0,30}?\\b(the\\s+)?(user|human|operator|owner)s?\\b", CI),
      rule("secrecy towards the user", "\\bkeep\\s+(this|it|these|that)\\s+(secret|hidden|confidential)\\b|\\bthe\\s+user\\s+(must|should)\\s+(not|never)\\s+(know|see|notice|find\\s+out)\\b", CI),
      rule("covert action", "\\b(silently|secretly|quietly|covertly)\\s+(run|send|upload|post|execute|delete|copy|forward|exfiltrate|install|read)\\b", CI),
      rule("role override", "\\byou\\s+are\\s+now\\s+(a|an|in|the|no\\s+longer)\\b|\\b(enter|enable|switch\\s+to|activate)\\s+(developer|god|jailbreak|dan|unrestricted|admin)\\s+mode\\b", CI),
      rule("fake system message", "</?\\s*(system|system[-_]prompt|sys)\\s*>|\\[\\s*(system|system\\s+message|system\\s+prompt)\\s*]|\\bnew\\s+(system\\s+)?instructions?\\s*:|\\bsystem\\s+(prompt\\s+)?override\\b|\\bbegin\\s+system\\s+prompt\\b", CI),
      rule("request for the system prompt", "\\b(reveal|print|output|repeat|show|leak|dump)\\s+(your|the)\\s+(system\\s+prompt|hidden\\s+instructions|initial\\s+instructions)\\b", CI),
      rule("bypass of safeguards", "\\b(disable|bypass|turn\\s+off|circumvent|evade|escape)\\s+(the\\s+)?(safety|security|sandbox(ing)?|guardrails?|(exec\\s+)?approvals?|restrictions?|tool\\s+polic(y|ies)|egress\\s+proxy|allowlist|firewall)\\b", CI),
      rule("approval skipped", "\\b(do\\s+not|don'?t|never)\\s+ask\\s+(the\\s+user\\s+)?(for\\s+)?(confirmation|approval|permission)\\b"
          + "|\\b(run|execute|proceed|install|delete|send|act|continue)\\s+(it\\s+|this\\s+|them\\s+)?without\\s+(asking\\s+(for\\s+)?)?(confirmation|approval|permission|asking)\\b", CI));

  /** Credentials written into the text; the value itself is never repeated in a finding. */
  static final List<Rule> LITERAL_SECRET = List.of(
      rule("an Anthropic API key", "\\bsk-ant-[A-Za-z0-9_-]{20,}"),
      rule("an OpenAI API key", "\\bsk-(proj-|svcacct-)?[A-Za-z0-9_-]{32,}"),
      rule("a GitHub token", "\\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
      rule("a GitLab token", "\\bglpat-[A-Za-z0-9_-]{20,}"),
      rule("a Slack token", "\\bxox[baprs]-[A-Za-z0-9-]{20,}"),
      rule("a Google API key", "\\bAIza[0-9A-Za-z_-]{35}"),
      rule("an AWS access key id", "\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"),
      rule("a private key", "-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----"));

  private static final String HOME = "(~|\\$HOME|\\$\\{HOME}|/root|/home/[^/\\s\"']+|/Users/[^/\\s\"']+)";

  /** Credentials and the deployment's own secrets. {@code codeOnly} marks names too common in prose to flag there. */
  record SecretRule(String label, Pattern pattern, boolean codeOnly) {}

  static final List<SecretRule> SECRET_ACCESS = List.of(
      secret("SSH keys", HOME + "/\\.ssh\\b|\\bid_(rsa|dsa|ecdsa|ed25519)\\b|\\bauthorized_keys\\b", false),
      secret("key or certificate files", "[\\w*.-]+\\.(pem|p12|pfx|jks|keystore)\\b|\\*\\.key\\b", false),
      secret("cloud, registry or tool credentials",
          "\\.aws/(credentials|config)\\b|\\.config/gcloud\\b|\\.azure/|\\.kube/config\\b|\\.docker/config\\.json\\b|\\.netrc\\b|\\.npmrc\\b"
              + "|\\.pypirc\\b|\\.git-credentials\\b|\\.gnupg\\b|\\.config/gh/hosts\\.yml\\b|\\.terraform\\.d/credentials", false),
      secret("browser profiles (cookies, saved passwords)", "\\.mozilla/firefox\\b|Google/Chrome/|\\.config/(google-chrome|chromium)\\b|\\bLogin Data\\b", false),
      secret("the host's secrets", "/etc/(shadow|gshadow|sudoers)\\b|/proc/(self|\\d+|\\$\\$|\\*|\\$\\w+)/environ\\b|/(var/)?run/secrets\\b", false),
      secret("OpenClaw's state and credentials",
          "(\\.openclaw|\\$\\{?OPENCLAW_(STATE_DIR|HOME)}?)/(credentials|agents|identity|devices|state|openclaw\\.json)\\b"
              + "|\\bauth-profiles\\.json\\b|\\bopenclaw(-agent)?\\.sqlite\\b|/etc/openclaw\\b|/run/secrets/openclaw\\b", false),
      secret("OpenClaw's config file (it holds channel and gateway tokens)",
          "\\bopenclaw\\.json\\b|\\$\\{?OPENCLAW_CONFIG_PATH\\b|\\bgateway-token\\b|/var/lib/openclaw\\b", true),
      secret("the cloud metadata service (instance credentials)", "169\\.254\\.169\\.254|\\bmetadata\\.google\\.internal\\b|100\\.100\\.100\\.200", false),
      secret("the system keychain", "\\bsecurity\\s+(find-generic-password|find-internet-password|dump-keychain)\\b|\\bsecret-tool\\s+lookup\\b|\\bkeyctl\\s+(print|read|pipe)\\b", false));

  private static SecretRule secret(String label, String regex, boolean codeOnly) {
    return new SecretRule(label, Pattern.compile(regex), codeOnly);
  }

  /** The whole environment read at once. */
  static final List<Rule> ENV_DUMP = List.of(
      rule("env/printenv without arguments", "(^|[;&|(`]\\s*|\\$\\(\\s*)(env|printenv|export\\s+-p|declare\\s+-x|set)\\s*($|[|>;&)`])"),
      rule("os.environ read whole", "\\b(json\\.dumps|str|repr|print|dict|list)\\s*\\(\\s*os\\.environ\\s*\\)|\\bos\\.environ\\.(items|keys|values)\\s*\\(|\\{\\s*\\*\\*os\\.environ|\\bfor\\s+\\w+\\s+in\\s+os\\.environ\\b"),
      rule("process.env read whole", "\\b(JSON\\.stringify|Object\\.(entries|keys|values)|console\\.log)\\s*\\(\\s*process\\.env\\s*[,)]"));

  /** Anything that opens a connection: with a secret read in the same script, it is a way out. */
  static final Pattern NETWORK_CALL = Pattern.compile(
      "(^|[\\s;&|(`$\"'])(curl|wget|nc|ncat|netcat|socat|telnet|scp|sftp|rsync|ftp|ssh|dig|nslookup)\\s|/dev/(tcp|udp)/"
          + "|\\b(requests|httpx|aiohttp|urllib3)\\.\\w+\\s*\\(|\\burlopen\\s*\\(|\\burllib\\.request\\b|\\bhttp\\.client\\b|\\bsocket\\.(socket|create_connection)\\b|\\bsmtplib\\b"
          + "|\\bfetch\\s*\\(|\\baxios\\b|\\bhttps?\\.(request|get)\\s*\\(|\\bXMLHttpRequest\\b|\\bnew\\s+WebSocket\\b|\\bsendBeacon\\s*\\(");

  /** Environment variables a line reads: shell expansions, os.environ / os.getenv, process.env. */
  static final List<Pattern> ENV_REFERENCE = List.of(
      Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)"),
      Pattern.compile("\\bos\\.environ\\s*\\[\\s*[\"']([A-Za-z0-9_]+)[\"']"),
      Pattern.compile("\\bos\\.(?:environ\\.get|getenv)\\s*\\(\\s*[\"']([A-Za-z0-9_]+)[\"']"),
      Pattern.compile("\\bprocess\\.env\\.([A-Za-z0-9_]+)"),
      Pattern.compile("\\bprocess\\.env\\s*\\[\\s*[\"'`]([A-Za-z0-9_]+)[\"'`]"));

  private static final Pattern SECRET_NAME_PART = Pattern.compile(
      "(^|_)(KEY|APIKEY|API_KEY|TOKEN|SECRET|SECRETS|PASSWORD|PASSWD|PASS|PWD_HASH|CREDENTIAL|CREDENTIALS|COOKIE|AUTH|PAT|PRIVATE|SESSION)(_|$)");

  /** An environment variable named like a secret (API_KEY, GITHUB_TOKEN, DB_PASSWORD ...). */
  static boolean secretName(String name) {
    return name.equals(name.toUpperCase(java.util.Locale.ROOT)) && SECRET_NAME_PART.matcher(name).find();
  }

  /** URLs with a network scheme; group 2 is the authority. */
  static final Pattern URL = Pattern.compile(
      "\\b(https?|wss?|ftps?|sftp|ssh|git|rsync)://([^\\s/?#\"'<>()\\[\\]{}`\\\\|,;]+)", CI);

  /** Host paths a skill has no business with; group 1 is the path. The sandbox's own pseudo-devices are fine. */
  static final Pattern HOST_PATH = Pattern.compile(
      "(?<![\\w.~$}/-])(/(etc|root|home|Users|proc|sys|dev|boot|var/lib|var/run|run|var/log|srv|mnt|media)(/[^\\s\"'`)<>;|&,*]*)?)(?![\\w-])"
          + "|(?<![\\w/$])((~|\\$HOME|\\$\\{HOME})/[^\\s\"'`)<>;|&,]*)");
  static final Pattern HARMLESS_PATH = Pattern.compile("/dev/(null|stdin|stdout|stderr|tty|zero|random|urandom|fd(/\\d+)?|shm)/?|/proc/(self/)?(cpuinfo|meminfo|uptime|loadavg|version)");
  static final Pattern DOCKER_SOCKET = Pattern.compile("/(var/)?run/docker\\.sock\\b|\\bdocker\\.sock\\b");

  /** ../ that may climb out of the folder, with or without {baseDir}/ in front. */
  static final Pattern PARENT_PATH = Pattern.compile("(\\{baseDir}/)?(?<![\\w.])((\\.\\./)+|\\.\\.$)[^\\s\"'`)<>;|&,]*");

  /** Long base64 (or base64url) runs, long hex runs and escaped-byte runs. */
  static final Pattern BASE64 = Pattern.compile("(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{80,}={0,2}(?![A-Za-z0-9+/=_-])");
  static final Pattern HEX = Pattern.compile("(?<![0-9A-Fa-f])[0-9A-Fa-f]{128,}(?![0-9A-Fa-f])|(\\\\x[0-9A-Fa-f]{2}){8,}");

  /** Markup that hides its text from a reader. */
  static final Pattern HIDDEN_STYLE = Pattern.compile(
      "style\\s*=\\s*[\"'][^\"']*(display\\s*:\\s*none|visibility\\s*:\\s*hidden|font-size\\s*:\\s*0(?![.\\d]*[1-9])|opacity\\s*:\\s*0(?![.\\d]*[1-9])"
          + "|(?<![\\w-])color\\s*:\\s*(#fff\\b|#ffffff\\b|white\\b|transparent\\b))"
          + "|<\\w+[^>]*\\shidden(\\s|>|=)|<font[^>]*color\\s*=\\s*[\"']?(white|#fff\\b|#ffffff\\b)", CI);
  /** Markdown's comment idiom: a link reference definition nobody links to. */
  static final Pattern MARKDOWN_COMMENT = Pattern.compile("^\\s{0,3}\\[(//|comment|_|#)]:\\s*(#|<>)");
  /** Directives for linters and formatters: comments, but not hidden text. */
  static final Pattern TOOL_DIRECTIVE = Pattern.compile(
      "^\\s*(markdownlint|prettier|textlint|vale|eslint|cspell|spell-?checker|alex|toc|end ?toc|@format|lint|mdformat|docs-only)\\b.*", CI);

  /** Fenced code languages that are shell. A fence without a language counts too: skills mostly show commands. */
  static final java.util.Set<String> SHELL_LANGUAGES = java.util.Set.of("", "bash", "sh", "shell", "zsh", "console", "terminal",
      "shellscript", "shell-session", "shellsession", "ksh", "fish", "powershell", "ps1", "pwsh", "cmd", "bat");

  /** All matches of a pattern's group on a line. */
  static List<String> all(Pattern p, String line, int group) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(line);
    while (m.find()) if (m.group(group) != null) out.add(m.group(group));
    return out;
  }

  private Patterns() {}
}
