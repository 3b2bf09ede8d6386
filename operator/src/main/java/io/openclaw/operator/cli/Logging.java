package io.openclaw.operator.cli;

import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** --log-level and --log-format: the operator's logs (stderr) as text for people or as JSON lines for collectors. */
final class Logging {
  private Logging() {}

  static void level(String level) {
    Level parsed = Level.toLevel(level.toUpperCase(Locale.ROOT), null);
    if (parsed == null) throw new IllegalArgumentException("--log-level must be one of error, warn, info, debug, trace, not " + level);
    Configurator.setRootLevel(parsed);
  }

  static void format(String format) {
    switch (format.toLowerCase(Locale.ROOT)) {
      case "text" -> { }
      case "json" -> {
        Level level = org.apache.logging.log4j.LogManager.getRootLogger().getLevel();
        Configurator.reconfigure(java.net.URI.create("classpath:log4j2-json.xml"));
        Configurator.setRootLevel(level);
      }
      default -> throw new IllegalArgumentException("--log-format must be text or json, not " + format);
    }
  }
}
