package io.openclaw.operator.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Everything the operator logs while attached, formatted as it would be printed: for proving what never appears. */
public final class CapturedLog extends AbstractAppender implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private CapturedLog() {
    super("captured", null, null, true, Property.EMPTY_ARRAY);
  }

  public static CapturedLog attach() {
    CapturedLog log = new CapturedLog();
    log.start();
    ((Logger) LogManager.getRootLogger()).addAppender(log);
    return log;
  }

  @Override
  public void append(LogEvent event) {
    String thrown = event.getThrown() == null ? "" : " " + event.getThrown();
    lines.add(event.getLoggerName() + " " + event.getMessage().getFormattedMessage() + thrown);
  }

  public String text() { return String.join("\n", lines); }

  @Override
  public void close() {
    ((Logger) LogManager.getRootLogger()).removeAppender(this);
    stop();
  }
}
