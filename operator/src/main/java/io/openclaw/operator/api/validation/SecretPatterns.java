package io.openclaw.operator.api.validation;

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
    if (REFERENCE_NAME.matcher(name).find() || value.startsWith("/")) return Optional.empty();
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
}
