package io.openclaw.operator.audit;

import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.plan.rules.PathCanon;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One audit of a Docker host: reads the host once (every container, started or not, and every network), judges it
 * against the declared resources (or the baseline alone) and returns every verdict. All judging is in the check
 * classes; this class only reads.
 */
public final class Audit {
  /** An object that is not a container, network or policy. */
  public static final String DAEMON = "daemon";
  public static final String DESIRED_STATE = "desired-state";

  private Audit() {}

  /**
   * @param hostFiles the host's filesystem, or null when it is out of sight ({@code filesUnavailable} says why)
   * @param canon how bind sources are compared: resolving symlinks on the host itself, lexically over TCP
   */
  public record Options(boolean deep, HostFiles hostFiles, String filesUnavailable, PathCanon canon, Clock clock) {}

  public record Result(Report report, Verdicts verdicts, HostSnapshot host, DesiredState desired, List<Stack> stacks,
      Map<ResourceKey, SandboxAudit.Governed> policies) {
    /** The resolved policy governing a container, and what it found, if any policy governs it. */
    public Optional<SandboxAudit.Governed> governing(ContainerView c) {
      return policies.values().stream().filter(g -> g.sandboxes().stream().anyMatch(s -> s.id().equals(c.id()))).findFirst();
    }
  }

  public static Result run(DockerApi docker, DesiredState desired, Options o) {
    HostSnapshot host = HostSnapshot.read(docker);
    Verdicts v = new Verdicts();
    if (!desired.given()) {
      v.fail(Check.DESIRED_STATE_MISSING.finding(DESIRED_STATE, "no --manifests DIR or --kubernetes: every container was judged against the"
          + " baseline only; the operator's stacks were recognised by their labels, which any client with POST can forge"));
    }
    for (Problem p : desired.problems()) {
      if (p.isError()) v.fail(Check.INVALID_MANIFEST.finding(p.key().map(ResourceKey::toString).orElse(String.valueOf(p.file())), p.toString()));
    }

    List<Stack> stacks = Stack.find(desired, host);
    Set<String> socketProxies = new HashSet<>();
    stacks.stream().filter(s -> s.socketProxy() != null).forEach(s -> socketProxies.add(s.socketProxy().id()));

    Map<ResourceKey, SandboxAudit.Governed> policies = SandboxAudit.judge(desired, host, o.canon(), o.clock().instant(), v);
    Set<String> governed = new HashSet<>();
    policies.values().forEach(g -> g.sandboxes().forEach(s -> governed.add(s.id())));

    DaemonDefaults.Default daemon = DaemonDefaults.probe(docker, o.hostFiles(), o.filesUnavailable(), host, governed);
    if (daemon.noNewPrivileges() == null) v.fail(Check.DAEMON_NO_NEW_PRIVILEGES_UNKNOWN.finding(DAEMON, daemon.evidence()));
    else StackChecks.verdict(v, Check.DAEMON_NO_NEW_PRIVILEGES, DAEMON, daemon.on() ? null : daemon.evidence(), daemon.evidence());
    for (ContainerView c : host.allContainers()) {
      if (!governed.contains(c.id())) ContainerAudit.judgeBaseline(c, socketProxies.contains(c.id()), daemon.on(), o.canon(), v);
      ContainerAudit.secrets(c, v);
    }

    for (Stack s : stacks) StackChecks.judge(s, host, s.gateway() == null ? Optional.empty() : liveConfig(docker, s.gateway()), v);

    if (o.deep()) {
      HostChecks.judge(o.hostFiles(), o.filesUnavailable(), v);
      for (Stack s : stacks) if (s.gateway() != null) OpenClawAudit.run(docker, s.gateway(), v);
    }
    return new Result(new Report(o.clock().millis(), v.findings()), v, host, desired, stacks, policies);
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
