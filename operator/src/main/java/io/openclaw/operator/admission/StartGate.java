package io.openclaw.operator.admission;

import io.openclaw.operator.api.ResourceKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The race-free cap: a start is allowed while the sandboxes running under the policy plus the starts already allowed
 * (not yet seen running) stay below maxConcurrent. Decisions for one policy are made one at a time, so twenty starts
 * at once can never all see room for themselves.
 */
final class StartGate {
  /** A start that has not shown up as running by then is taken to have failed. */
  static final Duration PENDING = Duration.ofSeconds(15);

  private final Map<ResourceKey, Map<String, Long>> pending = new HashMap<>();

  synchronized boolean allow(ResourceKey policy, String id, Set<String> running, int max) {
    long now = System.nanoTime();
    Map<String, Long> starts = pending.computeIfAbsent(policy, k -> new HashMap<>());
    starts.values().removeIf(until -> until < now);
    starts.keySet().removeAll(running);
    long holding = running.stream().filter(r -> !r.equals(id)).count() + starts.keySet().stream().filter(s -> !s.equals(id)).count();
    if (holding >= max) return false;
    starts.put(id, now + PENDING.toNanos());
    return true;
  }

  /** The daemon did not start it after all. */
  synchronized void release(String id) {
    pending.values().forEach(starts -> starts.remove(id));
  }
}
