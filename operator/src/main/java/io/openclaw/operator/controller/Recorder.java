package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.plan.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every action on the host is logged once with its reason, counted in metrics and, in Kubernetes mode, published
 * as an Event on the resource it was taken for.
 */
public final class Recorder {
  private static final Logger log = LoggerFactory.getLogger("actions");

  /** Where Events go: the cluster, or nowhere in directory mode. */
  public interface EventSink {
    void event(ResourceKey on, String type, String reason, String message);

    EventSink NONE = (on, type, reason, message) -> { };
  }

  private final Metrics metrics;
  private volatile EventSink events = EventSink.NONE;

  public Recorder(Metrics metrics) {
    this.metrics = metrics;
  }

  public void events(EventSink sink) { this.events = sink; }

  public void done(ResourceKey owner, Action action, long micros) {
    log.info("{} {} for {} ({} ms): {}", action.type(), action.target(), owner, micros / 1000, action.reason());
    metrics.action(action.type(), action.reason().code(), "ok");
    events.event(owner, "Normal", camel(action.type()), action.target() + ": " + action.reason().detail());
  }

  public void failed(ResourceKey owner, Action action, String error) {
    log.warn("{} {} for {} failed: {} (reason was {})", action.type(), action.target(), owner, error, action.reason());
    metrics.action(action.type(), action.reason().code(), "failed");
    events.event(owner, "Warning", camel(action.type()) + "Failed", action.target() + ": " + error);
  }

  /** The authorization plugin refused a request. */
  public void denied(ResourceKey owner, String rule, String container, String message) {
    log.warn("denied{} for {}: {}", container == null ? "" : " " + container, owner, message);
    metrics.action("deny", rule, "ok");
    events.event(owner, "Warning", "Denied", (container == null ? "" : container + ": ") + message);
  }

  /** Every decision of the authorization plugin, timed. */
  public void admission(boolean allowed, String rule, java.time.Duration took) { metrics.admission(allowed, rule, took); }

  /** Report mode: what would have been done. */
  public void reported(ResourceKey owner, Action action) {
    log.warn("report only, not acting: would {} {} for {}: {}", action.type(), action.target(), owner, action.reason());
    metrics.finding(action.reason().code());
    events.event(owner, "Warning", "PolicyViolation", action.target() + ": " + action.reason().detail());
  }

  private static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    for (String part : snake.split("_")) out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    return out.toString();
  }
}
