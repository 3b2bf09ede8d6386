package io.openclaw.operator.controller;

import io.openclaw.operator.api.Condition;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SandboxPolicyStatus;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.Verdict;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.status.StatusAssembler;
import io.openclaw.operator.status.StatusReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A SandboxPolicy's full pass: its plan for every sandbox it governs carried out (the per-container path,
 * {@link SandboxWork}, carries out the same plan's actions for one container the moment it changes), and its status
 * (counts, last actions, exec activity, recurring breaches).
 */
final class PolicyReconciler implements Reconciler {
  static final String RECURRING = "BreachRecurring";
  private final Context c;

  PolicyReconciler(Context context) {
    this.c = context;
  }

  @Override
  public Optional<Duration> reconcile(ResourceKey key) {
    DesiredStore.Entry entry = c.store.entry(key).orElse(null);
    if (entry == null) return Optional.empty();
    if (entry.deleting()) {
      c.forgetMemory(key);
      c.released(key, entry.generation());
      return Optional.empty();
    }
    if (entry.inForce() == null) {
      write(key, entry, Refusal.of(entry), null, List.of(), c.view());
      return Optional.empty();
    }
    c.memory(key); // restores exec activity from the last status before the first plan after a restart
    HostView view = c.view();
    Optional<SandboxPlanner.Plan> planned = HostPlans.policy(view, key);
    if (planned.isEmpty()) {
      write(key, entry, c.missing(key, StatusReason.GATEWAY_NOT_FOUND, "GatewayDeployment " + entry.inForce().as(SandboxPolicy.class).getSpec().gatewayRef().name()
          + " has no valid version; the policy's host paths derive from its stateDir"), null, List.of(), view);
      return Optional.of(c.retryMissing(key));
    }
    c.found(key);
    SandboxPlanner.Plan plan = planned.get();
    carryOut(c, plan, plan.actions());
    plan.reported().forEach(a -> c.report(key, a.containerId(), a));

    List<String> nonConforming = plan.nonConforming().stream().map(v -> v.container().name() + " ("
        + String.join(", ", v.violations().stream().map(x -> x.rule().checkId).toList()) + ")").toList();
    int max = plan.policy().spec().maxConcurrent();
    int running = plan.running();
    boolean breaches = !nonConforming.isEmpty() || running > max;
    String findings = (running > max ? running + " running above the cap " + max + "; " : "") + nonConforming.size()
        + " sandbox(es) break the policy" + (nonConforming.isEmpty() ? "" : ": " + String.join("; ", nonConforming));
    Condition conforming = breaches
        ? new Condition(StatusAssembler.CONFORMING, "False", StatusReason.NON_CONFORMING.word, findings, null, entry.generation())
        : new Condition(StatusAssembler.CONFORMING, "True", "Conforming", running + " sandbox(es) running, all keep the policy", null,
            entry.generation());
    Outcome outcome;
    if (plan.limitsUnsupported().isPresent()) {
      outcome = StatusReason.LIMIT_UNSUPPORTED.outcome(plan.limitsUnsupported().get());
    } else if (!entry.valid()) {
      outcome = Refusal.of(entry);
    } else if (!plan.policy().enforcing() && breaches) {
      // Report mode finding breaches is doing what it was told: Ready, with the findings here and in Conforming=False.
      outcome = StatusReason.NON_CONFORMING.outcome("report mode, nothing is changed: " + findings);
    } else if (breaches) {
      outcome = StatusReason.REMEDIATING.outcome(nonConforming.size() + " sandbox(es) being brought in line: " + String.join("; ", nonConforming));
    } else {
      outcome = Outcome.ready(running + " sandbox(es) running, all conform (cap " + max + ")" + (view.canon().resolvesLinks() ? ""
          : "; the Docker host's filesystem is not visible, so bind paths were compared lexically and symlinks were not checked"));
    }
    write(key, entry, outcome, conforming, plan.verdicts(), view);
    Instant now = c.clock.instant();
    Instant recheck = plan.recheckAt() == null || plan.recheckAt().isAfter(now.plus(c.resync)) ? now.plus(c.resync) : plan.recheckAt();
    Duration next = Duration.between(now, recheck);
    return Optional.of(next.isNegative() ? Duration.ZERO : next.plusMillis(50));
  }

  /** Carries out a policy's actions and remembers them (counts, recurrence by session); the status shows them at once. */
  static void carryOut(Context c, SandboxPlanner.Plan plan, List<Action> actions) {
    ResourceKey key = plan.policy().key();
    for (Action action : actions) {
      Verdict verdict = plan.verdicts().stream().filter(v -> v.container().id().equals(action.containerId())).findFirst().orElse(null);
      if (!c.execute(key, action) || verdict == null) continue;
      c.memory(key).remediated(verdict.container().name(), verdict.container().id(), action.reason().code(), action.type(), c.clock.instant(),
          verdict.container().label(Labels.SESSION_KEY));
      c.enqueueSoon(key);
    }
  }

  /** {@code conforming}: the Conforming condition, or null when the sandboxes were not judged (no plan). */
  private void write(ResourceKey key, DesiredStore.Entry entry, Outcome outcome, Condition conforming, List<Verdict> verdicts, HostView view) {
    PolicyMemory memory = c.memory(key);
    Optional<String> recurring = memory.recurrence(c.clock.instant());
    Condition recurringCondition = new Condition(RECURRING, recurring.isPresent() ? "True" : "False",
        recurring.isPresent() ? "SameSessionBreach" : "None", recurring.orElse(""), null, entry.generation());
    List<SandboxPolicyStatus.ExecActivity> activity = new ArrayList<>();
    var exec = view.exec();
    for (Verdict v : verdicts) {
      Instant at = exec.lastExecAt().get(v.container().id());
      if (at != null) activity.add(new SandboxPolicyStatus.ExecActivity(v.container().id(), at.toString()));
    }
    int running = (int) verdicts.stream().filter(v -> v.container().running()).count();
    int conformingCount = (int) verdicts.stream().filter(v -> v.violations().isEmpty()).count();
    List<Condition> extra = new ArrayList<>();
    if (conforming != null) extra.add(conforming);
    extra.add(recurringCondition);
    c.statuses.writePolicy(key, entry.generation(), outcome, extra, running, conformingCount, memory.remediatedCount(),
        memory.lastActions(), activity);
  }
}
