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
  private final Map<String, List<Instant>> breachesBySessionAndRule = new HashMap<>();

  synchronized void seed(long remediated, List<SandboxPolicyStatus.EnforcementAction> actions) {
    this.remediated = Math.max(this.remediated, remediated);
    if (lastActions.isEmpty() && actions != null) actions.forEach(lastActions::addLast);
  }

  synchronized void remediated(String container, String containerId, String rule, String action, Instant at, String sessionKey) {
    remediated++;
    lastActions.addFirst(new SandboxPolicyStatus.EnforcementAction(container, containerId, rule, action, at.toString()));
    while (lastActions.size() > LAST_ACTIONS) lastActions.removeLast();
    if (sessionKey != null && !sessionKey.isEmpty()) {
      List<Instant> times = breachesBySessionAndRule.computeIfAbsent(sessionKey + "\u0000" + rule, k -> new ArrayList<>());
      times.add(at);
      times.removeIf(t -> t.isBefore(at.minus(RECURRENCE_WINDOW)));
    }
  }

  synchronized long remediatedCount() { return remediated; }

  synchronized List<SandboxPolicyStatus.EnforcementAction> lastActions() { return List.copyOf(lastActions); }

  /** The worst recurrence within the window: a session whose sandbox was remediated for one rule more than once. */
  synchronized Optional<String> recurrence(Instant now) {
    String worst = null;
    int count = 1;
    for (Map.Entry<String, List<Instant>> e : breachesBySessionAndRule.entrySet()) {
      long recent = e.getValue().stream().filter(t -> !t.isBefore(now.minus(RECURRENCE_WINDOW))).count();
      if (recent > count) {
        count = (int) recent;
        worst = e.getKey();
      }
    }
    if (worst == null) return Optional.empty();
    String[] parts = worst.split("\u0000");
    String checkId = parts[1];
    String key = Rule.byCheckId(checkId).flatMap(Rule::openClawKey).orElse(null);
    return Optional.of("the sandbox of session \"" + parts[0] + "\" was remediated " + count + " times in "
        + RECURRENCE_WINDOW.toMinutes() + " min for " + checkId + ": OpenClaw re-creates it from its own config"
        + (key == null ? "" : "; fix " + key + " in openclaw.json (the operator renders it; check the gateway's base config and agents.entries overrides)"));
  }
}
