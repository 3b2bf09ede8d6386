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

  /** An allowed start: until when it holds a place unseen, and whether the daemon has answered that it started. */
  private record Pending(long until, boolean started) {}

  private final Map<ResourceKey, Map<String, Pending>> pending = new HashMap<>();

  /**
   * @param running the policy's sandboxes running now, as the host shows them
   * @param states every container the host shows, by id, with its state
   */
  synchronized boolean allow(ResourceKey policy, String id, Set<String> running, Map<String, String> states, int max) {
    long now = System.nanoTime();
    Map<String, Pending> starts = pending.computeIfAbsent(policy, k -> new HashMap<>());
    // A pending start stops holding a place once the host shows it running (then it counts there), ended, or gone
    // after the daemon said it started (it ran and was removed); one the host does not show yet still holds one.
    starts.entrySet().removeIf(e -> e.getValue().until() < now || running.contains(e.getKey())
        || ended(states.get(e.getKey())) || (e.getValue().started() && !states.containsKey(e.getKey())));
    long holding = running.stream().filter(r -> !r.equals(id)).count() + starts.keySet().stream().filter(s -> !s.equals(id)).count();
    if (holding >= max) return false;
    starts.put(id, new Pending(now + PENDING.toNanos(), false));
    return true;
  }

  private static boolean ended(String state) {
    return state != null && (state.equals("exited") || state.equals("dead") || state.equals("removing"));
  }

  /** The daemon answered that it started. */
  synchronized void started(String id) {
    pending.values().forEach(starts -> starts.computeIfPresent(id, (k, p) -> new Pending(p.until(), true)));
  }

  /** The daemon did not start it after all. */
  synchronized void release(String id) {
    pending.values().forEach(starts -> starts.remove(id));
  }
}
