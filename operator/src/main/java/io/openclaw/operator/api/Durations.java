package io.openclaw.operator.api;

import java.time.Duration;
import java.util.regex.Matcher;

/** Go-style short durations as written in manifests: 30s, 10m, 1h, 500ms. */
public final class Durations {
  public static final String PATTERN = "^[0-9]+(ms|s|m|h)$";
  private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile("^([0-9]+)(ms|s|m|h)$");

  private Durations() {}

  public static Duration parse(String text) {
    Matcher m = COMPILED.matcher(text == null ? "" : text);
    if (!m.matches()) throw new IllegalArgumentException("not a duration (like 30s, 10m, 1h): " + text);
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
