package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.status.StatusReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Referenced inputs that are missing (a Secret, a secret file, an image, a SandboxPolicy's gateway): retried as
 * Reconciling for a grace period, since they often arrive a moment later (a GitOps apply creates the Secret after the
 * resource), then Stalled, since waiting has not brought them and a person must; the retries go on either way.
 */
final class MissingInputs {
  /** How soon a missing input is looked for again (the watches on Secrets and files usually notice first). */
  static final Duration RETRY = Duration.ofSeconds(30);

  private record Missing(StatusReason reason, Instant since) {}

  private final Clock clock;
  private final Duration grace;
  private final Map<ResourceKey, Missing> missing = new ConcurrentHashMap<>();

  MissingInputs(Clock clock, Duration grace) {
    this.clock = clock;
    this.grace = grace;
  }

  /** The outcome of a resource that misses this input now; the grace period runs from the first time it was missed. */
  Outcome outcome(ResourceKey key, StatusReason reason, String message) {
    Instant now = clock.instant();
    Missing m = missing.compute(key, (k, before) -> before != null && before.reason() == reason ? before : new Missing(reason, now));
    if (Duration.between(m.since(), now).compareTo(grace) < 0) return reason.outcome(message, false);
    return reason.outcome(message + " (missing since " + m.since().truncatedTo(ChronoUnit.SECONDS) + "; still retried)", true);
  }

  /** Nothing is missing (any more) for this resource. */
  void found(ResourceKey key) { missing.remove(key); }

  /** When to look again: soon, and no later than the moment the resource turns Stalled. */
  Duration retryAfter(ResourceKey key) {
    Missing m = missing.get(key);
    if (m == null) return RETRY;
    Duration left = Duration.between(clock.instant(), m.since().plus(grace));
    return left.isNegative() || left.compareTo(RETRY) >= 0 ? RETRY : left.plusMillis(50);
  }
}
