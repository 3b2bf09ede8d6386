package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.status.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every action on the host is logged once with its reason, counted in metrics and, in Kubernetes mode, published
 * as an Event on the resource it was taken for (Warning for kills and failures); so is every change of this host's
 * outcome for a resource (Ready again, retrying, stalled). The sink aggregates repeats.
 */
public final class Recorder {
  private static final Logger log = LoggerFactory.getLogger("actions");

  /** Where Events go: the cluster, or nowhere in directory mode. */
  public interface EventSink {
    void event(ResourceKey on, String type, String reason, String message);

    EventSink NONE = (on, type, reason, message) -> { };
  }

  private static final String NORMAL = "Normal";
  private static final String WARNING = "Warning";

  private final Metrics metrics;
  private volatile EventSink events = EventSink.NONE;

  public Recorder(Metrics metrics) {
    this.metrics = metrics;
  }

  public void events(EventSink sink) { this.events = sink; }

  public void done(ResourceKey owner, Action action, long micros) {
    log.info("{} {} for {} ({} ms): {}", action.type(), action.target(), owner, micros / 1000, action.reason());
    metrics.action(action.type(), action.reason().code(), "ok");
    events.event(owner, kills(action) ? WARNING : NORMAL, camel(action.type()), action.target() + ": " + action.reason().detail());
  }

  /**
   * This host's outcome for a resource changed: Normal when it turned Ready (a recovery, or the first time) or starts
   * progressing from Ready, Warning when it retries an error or stalls. Progress after an error says nothing: the
   * actions it takes are Events of their own.
   */
  public void transition(ResourceKey key, Outcome before, Outcome after) {
    boolean trouble = after.state() == Outcome.State.RETRYING || after.state() == Outcome.State.STALLED;
    if (after.state() == Outcome.State.PROGRESSING && (before == null || before.state() != Outcome.State.READY)) return;
    String note = switch (after.state()) {
      // Not "again": a first pass that made things was Progressing before it was ever Ready.
      case READY -> before == null ? "Ready: " : "Ready (was " + before.reason() + "): ";
      case PROGRESSING -> "no longer Ready, reconciling: ";
      case RETRYING -> "not Ready, retrying: ";
      case STALLED -> "Stalled, needs a person: ";
    };
    String message = note + after.message();
    // The reason once: a Ready note already begins with it ("Ready (was Progressing): ...").
    String line = message.startsWith(after.reason()) ? message : after.reason() + " " + message;
    if (trouble) log.warn("{}: {}", key, line);
    else log.info("{}: {}", key, line);
    events.event(key, trouble ? WARNING : NORMAL, after.reason(), message);
  }

  /** A container killed (no stop grace: a breach, or a foreign container): Warning, not routine. */
  static boolean kills(Action action) {
    return action instanceof Action.RemoveContainer r && r.kill() || action instanceof Action.KillContainer
        || action instanceof Action.RecreateContainer r2 && r2.kill();
  }

  public void failed(ResourceKey owner, Action action, String error) {
    log.warn("{} {} for {} failed: {} (reason was {})", action.type(), action.target(), owner, error, action.reason());
    metrics.action(action.type(), action.reason().code(), "failed");
    events.event(owner, WARNING, camel(action.type()) + "Failed", action.target() + ": " + error);
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
    events.event(owner, WARNING, "PolicyViolation", action.target() + ": " + action.reason().detail());
  }

  private static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    for (String part : snake.split("_")) out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    return out.toString();
  }
}
