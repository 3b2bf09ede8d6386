package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.BaselinePlanner;
import io.openclaw.operator.plan.Rule;
import io.openclaw.operator.plan.SandboxPlanner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fast path: one container judged straight from its event, so one breach never waits behind a whole policy
 * pass. It carries out the very plan the full pass would make ({@link HostPlans}), restricted to this container and
 * to the cap: its own remediation, and the newest sandboxes beyond maxConcurrent. Containers no policy governs are
 * judged by the host baseline; the operator's own components are the GatewayDeployment reconciler's business.
 */
final class SandboxWork {
  /** The owner under which baseline actions are recorded (the host, not one resource). */
  static final ResourceKey HOST = new ResourceKey("HostBaseline", "", "host");

  private final Context c;

  SandboxWork(Context context) {
    this.c = context;
  }

  void handle(ContainerKey key) {
    String id = key.id();
    if (c.beingRemoved(id) || c.ownership().all().containsKey(id)) return;
    ContainerView container;
    HostView view = c.view();
    if (key.early()) {
      // Already inspected: the inspect's own check judges it, with everything the list does not show.
      if (c.observed(id).isPresent()) return;
      container = c.listed(id).orElse(null);
      if (container == null) return;
      Map<String, ContainerView> containers = new LinkedHashMap<>(view.snapshot().containers());
      containers.put(id, container);
      view = view.with(new HostSnapshot(containers, view.snapshot().networks()));
    } else {
      container = c.observed(id).orElse(null);
    }
    if (container == null || container.state().equals("removing") || container.state().equals("dead")) return;
    Optional<ResourceKey> policy = HostPlans.governing(view, container.labels());
    if (policy.isPresent()) {
      Optional<SandboxPlanner.Plan> plan = HostPlans.policy(view, policy.get());
      if (plan.isEmpty()) return;
      PolicyReconciler.carryOut(c, plan.get(), forThisOrTheCap(plan.get().actions(), id));
      forThisOrTheCap(plan.get().reported(), id).forEach(a -> c.report(policy.get(), a.containerId(), a));
      c.enqueueSoon(policy.get());
    } else {
      BaselinePlanner.Plan plan = HostPlans.baseline(view, List.of(container));
      for (Action a : plan.actions()) c.execute(HOST, a);
      plan.reported().forEach(a -> c.report(HOST, a.containerId(), a));
    }
  }

  /** This container's actions, and the cap's (which may name the newest sandbox rather than this one). */
  private static List<Action> forThisOrTheCap(List<Action> actions, String id) {
    return actions.stream().filter(a -> id.equals(a.containerId()) || a.reason().code().equals(Rule.SANDBOX_MAX_CONCURRENT.checkId)).toList();
  }
}
