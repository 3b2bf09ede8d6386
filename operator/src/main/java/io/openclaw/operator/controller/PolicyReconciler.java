package io.openclaw.operator.controller;

import io.openclaw.operator.api.Condition;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SandboxPolicyStatus;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.Violation;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.status.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A SandboxPolicy's periodic side: pruning idle and old sandboxes, and the status (counts, last actions, exec
 * activity, recurring breaches). The per-sandbox checks run on the fast path ({@link SandboxEnforcer}).
 */
final class PolicyReconciler implements Reconciler {
  static final String RECURRING = "BreachRecurring";
  private final Controller c;

  PolicyReconciler(Controller controller) {
    this.c = controller;
  }

  @Override
  public Optional<Duration> reconcile(ResourceKey key) {
    DesiredStore.Entry entry = c.store.entry(key).orElse(null);
    if (entry == null) return Optional.empty();
    if (entry.deleting()) {
      c.forgetPolicy(key);
      c.source.released(key);
      return Optional.empty();
    }
    if (entry.inForce() == null) {
      write(key, entry, Controller.refused(entry), List.of(), 0);
      return Optional.empty();
    }
    SandboxPolicy policyObject = entry.inForce().as(SandboxPolicy.class);
    Optional<SandboxPlanner.Policy> resolved = c.enforcer.resolve(policyObject);
    if (resolved.isEmpty()) {
      write(key, entry, Outcome.stalled("GatewayNotFound", "GatewayDeployment " + policyObject.getSpec().gatewayRef().name()
          + " has no valid version; the policy's host paths derive from its stateDir"), List.of(), 0);
      return Optional.of(c.resync);
    }
    SandboxPlanner.Policy policy = resolved.get();
    Instant now = c.clock.instant();
    List<ContainerView> sandboxes = c.enforcer.sandboxesOf(policy);
    Instant recheck = now.plus(c.resync);
    for (SandboxPlanner.Prune prune : SandboxPlanner.prune(policy, sandboxes, c.observed.execActivity(), c.observed::execRunning, now)) {
      if (prune.remove().isPresent()) c.enforcer.act(policy, prune.container(), prune.remove().get());
      else if (prune.recheckAt().isBefore(recheck)) recheck = prune.recheckAt();
    }
    int running = 0;
    List<String> nonConforming = new ArrayList<>();
    for (ContainerView s : sandboxes) {
      if (s.running()) running++;
      List<Violation> violations = SandboxPlanner.check(policy, s, c.canon);
      if (!violations.isEmpty()) nonConforming.add(s.name() + " (" + String.join(", ", violations.stream().map(v -> v.rule().checkId).toList()) + ")");
    }
    int max = policy.spec().maxConcurrent();
    Outcome outcome;
    if (c.limitsUnsupported().isPresent()) {
      outcome = Outcome.stalled("LimitUnsupported", c.limitsUnsupported().get());
    } else if (!entry.valid()) {
      outcome = Controller.refused(entry);
    } else if (!policy.enforcing() && (!nonConforming.isEmpty() || running > max)) {
      outcome = Outcome.stalled("NonConforming", "report mode, nothing is changed: " + (running > max ? running + " running above the cap " + max + "; " : "")
          + nonConforming.size() + " sandbox(es) break the policy: " + String.join("; ", nonConforming));
    } else if (!nonConforming.isEmpty() || running > max) {
      outcome = Outcome.reconciling("Remediating", nonConforming.size() + " sandbox(es) being brought in line: " + String.join("; ", nonConforming));
    } else {
      outcome = Outcome.ready(running + " sandbox(es) running, all conform (cap " + max + ")" + (c.canon.resolvesLinks() ? ""
          : "; the Docker host's filesystem is not visible, so bind paths were compared lexically and symlinks were not checked"));
    }
    write(key, entry, outcome, sandboxes, sandboxes.size() - nonConforming.size());
    Duration next = Duration.between(now, recheck);
    if (!nonConforming.isEmpty() && policy.enforcing()) next = Duration.ofSeconds(1);
    return Optional.of(next.isNegative() ? Duration.ZERO : next.plusMillis(50));
  }

  private void write(ResourceKey key, DesiredStore.Entry entry, Outcome outcome, List<ContainerView> sandboxes, int conforming) {
    PolicyState state = c.policyState(key);
    Instant now = c.clock.instant();
    Optional<String> recurring = state.recurrence(now);
    Condition recurringCondition = new Condition(RECURRING, recurring.isPresent() ? "True" : "False",
        recurring.isPresent() ? "SameSessionBreach" : "None", recurring.orElse(""), null, entry.generation());
    List<SandboxPolicyStatus.ExecActivity> activity = new ArrayList<>();
    for (ContainerView s : sandboxes) {
      c.observed.lastExecAt(s.id()).ifPresent(at -> activity.add(new SandboxPolicyStatus.ExecActivity(s.id(), at.toString())));
    }
    int running = (int) sandboxes.stream().filter(ContainerView::running).count();
    c.statuses.writePolicy(key, entry.generation(), outcome, recurringCondition, running, conforming, state.remediatedCount(),
        state.lastActions(), activity);
  }
}
