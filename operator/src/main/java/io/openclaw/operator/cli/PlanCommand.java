package io.openclaw.operator.cli;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SandboxPolicyStatus;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.controller.GatewayView;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.GatewayPlanner;
import io.openclaw.operator.plan.GatewayStack;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.plan.rules.Violation;
import io.openclaw.operator.source.SecretReader;
import io.openclaw.operator.status.FileStatusWriter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "plan", description = {
    "Shows what `run` would do to the Docker host now, and why; changes nothing.",
    "Exit code 0 (with --detailed-exitcode: 0 no changes, 2 changes pending), 1 on errors."})
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SourceOptions source;
  @Mixin HostOptions host;
  @Mixin AuditSupport.HostRootOption hostRoot;

  @Option(names = "--detailed-exitcode", description = "Exit 2 when the plan has changes (for CI).")
  boolean detailedExitCode;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DesiredState desired;
    try {
      if (!source.given()) throw new IllegalArgumentException("no desired state given: pass --manifests DIR (for example examples/local/) or --kubernetes");
      desired = AuditSupport.desired(source);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    for (Problem p : desired.problems()) {
      if (p.isError()) err.println("skipped, invalid: " + p);
    }
    DockerEndpoint endpoint;
    try {
      endpoint = hostRoot.apply(DockerEndpoint.fromEnvironment());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    int[] counts = new int[3];
    try (DockerApi docker = DockerApi.connect(endpoint)) {
      HostSnapshot snapshot = HostSnapshot.read(docker);
      PathCanon canon = AuditSupport.canon(endpoint);
      for (Manifest m : sorted(desired, GatewayDeployment.class)) planGateway(out, desired, docker, snapshot, m, counts);
      for (Manifest m : sorted(desired, SandboxPolicy.class)) planPolicy(out, desired, snapshot, canon, m, counts);
    }
    int total = counts[0] + counts[1] + counts[2];
    out.println(total == 0 ? "No changes: the Docker host matches the declared state."
        : "Plan: " + counts[0] + " to add, " + counts[1] + " to change, " + counts[2] + " to remove or kill.");
    return detailedExitCode && total > 0 ? 2 : 0;
  }

  private void planGateway(PrintWriter out, DesiredState desired, DockerApi docker, HostSnapshot snapshot, Manifest m, int[] counts) {
    out.println(m.key());
    GatewayStack.Inputs inputs;
    try {
      inputs = GatewayView.inputs(desired.store(), desired.secrets(), m);
    } catch (SecretReader.Unavailable | IllegalArgumentException e) {
      out.println("  cannot plan: " + e.getMessage());
      return;
    }
    GatewayPlanner.Plan plan = GatewayView.plan(desired.store(), docker, snapshot, GatewayStack.desired(inputs), m.as(GatewayDeployment.class));
    plan.conflicts().forEach(c -> out.println("  ! conflict, nothing would be done: " + c));
    if (plan.conflicts().isEmpty()) plan.actions().forEach(a -> print(out, a, counts));
    plan.reported().forEach(r -> out.println("  ? reported only (foreignContainers: report): " + r));
    if (plan.actions().isEmpty() && plan.conflicts().isEmpty()) out.println("  no changes");
  }

  private void planPolicy(PrintWriter out, DesiredState desired, HostSnapshot snapshot, PathCanon canon, Manifest m, int[] counts) {
    out.println(m.key());
    Optional<SandboxPlanner.Policy> resolved = desired.resolve(m.as(SandboxPolicy.class));
    if (resolved.isEmpty()) {
      out.println("  cannot plan: its GatewayDeployment is not declared");
      return;
    }
    SandboxPlanner.Policy policy = resolved.get();
    List<ContainerView> sandboxes = snapshot.allContainers().stream()
        .filter(c -> desired.store().governingPolicy(c.labels()).map(p -> ResourceKey.of(p).equals(m.key())).orElse(false)).toList();
    List<Action> actions = new ArrayList<>();
    Set<String> condemned = new HashSet<>();
    for (ContainerView c : sandboxes) {
      List<Violation> violations = SandboxPlanner.check(policy, c, canon);
      if (SandboxPlanner.breachesIsolation(violations)) condemned.add(c.id());
      SandboxPlanner.remediate(policy, c, violations).ifPresent(actions::add);
    }
    Instant now = Instant.now();
    actions.addAll(SandboxPlanner.concurrency(policy, sandboxes, condemned, now));
    Map<String, Instant> lastExec = lastExecFromStatus(m.key());
    for (SandboxPlanner.Prune prune : SandboxPlanner.prune(policy, sandboxes, lastExec, id -> false, now)) {
      prune.remove().filter(a -> !condemned.contains(((Action.RemoveContainer) a).id())).ifPresent(actions::add);
    }
    String mode = policy.enforcing() ? "" : " (enforcement: report, so run would only report these)";
    out.println("  " + sandboxes.size() + " sandbox(es) selected" + mode);
    actions.forEach(a -> print(out, a, counts));
    if (actions.isEmpty()) out.println("  no changes");
  }

  /** Idle times the running operator recorded (directory mode): without them idleness counts from creation. */
  private Map<String, Instant> lastExecFromStatus(ResourceKey key) {
    Map<String, Instant> out = new HashMap<>();
    new FileStatusWriter(host.stateDir()).read(key).filter(SandboxPolicyStatus.class::isInstance).map(SandboxPolicyStatus.class::cast)
        .ifPresent(s -> {
          if (s.hosts() != null) s.hosts().forEach(h -> {
            if (h.execActivity() != null) h.execActivity().forEach(a -> out.merge(a.containerId(), Instant.parse(a.lastExecAt()),
                (x, y) -> x.isAfter(y) ? x : y));
          });
        });
    return out;
  }

  private static void print(PrintWriter out, Action a, int[] counts) {
    String type = a.type();
    char sign;
    if (type.startsWith("create") || type.startsWith("connect") || type.startsWith("start")) {
      sign = '+';
      counts[0]++;
    } else if (type.startsWith("remove") || type.startsWith("kill") || type.startsWith("disconnect")) {
      sign = '-';
      counts[2]++;
    } else {
      sign = '~';
      counts[1]++;
    }
    out.printf("  %c %-20s %s%n      because %s%n", sign, type, a.target(), a.reason());
  }

  private static List<Manifest> sorted(DesiredState desired, Class<?> kind) {
    return desired.store().manifests().stream().filter(m -> kind.isInstance(m.resource())).sorted(Comparator.comparing(Manifest::key)).toList();
  }
}
