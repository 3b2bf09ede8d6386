package io.openclaw.operator.status;

import io.openclaw.operator.api.Condition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a resource stands after a reconcile, as kstatus reads it: Ready, still Reconciling, or Stalled (an error
 * that retrying alone will not fix). Rendered as the Ready/Reconciling/Stalled trio.
 */
public record Outcome(State state, String reason, String message) {
  public enum State { READY, RECONCILING, STALLED }

  public static Outcome ready(String message) { return new Outcome(State.READY, "Ready", message); }

  public static Outcome reconciling(String reason, String message) { return new Outcome(State.RECONCILING, reason, message); }

  public static Outcome stalled(String reason, String message) { return new Outcome(State.STALLED, reason, message); }

  /** The trio; a condition's lastTransitionTime is kept from {@code previous} while its status does not change. */
  public List<Condition> conditions(long generation, List<Condition> previous, Clock clock) {
    String now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    List<Condition> out = new ArrayList<>();
    out.add(condition(Condition.READY, state == State.READY, state == State.READY ? "Ready" : reason, message, generation, previous, now));
    out.add(condition(Condition.RECONCILING, state == State.RECONCILING, state == State.RECONCILING ? reason : "Idle",
        state == State.RECONCILING ? message : "", generation, previous, now));
    out.add(condition(Condition.STALLED, state == State.STALLED, state == State.STALLED ? reason : "Healthy",
        state == State.STALLED ? message : "", generation, previous, now));
    return out;
  }

  private static Condition condition(String type, boolean holds, String reason, String message, long generation,
      List<Condition> previous, String now) {
    String status = holds ? "True" : "False";
    String since = previous == null ? now : previous.stream().filter(c -> c.type().equals(type) && c.status().equals(status))
        .map(Condition::lastTransitionTime).findFirst().orElse(now);
    return new Condition(type, status, reason, message, since, generation);
  }

  /** Whether two condition lists say the same, ignoring transition times. */
  public static boolean same(List<Condition> a, List<Condition> b) {
    if (a == null || b == null || a.size() != b.size()) return false;
    for (int i = 0; i < a.size(); i++) if (!a.get(i).sameAs(b.get(i))) return false;
    return true;
  }

  /** The summary of several hosts: stalled if any is, reconciling if any is, else ready. */
  public static Outcome summarize(List<Outcome> hosts) {
    if (hosts.isEmpty()) return reconciling("NoHost", "no operator has reported on this resource yet");
    for (State s : List.of(State.STALLED, State.RECONCILING)) {
      List<Outcome> matching = hosts.stream().filter(o -> o.state() == s).toList();
      if (!matching.isEmpty()) return new Outcome(s, matching.get(0).reason(), matching.get(0).message());
    }
    return hosts.get(0);
  }

  /** Reads the outcome back from a condition trio. */
  public static Outcome of(List<Condition> conditions) {
    if (conditions == null) return reconciling("Unknown", "");
    for (Condition c : conditions) {
      if (c.type().equals(Condition.STALLED) && c.holds()) return stalled(c.reason(), c.message());
    }
    for (Condition c : conditions) {
      if (c.type().equals(Condition.RECONCILING) && c.holds()) return reconciling(c.reason(), c.message());
    }
    for (Condition c : conditions) {
      if (c.type().equals(Condition.READY) && c.holds()) return ready(c.message());
    }
    return reconciling("Unknown", "");
  }
}
