package io.openclaw.operator.audit;

import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.plan.rules.Violation;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Sandboxes against the policy governing them, and each policy's concurrency cap, as the enforcer judges them. */
final class SandboxAudit {
  private SandboxAudit() {}

  /** What one policy governs on the host and what the enforcer would do about it. */
  record Governed(SandboxPlanner.Policy policy, List<ContainerView> sandboxes, Map<String, List<Violation>> violations,
      List<Action> overCap) {}

  /** Judges every declared policy that resolves; returns them keyed by policy. */
  static Map<ResourceKey, Governed> judge(DesiredState desired, HostSnapshot host, PathCanon canon, Instant now, Verdicts v) {
    Map<ResourceKey, Governed> out = new LinkedHashMap<>();
    for (SandboxPolicy p : desired.policies()) {
      Optional<SandboxPlanner.Policy> resolved = desired.resolve(p);
      if (resolved.isEmpty()) continue;
      out.put(resolved.get().key(), judge(desired, resolved.get(), host, canon, now, v));
    }
    return out;
  }

  private static Governed judge(DesiredState desired, SandboxPlanner.Policy policy, HostSnapshot host, PathCanon canon, Instant now, Verdicts v) {
    List<ContainerView> sandboxes = host.allContainers().stream()
        .filter(c -> desired.store().governingPolicy(c.labels()).map(ResourceKey::of).map(policy.key()::equals).orElse(false))
        .sorted(SandboxPlanner.OLDEST_FIRST).toList();
    Map<String, List<Violation>> violations = new LinkedHashMap<>();
    Set<String> condemned = new HashSet<>();
    for (ContainerView s : sandboxes) {
      List<Violation> broken = ContainerAudit.judgeSandbox(s, policy, canon, v);
      violations.put(s.id(), broken);
      if (SandboxPlanner.breachesIsolation(broken)) condemned.add(s.id());
    }
    List<Action> overCap = SandboxPlanner.concurrency(policy, sandboxes, condemned, now);
    String object = policy.key().toString();
    int max = policy.spec().maxConcurrent();
    if (overCap.isEmpty()) {
      v.pass(object, Check.SANDBOX_MAX_CONCURRENT.checkId, Check.SANDBOX_MAX_CONCURRENT.title,
          sandboxes.size() + " sandbox(es) selected, within maxConcurrent " + max);
    } else {
      v.fail(Check.SANDBOX_MAX_CONCURRENT.finding(object, overCap.size() + " sandbox(es) beyond maxConcurrent " + max + " (newest first: "
          + String.join(", ", overCap.stream().map(Action::target).toList()) + ")" + (policy.enforcing() ? "" : "; enforcement is report")));
    }
    return new Governed(policy, sandboxes, violations, overCap);
  }
}
