package io.openclaw.operator.audit;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.BaselinePlanner;
import io.openclaw.operator.plan.GatewayPlanner;
import io.openclaw.operator.plan.Judging;
import io.openclaw.operator.plan.Rule;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.Verdict;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.source.DesiredState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One audit of a Docker host: every verdict comes from the planners ({@link HostPlans}) on one read of the host, so
 * the audit flags exactly what {@code run} acts on, under the same checkIds; beside them it reports what no planner
 * acts on (advisory rules, secrets in plain sight, socket-proxy grants, tool denials, the daemon's and the host's
 * settings), each saying it is advisory where the operator does nothing about it.
 */
public final class Audit {
  /** An object that is not a container, network or policy. */
  public static final String DAEMON = "daemon";
  public static final String DESIRED_STATE = "desired-state";

  private Audit() {}

  /**
   * @param hostFiles the host's filesystem, or null when it is out of sight ({@code filesUnavailable} says why)
   */
  public record Options(boolean deep, HostFiles hostFiles, String filesUnavailable) {}

  /** The plans the verdicts came from: a gateway's (or why it could not be planned), each policy's, the baseline's. */
  public record Plans(Map<ResourceKey, HostPlans.GatewayResult> gateways, Map<ResourceKey, SandboxPlanner.Plan> policies,
      BaselinePlanner.Plan baseline) {
    /** Every verdict on containers, from whichever planner judged them. */
    public List<Verdict> verdicts() {
      List<Verdict> out = new ArrayList<>();
      gateways.values().forEach(g -> {
        if (g instanceof HostPlans.GatewayResult.Planned p) {
          p.plan().components().stream().map(GatewayPlanner.ComponentState::verdict).filter(v -> v != null).forEach(out::add);
          out.addAll(p.plan().others());
        }
      });
      policies.values().forEach(p -> out.addAll(p.verdicts()));
      out.addAll(baseline.verdicts());
      return out;
    }

    /** The planner's verdicts on one container (a foreign container may be judged by the baseline and as foreign on a network). */
    public List<Verdict> of(String containerId) { return verdicts().stream().filter(v -> v.container().id().equals(containerId)).toList(); }
  }

  public record Result(Report report, Verdicts verdicts, HostView view, DesiredState desired, List<Stack> stacks, Plans plans) {
    /** The resolved policy governing a container, and its plan, if any policy governs it. */
    public Optional<SandboxPlanner.Plan> governing(ContainerView c) {
      return plans.policies().values().stream().filter(p -> p.verdicts().stream().anyMatch(v -> v.container().id().equals(c.id()))).findFirst();
    }
  }

  public static Result run(DockerApi docker, HostView view, DesiredState desired, Options o) {
    Verdicts v = new Verdicts();
    if (!desired.given()) {
      v.fail(Check.DESIRED_STATE_MISSING.finding(DESIRED_STATE, "no --manifests DIR or --kubernetes: every container was judged against the"
          + " baseline only, and the operator's own containers were known only from its state directory's record of what it created"));
    }
    for (Problem p : desired.problems()) {
      if (p.isError()) v.fail(Check.INVALID_MANIFEST.finding(p.key().map(ResourceKey::toString).orElse(String.valueOf(p.file())), p.toString()));
    }

    Map<ResourceKey, HostPlans.GatewayResult> gateways = new LinkedHashMap<>();
    Map<ResourceKey, SandboxPlanner.Plan> policies = new LinkedHashMap<>();
    if (desired.given()) {
      for (Manifest m : desired.store().manifests()) {
        if (m.key().kind().equals("GatewayDeployment")) gateways.put(m.key(), HostPlans.gateway(view, m));
        if (m.key().kind().equals("SandboxPolicy")) HostPlans.policy(view, m.key()).ifPresent(p -> policies.put(m.key(), p));
      }
    }
    Plans plans = new Plans(gateways, policies, HostPlans.baseline(view));
    gateways.forEach((key, g) -> {
      if (g instanceof HostPlans.GatewayResult.Unplannable u) v.fail(Check.GATEWAY_UNPLANNABLE.finding(key.toString(), u.reason() + ": " + u.message()));
      if (g instanceof HostPlans.GatewayResult.Planned p) ContainerAudit.stack(p.plan(), v);
    });
    for (Verdict verdict : plans.verdicts()) ContainerAudit.verdict(verdict, v);

    Set<String> governed = new HashSet<>();
    policies.values().forEach(p -> p.verdicts().forEach(x -> governed.add(x.container().id())));
    DaemonDefaults.Default daemon = DaemonDefaults.probe(docker, o.hostFiles(), o.filesUnavailable(), view.snapshot(), governed);
    if (daemon.noNewPrivileges() == null) v.fail(Check.DAEMON_NO_NEW_PRIVILEGES_UNKNOWN.finding(DAEMON, daemon.evidence()));
    else StackChecks.verdict(v, Check.DAEMON_NO_NEW_PRIVILEGES, DAEMON, daemon.on() ? null : daemon.evidence(), daemon.evidence());
    Judging advisory = Judging.baseline(new Judging.Baseline(HostPlans.protectedDirs(view), daemon.on()), view.canon());
    for (ContainerView c : view.snapshot().allContainers()) {
      if (!governed.contains(c.id())) ContainerAudit.rules(c, Rule.Scope.ADVISORY, advisory, Rule.judge(Rule.Scope.ADVISORY, c, advisory), "", v);
      ContainerAudit.secrets(c, v);
    }

    List<Stack> stacks = Stack.find(desired, view, plans);
    for (Stack s : stacks) StackChecks.judge(s, s.gateway() == null ? Optional.empty() : liveConfig(docker, s.gateway()), v);

    if (o.deep()) {
      HostChecks.judge(o.hostFiles(), o.filesUnavailable(), v);
      for (Stack s : stacks) if (s.gateway() != null) OpenClawAudit.run(docker, s.gateway(), v);
    }
    return new Result(new Report(view.now().toEpochMilli(), v.findings()), v, view, desired, stacks, plans);
  }

  /** Every action the planners decided on a container, carried out or only reported. */
  public static List<Action> actionsOn(Plans plans, String containerId) {
    return plans.of(containerId).stream().flatMap(x -> x.actions().stream()).toList();
  }

  /** The gateway's openclaw.json as it is in the container now (readable whether it runs or not). */
  private static Optional<byte[]> liveConfig(DockerApi docker, ContainerView gateway) {
    try {
      return docker.readFile(gateway.id(), OpenClawConfig.PATH);
    } catch (DockerException e) {
      if (e instanceof DockerException.Unavailable) throw e;
      return Optional.empty();
    }
  }
}
