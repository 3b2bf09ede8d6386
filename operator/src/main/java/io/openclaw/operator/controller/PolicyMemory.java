package io.openclaw.operator.controller;

import io.openclaw.operator.api.SandboxPolicyStatus;
import io.openclaw.operator.plan.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a SandboxPolicy's enforcement remembers between passes: the remediation count, the last actions, and
 * which OpenClaw sessions keep producing the same breach (OpenClaw re-creates a removed sandbox at the next tool
 * call, so a breach that comes from its own config comes back).
 */
final class PolicyMemory {
  static final int LAST_ACTIONS = 20;
  static final Duration RECURRENCE_WINDOW = Duration.ofMinutes(30);

  private long remediated;
  private final Deque<SandboxPolicyStatus.EnforcementAction> lastActions = new ArrayDeque<>();
  /**
   * Remediations per session and kind of breach. Isolation breaches count as one kind: which rule names a removal
   * depends on which check saw the sandbox first (the container list at its create, which shows no capabilities, or
   * the inspect at its start), not on the sandbox, so the same OpenClaw config would otherwise never recur.
   */
  private final Map<String, List<Occurrence>> bySessionAndKind = new HashMap<>();

  private record Occurrence(Instant at, String rule) {}

  synchronized void seed(long remediated, List<SandboxPolicyStatus.EnforcementAction> actions) {
    this.remediated = Math.max(this.remediated, remediated);
    if (lastActions.isEmpty() && actions != null) actions.forEach(lastActions::addLast);
  }

  synchronized void remediated(String container, String containerId, String rule, String action, Instant at, String sessionKey) {
    remediated++;
    lastActions.addFirst(new SandboxPolicyStatus.EnforcementAction(container, containerId, rule, action, at.toString()));
    while (lastActions.size() > LAST_ACTIONS) lastActions.removeLast();
    if (sessionKey != null && !sessionKey.isEmpty()) {
      String kind = Rule.byCheckId(rule).filter(PolicyMemory::breach).map(r -> "isolation").orElse(rule);
      List<Occurrence> occurrences = bySessionAndKind.computeIfAbsent(sessionKey + "\u0000" + kind, k -> new ArrayList<>());
      occurrences.add(new Occurrence(at, rule));
      occurrences.removeIf(o -> o.at().isBefore(at.minus(RECURRENCE_WINDOW)));
    }
  }

  /** An isolation breach of one sandbox (not the cap, whose kill is about the others). */
  private static boolean breach(Rule rule) { return rule.isolation() && rule.scope != Rule.Scope.SANDBOX_POLICY; }

  synchronized long remediatedCount() { return remediated; }

  synchronized List<SandboxPolicyStatus.EnforcementAction> lastActions() { return List.copyOf(lastActions); }

  /**
   * The worst recurrence within the window: a session whose sandbox was remediated more than once for one kind of
   * breach (any isolation rule, or one limit), with every rule and OpenClaw key those remediations named.
   */
  synchronized Optional<String> recurrence(Instant now) {
    String worst = null;
    List<Occurrence> worstRecent = List.of();
    for (Map.Entry<String, List<Occurrence>> e : bySessionAndKind.entrySet()) {
      List<Occurrence> recent = e.getValue().stream().filter(o -> !o.at().isBefore(now.minus(RECURRENCE_WINDOW))).toList();
      if (recent.size() > Math.max(1, worstRecent.size())) {
        worstRecent = recent;
        worst = e.getKey();
      }
    }
    if (worst == null) return Optional.empty();
    String session = worst.split("\u0000")[0];
    List<String> checkIds = worstRecent.stream().map(Occurrence::rule).distinct().sorted().toList();
    List<String> keys = checkIds.stream().map(Rule::byCheckId).flatMap(Optional::stream).map(Rule::openClawKey).flatMap(Optional::stream)
        .distinct().toList();
    return Optional.of("the sandbox of session \"" + session + "\" was remediated " + worstRecent.size() + " times in "
        + RECURRENCE_WINDOW.toMinutes() + " min for " + String.join(", ", checkIds) + ": OpenClaw re-creates it from its own config"
        + (keys.isEmpty() ? "" : "; fix " + String.join(", ", keys)
            + " in openclaw.json (the operator renders it; check the gateway's base config and agents.entries overrides)"));
  }
}
