package io.openclaw.operator.cli;

import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.LoggerFactory;

/**
 * The operator's logs (stderr): how a process sets them up, and --log-level and --log-format, text for people or JSON
 * lines for collectors. A process of its own ({@link Main#main}) picks the logger ({@link #plainForOneShotCommands}),
 * starts log4j's set-up beside picocli's ({@link #setUpMeanwhile}) and waits for it before the options apply
 * ({@link #finishSetUp}); any other thread that logs while another starts binds SLF4J first ({@link #bind}).
 */
final class Logging {
  private Logging() {}

  private static final String LOGGER_CONTEXT_FACTORY = "log4j2.loggerContextFactory";
  private static final Object SLF4J_BINDING = new Object();

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

  /**
   * A command that runs once (validate, plan, audit, explain, review, --version) logs its warnings and errors through
   * log4j's simple logger, to stderr: setting up log4j's core (configuration, plugins, appenders; some 550 classes)
   * was a fifth of such a command's time, and it is set up even when nothing is logged (a dependency's static logger
   * is enough). `run` and `admission`, and any --log-level or --log-format, keep the configured logging. Only for a
   * process of its own (main), never for a caller of {@link Main#execute} in a JVM that logs otherwise. True when it
   * chose the simple logger.
   */
  static boolean plainForOneShotCommands(String[] args) {
    if (System.getProperty(LOGGER_CONTEXT_FACTORY) != null) return false;
    for (String arg : args) {
      if (arg.startsWith("--log-")) return false;
    }
    String command = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
    if (command.equals("run") || command.equals("admission")) return false;
    System.setProperty(LOGGER_CONTEXT_FACTORY, "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
    System.setProperty("org.apache.logging.log4j.simplelog.level", "WARN");
    return true;
  }

  /**
   * SLF4J set up before a thread that logs (or whose libraries' classes take a logger as they load) runs beside
   * another: set up by two threads at once, SLF4J prints a warning about substitute loggers to stderr. The first caller
   * sets it up; a caller meanwhile waits until it is done. Each such thread calls this before it logs.
   */
  static void bind() {
    synchronized (SLF4J_BINDING) {
      LoggerFactory.getILoggerFactory();
    }
  }

  /**
   * log4j's core takes a quarter of a second of CPU to set itself up (plugins, configuration, appenders), and the first
   * class with a logger waits for it: for `run` that is the manifest reader, first on a cold start's path. Begun here,
   * it runs beside picocli's parsing instead of after it.
   */
  static void setUpMeanwhile() {
    Thread t = new Thread(Logging::finishSetUp, "logging-setup");
    t.setDaemon(true);
    t.start();
  }

  /**
   * SLF4J bound and log4j's configuration finished: --log-level and --log-format, applied while picocli parses, then
   * reconfigure a finished set-up instead of racing the default one (which would win, and log nothing).
   */
  static synchronized void finishSetUp() {
    bind();
    LoggerFactory.getLogger(Logging.class);
  }
}
