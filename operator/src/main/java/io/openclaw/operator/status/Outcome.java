package io.openclaw.operator.status;

import io.openclaw.operator.api.Condition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a resource stands after a reconcile, in the terms kstatus and Flux read (README "Status"): Ready; still
 * Reconciling, either making progress or retrying an error that may pass (Flux's {@code ProgressingWithRetry}); or
 * Stalled, which is only for what a person must fix (an invalid spec, a conflict, a referenced object missing past
 * the grace period, a kernel without the limits). Rendered as the Ready/Reconciling/Stalled trio.
 *
 * @param reason why, one CamelCase word: Ready's reason whenever Ready is False, and Reconciling's or Stalled's too,
 *     except that a retried error says {@value #RETRY_REASON} on Reconciling
 */
public record Outcome(State state, String reason, String message) {
  public enum State {
    READY,
    /** Changes were made or are awaited (another host, the next look): Reconciling with the reason. */
    PROGRESSING,
    /** An error that retrying may fix: Reconciling=True, reason ProgressingWithRetry; Ready=False says which error. */
    RETRYING,
    /** Needs a person: Stalled=True; the operator may keep retrying, but waiting alone is not expected to fix it. */
    STALLED
  }

  /** Reconciling's reason while an error is retried (Flux's word for it). */
  public static final String RETRY_REASON = "ProgressingWithRetry";

  public static Outcome ready(String message) { return new Outcome(State.READY, "Ready", message); }

  /** Making progress (changes applied, awaiting their effect): nothing is wrong. */
  public static Outcome reconciling(String reason, String message) { return new Outcome(State.PROGRESSING, reason, message); }

  /** An error the operator retries: {@code reason} names it (ActionFailed, ImageUnavailable, SecretUnavailable, ...). */
  public static Outcome retrying(String reason, String message) { return new Outcome(State.RETRYING, reason, message); }

  public static Outcome stalled(String reason, String message) { return new Outcome(State.STALLED, reason, message); }

  /** The trio; a condition's lastTransitionTime is kept from {@code previous} while its status does not change. */
  public List<Condition> conditions(long generation, List<Condition> previous, Clock clock) {
    String now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    boolean reconciling = state == State.PROGRESSING || state == State.RETRYING;
    List<Condition> out = new ArrayList<>();
    out.add(condition(Condition.READY, state == State.READY, reason, message, generation, previous, now));
    out.add(condition(Condition.RECONCILING, reconciling, !reconciling ? "Idle" : state == State.RETRYING ? RETRY_REASON : reason,
        reconciling ? message : "", generation, previous, now));
    out.add(condition(Condition.STALLED, state == State.STALLED, state == State.STALLED ? reason : "Healthy",
        state == State.STALLED ? message : "", generation, previous, now));
    return out;
  }

  static Condition condition(String type, boolean holds, String reason, String message, long generation, List<Condition> previous, String now) {
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

  /** The worst of several (the hosts' current entries): stalled if any is, then retrying, then progressing, else ready. */
  public static Outcome summarize(List<Outcome> hosts) {
    if (hosts.isEmpty()) return reconciling(StatusReason.NO_HOST.word, "no operator has reported on this resource yet");
    for (State s : List.of(State.STALLED, State.RETRYING, State.PROGRESSING)) {
      List<Outcome> matching = hosts.stream().filter(o -> o.state() == s).toList();
      if (!matching.isEmpty()) return new Outcome(s, matching.get(0).reason(), matching.get(0).message());
    }
    return hosts.get(0);
  }

  /** Reads the outcome back from a condition trio. */
  public static Outcome of(List<Condition> conditions) {
    if (conditions == null) return reconciling("Unknown", "");
    Condition ready = find(conditions, Condition.READY);
    Condition reconciling = find(conditions, Condition.RECONCILING);
    Condition stalled = find(conditions, Condition.STALLED);
    if (stalled != null && stalled.holds()) return stalled(stalled.reason(), stalled.message());
    if (reconciling != null && reconciling.holds()) {
      if (RETRY_REASON.equals(reconciling.reason())) {
        return retrying(ready != null && !ready.holds() ? ready.reason() : RETRY_REASON, reconciling.message());
      }
      return reconciling(reconciling.reason(), reconciling.message());
    }
    if (ready != null && ready.holds()) return ready(ready.message());
    return reconciling("Unknown", "");
  }

  private static Condition find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }
}
