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
    PlanOutput.Tally tally;
    try (DockerApi docker = DockerApi.connect(endpoint)) {
      HostView view = AuditSupport.view(docker, desired, host, endpoint, prune);
      tally = PlanOutput.render(desired.store().manifests(), HostPlans.all(view), out);
    }
    return detailedExitCode && tally.changes() > 0 ? 2 : 0;
  }

}
