package io.openclaw.operator.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises values that look like credentials, by the variable's name or by the value's own shape. Used by
 * {@code validate} on manifests and by {@code audit} on live containers; the value itself is never returned.
 */
public final class SecretPatterns {
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i)(^|[_.-])(token|secret|passw(or)?d|passwd|pwd|api[_-]?key|apikey|master[_-]?key|private[_-]?key|access[_-]?key|credentials?|auth)($|[_.-])");
  private static final Pattern REFERENCE_NAME = Pattern.compile("(?i)_(file|path|dir|url|host|port|env)$");
  /** Switch-like values (AUTH=0 in the socket proxy, --auth none) cannot be credentials, whatever the name says. */
  private static final Pattern FLAG_VALUE = Pattern.compile("(?i)0|1|true|false|yes|no|on|off|none|null|enabled?|disabled?");
  private static final Pattern[] SECRET_VALUES = {
      Pattern.compile("sk-(ant-|proj-)?[A-Za-z0-9_-]{20,}"),
      Pattern.compile("gh[pousr]_[A-Za-z0-9]{30,}"),
      Pattern.compile("xox[abprs]-[A-Za-z0-9-]{10,}"),
      Pattern.compile("AKIA[0-9A-Z]{16}"),
      Pattern.compile("AIza[0-9A-Za-z_-]{35}"),
      Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),
      Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}"),
      Pattern.compile("[0-9]{8,10}:[A-Za-z0-9_-]{35}"), // Telegram bot token
      Pattern.compile("://[^/:@\\s]+:[^/@\\s]+@"),       // credentials inside a URL
  };

  private SecretPatterns() {}

  /** Why a NAME=value pair looks like a secret, or empty. The reason never contains the value. */
  public static Optional<String> envReason(String name, String value) {
    if (value == null || value.isEmpty()) return Optional.empty();
    Optional<String> byValue = valueReason(value);
    if (byValue.isPresent()) return byValue;
    if (REFERENCE_NAME.matcher(name).find() || value.startsWith("/") || FLAG_VALUE.matcher(value).matches()) return Optional.empty();
    var m = SECRET_NAME.matcher(name);
    return m.find() ? Optional.of("its name contains " + m.group(2).toUpperCase()) : Optional.empty();
  }

  /** Why a free-standing value (a command argument, a label) looks like a secret, or empty. */
  public static Optional<String> valueReason(String value) {
    if (value == null) return Optional.empty();
    for (Pattern p : SECRET_VALUES) {
      if (p.matcher(value).find()) return Optional.of("its value has the shape of a credential");
    }
    return Optional.empty();
  }

  /**
   * Why arguments of a command line look like secrets, one line per argument ("argument 3: ..."), never the value:
   * {@code --name=value}, {@code --name value} and free-standing values are each judged.
   */
  public static List<String> commandReasons(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String previous = i > 0 ? args.get(i - 1) : "";
      Optional<String> reason;
      int eq = arg.indexOf('=');
      if (arg.startsWith("-") && eq > 0) {
        reason = envReason(flagName(arg.substring(0, eq)), arg.substring(eq + 1));
      } else if (previous.startsWith("-") && previous.indexOf('=') < 0 && !arg.startsWith("-")) {
        reason = envReason(flagName(previous), arg);
      } else {
        reason = valueReason(arg);
      }
      int position = i + 1;
      reason.ifPresent(r -> out.add("argument " + position + ": " + r));
    }
    return out;
  }

  /** The text with every credential-shaped part replaced: for relaying output this program did not write. */
  public static String redact(String text) {
    if (text == null) return null;
    String out = text;
    for (Pattern p : SECRET_VALUES) out = p.matcher(out).replaceAll("[redacted]");
    return out;
  }

  private static String flagName(String flag) { return flag.replaceFirst("^-+", "").replace('-', '_'); }
}
