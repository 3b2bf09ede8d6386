package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.docker.ContainerBrief;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.Violation;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path: one sandbox's check, or one policy's concurrency cap, straight from an event. Sandboxes are
 * checked per container, so one breach never waits behind a whole policy pass.
 */
final class SandboxEnforcer {
  private static final Logger log = LoggerFactory.getLogger(SandboxEnforcer.class);
  private final Controller c;

  SandboxEnforcer(Controller controller) {
    this.c = controller;
  }

  void handle(SandboxKey key) {
    if (key instanceof SandboxKey.Container container) check(container.id());
    else if (key instanceof SandboxKey.Early early) early(early.id());
    else if (key instanceof SandboxKey.Cap cap) cap(cap.policy());
  }

  /** The create event's fast judgement: mounts and network from the list, before the start can complete. */
  private void early(String id) {
    if (c.observed.beingRemoved(id)) return;
    Optional<ContainerBrief> brief = c.docker.brief(id);
    if (brief.isEmpty()) return;
    Optional<SandboxPlanner.Policy> policy = c.store.governingPolicy(brief.get().labels()).flatMap(this::resolve);
    if (policy.isEmpty()) return;
    List<Violation> breaches = SandboxPlanner.earlyBreaches(policy.get(), brief.get(), c.canon);
    if (breaches.isEmpty()) return;
    act(policy.get(), id, brief.get().name(), brief.get().labels().get(Labels.SESSION_KEY), SandboxPlanner.removal(id, brief.get().name(), breaches));
  }

  /** The policy governing a container, with its host paths resolved, if any policy selects it. */
  Optional<SandboxPlanner.Policy> policyFor(ContainerView container) {
    List<SandboxPolicy> matching = c.store.policiesMatching(container.labels());
    if (matching.isEmpty()) return Optional.empty();
    if (matching.size() > 1) {
      log.warn("{} is selected by {} policies; validation reports the overlap, the first by name applies", container.name(), matching.size());
    }
    return resolve(c.store.governingPolicy(container.labels()).orElseThrow());
  }

  Optional<SandboxPlanner.Policy> resolve(SandboxPolicy policy) {
    return c.store.gatewayFor(policy).map(gateway -> SandboxPlanner.Policy.of(policy, gateway.getSpec()));
  }

  private void check(String id) {
    Optional<ContainerView> found = c.observed.container(id);
    if (found.isEmpty() || c.observed.beingRemoved(id)) return;
    ContainerView container = found.get();
    if (container.state().equals("removing") || container.state().equals("dead")) return;
    Optional<SandboxPlanner.Policy> policy = policyFor(container);
    if (policy.isEmpty()) return;
    List<Violation> violations = SandboxPlanner.check(policy.get(), container, c.canon);
    Optional<Action> action = SandboxPlanner.remediate(policy.get(), container, violations);
    if (action.isPresent()) act(policy.get(), container, action.get());
    c.sandboxes.add(new SandboxKey.Cap(policy.get().key()));
    c.enqueueSoon(policy.get().key());
  }

  private void cap(ResourceKey policyKey) {
    Optional<SandboxPolicy> policyObject = c.store.get(policyKey, SandboxPolicy.class);
    if (policyObject.isEmpty()) return;
    Optional<SandboxPlanner.Policy> policy = resolve(policyObject.get());
    if (policy.isEmpty()) return;
    List<ContainerView> sandboxes = sandboxesOf(policy.get());
    Set<String> condemned = new HashSet<>();
    for (ContainerView s : sandboxes) {
      if (SandboxPlanner.breachesIsolation(SandboxPlanner.check(policy.get(), s, c.canon))) condemned.add(s.id());
    }
    for (Action action : SandboxPlanner.concurrency(policy.get(), sandboxes, condemned, c.clock.instant())) {
      ContainerView target = sandboxes.stream().filter(s -> s.id().equals(((Action.RemoveContainer) action).id())).findFirst().orElseThrow();
      act(policy.get(), target, action);
    }
  }

  List<ContainerView> sandboxesOf(SandboxPlanner.Policy policy) {
    return c.observed.snapshot().allContainers().stream().filter(s -> policy.spec().selector().matches(s.labels()))
        .filter(s -> !c.observed.beingRemoved(s.id()) && !s.state().equals("removing") && !s.state().equals("dead"))
        .filter(s -> c.store.governingPolicy(s.labels()).map(ResourceKey::of).map(policy.key()::equals).orElse(false))
        .toList();
  }

  void act(SandboxPlanner.Policy policy, ContainerView container, Action action) {
    act(policy, container.id(), container.name(), container.label(Labels.SESSION_KEY), action);
  }

  /** Enforce mode acts; report mode says once what it would have done. */
  void act(SandboxPlanner.Policy policy, String id, String name, String sessionKey, Action action) {
    if (!c.effective(action)) return;
    PolicyState state = c.policyState(policy.key());
    if (!policy.enforcing()) {
      if (state.firstReport(id, action.reason().code())) c.recorder.reported(policy.key(), action);
      return;
    }
    boolean removal = action instanceof Action.RemoveContainer;
    if (removal && !c.observed.claimRemoval(id)) return;
    try {
      c.execute(policy.key(), action);
    } catch (RuntimeException e) {
      if (removal) c.observed.removalFailed(id);
      throw e;
    }
    state.remediated(name, id, action.reason().code(), action.type(), c.clock.instant(), sessionKey);
    // The status shows the action now: the removed container's own events may never reach a policy pass.
    c.enqueueSoon(policy.key());
  }
}
