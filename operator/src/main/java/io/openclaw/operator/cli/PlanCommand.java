package io.openclaw.operator.cli;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.source.DesiredState;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", description = {
    "Shows what `run` would do to the Docker host now, and why; changes nothing.",
    "Exit codes: 0 (with --detailed-exitcode: 0 no changes, 2 changes pending), 1 an invalid manifest skipped, 64 usage error,"
        + " 69 the Docker daemon (or cluster) unreachable, 70 internal error."})
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SourceOptions source;
  @Mixin HostOptions host;

  /** JSON: see {@link PlanOutput}. */
  @Mixin Output output;

  @Option(names = "--detailed-exitcode", description = "Exit 2 when the plan has changes, 0 when it has none (for CI); errors keep their own codes.")
  boolean detailedExitCode;

  @Option(names = "--prune", description = "Plan as `run --prune` would: containers of resources no longer declared are removed.")
  boolean prune;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean json = output.json();
    if (!source.given()) throw new IllegalArgumentException("no desired state given: pass --manifests DIR (for example examples/local/) or --kubernetes");
    DesiredState desired = AuditSupport.desired(source);
    for (Problem p : desired.problems()) {
      if (p.isError()) err.println("skipped, invalid: " + p);
    }
    int invalid = invalid(desired);
    DockerEndpoint endpoint = DockerEndpoint.fromEnvironment();
    int changes;
    try (DockerApi docker = DockerApi.connect(endpoint)) {
      HostView view = AuditSupport.view(docker, desired, host, endpoint, prune);
      HostPlans.All plans = HostPlans.all(view);
      if (json) {
        var tree = PlanOutput.json(desired.store().manifests(), plans, invalid);
        out.println(Yaml.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        changes = tree.path("summary").path("add").asInt() + tree.path("summary").path("change").asInt() + tree.path("summary").path("remove").asInt();
      } else {
        changes = PlanOutput.render(desired.store().manifests(), plans, invalid, out).changes();
      }
    }
    out.flush();
    // Invalid manifests are validate's problems found (1), first: a CI gate must not read them as "no changes".
    if (invalid > 0) return Exit.FOUND;
    return detailedExitCode && changes > 0 ? Exit.CHANGES : Exit.OK;
  }

  /**
   * The resources skipped as invalid (a file that is not YAML counts once, its resources being unknown), so that the
   * summary never says the host matches a declared state that was not all read.
   */
  static int invalid(DesiredState desired) {
    var planned = desired.store().manifests().stream().map(m -> m.key().toString()).collect(java.util.stream.Collectors.toSet());
    return (int) desired.problems().stream().filter(Problem::isError)
        .map(p -> p.key().map(Object::toString).orElse("file " + p.file()))
        .filter(id -> !planned.contains(id))
        .distinct().count();
  }
}
