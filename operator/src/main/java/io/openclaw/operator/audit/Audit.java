package io.openclaw.operator.audit;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.Judging;
import io.openclaw.operator.plan.Rule;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.Verdict;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.source.DesiredState;
import java.util.HashSet;
import java.util.List;
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
   * @param live the host's own commands ({@code ufw}, {@code fail2ban-client}) where the audit runs on the host itself
   */
  public record Options(boolean deep, HostFiles hostFiles, String filesUnavailable, HostHardening.Live live) {
    public Options(boolean deep, HostFiles hostFiles, String filesUnavailable) { this(deep, hostFiles, filesUnavailable, HostHardening.Live.NONE); }
  }

  public record Result(Report report, Verdicts verdicts, HostView view, DesiredState desired, List<Stack> stacks, HostPlans.All plans) {
    /** The resolved policy governing a container, and its plan, if any policy governs it. */
    public Optional<SandboxPlanner.Plan> governing(ContainerView c) {
      return plans.policies().values().stream().filter(p -> p.verdicts().stream().anyMatch(v -> v.container().id().equals(c.id()))).findFirst();
    }
  }

  public static Result run(DockerApi docker, HostView view, DesiredState desired, Options o) {
    HostPlans.All plans = HostPlans.all(view);
    DaemonDefaults.Default daemon = DaemonDefaults.probe(docker, o.hostFiles(), o.filesUnavailable(), view.snapshot(), governed(plans));
    Verdicts v = new Verdicts();
    judge(plans, view, desired, daemon.on(), v);
    if (daemon.noNewPrivileges() == null) v.fail(Check.DAEMON_NO_NEW_PRIVILEGES_UNKNOWN.finding(DAEMON, daemon.evidence()));
    else StackChecks.verdict(v, Check.DAEMON_NO_NEW_PRIVILEGES, DAEMON, daemon.on() ? null : daemon.evidence(), daemon.evidence());

    List<Stack> stacks = Stack.find(desired, view, plans);
    for (Stack s : stacks) StackChecks.judge(s, s.gateway() == null ? Optional.empty() : liveConfig(docker, s.gateway()), v);

    for (Stack s : stacks) ModelChecks.judge(s, s.gateway() == null ? Optional.empty() : liveConfig(docker, s.gateway()), v);
    if (o.deep()) {
      HostHardening.Expected expected = HostHardening.expected(desired);
      HostChecks.judge(o.hostFiles(), o.filesUnavailable(), expected, o.live(), HostHardening.DaemonFacts.read(docker), false, v);
      for (Stack s : stacks) if (s.gateway() != null) OpenClawAudit.run(docker, s.gateway(), v);
    }
    return new Result(new Report(view.now().toEpochMilli(), v.findings()), v, view, desired, stacks, plans);
  }

  /**
   * The verdicts that need nothing but the host's plans: the planners' own, the advisory rules (with the daemon's
   * no-new-privileges default as read), and secrets in plain sight. Pure.
   */
  public static void judge(HostPlans.All plans, HostView view, DesiredState desired, boolean daemonNoNewPrivileges, Verdicts v) {
    if (!desired.given()) {
      v.fail(Check.DESIRED_STATE_MISSING.finding(DESIRED_STATE, "no --manifests DIR or --kubernetes: every container was judged against the"
          + " baseline only, and the operator's own containers were known only from its state directory's record of what it created"));
    }
    for (Problem p : desired.problems()) {
      if (p.isError()) v.fail(Check.INVALID_MANIFEST.finding(p.key().map(ResourceKey::toString).orElse(String.valueOf(p.file())), p.toString()));
    }
    plans.gateways().forEach((key, g) -> {
      if (g instanceof HostPlans.GatewayResult.Unplannable u) v.fail(Check.GATEWAY_UNPLANNABLE.finding(key.toString(), u.reason() + ": " + u.message()));
      if (g instanceof HostPlans.GatewayResult.Planned p) ContainerAudit.stack(p.plan(), v);
    });
    for (Verdict verdict : plans.verdicts()) ContainerAudit.verdict(verdict, v);
    Set<String> governed = governed(plans);
    Judging advisory = Judging.baseline(new Judging.Baseline(HostPlans.protectedDirs(view), daemonNoNewPrivileges), view.canon(), view.capabilities());
    for (ContainerView c : view.snapshot().allContainers()) {
      if (!governed.contains(c.id())) ContainerAudit.rules(c, Rule.Scope.ADVISORY, advisory, Rule.judge(Rule.Scope.ADVISORY, c, advisory), "", v);
      ContainerAudit.secrets(c, v);
    }
  }

  /** Containers a SandboxPolicy governs: never exec'd into by the audit (that would count as activity). */
  private static Set<String> governed(HostPlans.All plans) {
    Set<String> out = new HashSet<>();
    plans.policies().values().forEach(p -> p.verdicts().forEach(x -> out.add(x.container().id())));
    return out;
  }

  /** Every action the planners decided on a container, carried out or only reported. */
  public static List<Action> actionsOn(HostPlans.All plans, String containerId) {
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
