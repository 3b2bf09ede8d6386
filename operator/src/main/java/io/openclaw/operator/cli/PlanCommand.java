package io.openclaw.operator.cli;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.BaselinePlanner;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.source.DesiredState;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true, description = {
    "Shows what `run` would do to the Docker host now, and why; changes nothing.",
    "Exit code 0 (with --detailed-exitcode: 0 no changes, 2 changes pending), 1 on errors."})
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SourceOptions source;
  @Mixin HostOptions host;

  @Option(names = "--detailed-exitcode", description = "Exit 2 when the plan has changes (for CI).")
  boolean detailedExitCode;

  @Option(names = "--prune", description = "Plan as `run --prune` would: containers of resources no longer declared are removed.")
  boolean prune;

  /** What the plan comes to: actions to carry out, actions only reported, resources that could not be planned. */
  private static final class Tally {
    int add;
    int change;
    int remove;
    int reported;
    int unplanned;

    int changes() { return add + change + remove; }
  }

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
    DockerEndpoint endpoint = DockerEndpoint.fromEnvironment();
    Tally tally = new Tally();
    try (DockerApi docker = DockerApi.connect(endpoint)) {
      HostView view = AuditSupport.view(docker, desired, host, endpoint, prune);
      HostPlans.All plans = HostPlans.all(view);
      for (Manifest m : sorted(desired, GatewayDeployment.class)) planGateway(out, m, plans.gateways().get(m.key()), tally);
      for (Manifest m : sorted(desired, SandboxPolicy.class)) planPolicy(out, m, Optional.ofNullable(plans.policies().get(m.key())), tally);
      planBaseline(out, plans.baseline(), tally);
    }
    out.println(summary(tally));
    return detailedExitCode && tally.changes() > 0 ? 2 : 0;
  }

  /** Never more than was checked: resources that could not be planned are counted, not passed over. */
  private static String summary(Tally t) {
    String unplanned = t.unplanned == 0 ? "" : "; " + t.unplanned + " resource(s) could not be planned (see above)";
    String reported = t.reported == 0 ? "" : "; " + t.reported + " finding(s) only reported";
    if (t.changes() == 0) {
      return (t.unplanned == 0 ? "No changes: the Docker host matches the declared state" : "No changes for the resources that could be planned")
          + reported + unplanned + ".";
    }
    return "Plan: " + t.add + " to add, " + t.change + " to change, " + t.remove + " to remove or kill" + reported + unplanned + ".";
  }

  private void planGateway(PrintWriter out, Manifest m, HostPlans.GatewayResult result, Tally tally) {
    out.println(m.key());
    if (result instanceof HostPlans.GatewayResult.Unplannable u) {
      out.println("  cannot plan (" + u.reason() + "): " + u.message());
      tally.unplanned++;
      return;
    }
    var plan = ((HostPlans.GatewayResult.Planned) result).plan();
    plan.conflicts().forEach(c -> out.println("  ! conflict, nothing would be done: " + c));
    if (plan.conflicts().isEmpty()) plan.actions().forEach(a -> print(out, a, tally));
    plan.reported().forEach(r -> {
      out.println("  ? reported only (foreignContainers: report): " + r);
      tally.reported++;
    });
    if (!plan.conflicts().isEmpty()) tally.unplanned++;
    if (plan.actions().isEmpty() && plan.conflicts().isEmpty()) out.println("  no changes");
  }

  private void planPolicy(PrintWriter out, Manifest m, Optional<SandboxPlanner.Plan> planned, Tally tally) {
    out.println(m.key());
    if (planned.isEmpty()) {
      out.println("  cannot plan: its GatewayDeployment is not declared");
      tally.unplanned++;
      return;
    }
    SandboxPlanner.Plan plan = planned.get();
    String mode = plan.policy().enforcing() ? "" : " (enforcement: report, so run would only report these)";
    out.println("  " + plan.verdicts().size() + " sandbox(es) selected" + mode);
    plan.actions().forEach(a -> print(out, a, tally));
    plan.reported().forEach(a -> report(out, a, tally));
    if (plan.decided().isEmpty()) out.println("  no changes");
  }

  private void planBaseline(PrintWriter out, BaselinePlanner.Plan plan, Tally tally) {
    if (plan.actions().isEmpty() && plan.reported().isEmpty()) return;
    out.println("host baseline (every container the operator did not create and no SandboxPolicy governs)");
    plan.actions().forEach(a -> print(out, a, tally));
    plan.reported().forEach(a -> report(out, a, tally));
  }

  private static void report(PrintWriter out, Action a, Tally tally) {
    out.printf("  ? %-20s %s%n      because %s%n", a.type(), a.target(), a.reason());
    tally.reported++;
  }

  private static void print(PrintWriter out, Action a, Tally tally) {
    String type = a.type();
    char sign;
    if (type.startsWith("create") || type.startsWith("connect") || type.startsWith("start") || type.startsWith("unpause")) {
      sign = '+';
      tally.add++;
    } else if (type.startsWith("remove") || type.startsWith("kill") || type.startsWith("disconnect")) {
      sign = '-';
      tally.remove++;
    } else {
      sign = '~';
      tally.change++;
    }
    out.printf("  %c %-20s %s%n      because %s%n", sign, type, a.target(), a.reason());
  }

  private static List<Manifest> sorted(DesiredState desired, Class<?> kind) {
    return desired.store().manifests().stream().filter(m -> kind.isInstance(m.resource())).sorted(Comparator.comparing(Manifest::key)).toList();
  }
}
