package io.openclaw.operator.cli;

import io.openclaw.operator.audit.Audit;
import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.audit.Explainer;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.api.Yaml;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "explain", description = {
    "explain CONTAINER: the effective policy for that container, each rule with pass/fail and why, and what the operator would do.",
    "explain sandboxpolicy/NAME (or sbp/NAMESPACE/NAME): the policy with its defaults filled in and the sandboxes it selects.",
    "Exit codes: 0 explained, 64 usage error (unknown container or policy), 69 the Docker daemon (or cluster) unreachable."})
final class ExplainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONTAINER|sandboxpolicy/NAME", description = "A container (name or id), or a SandboxPolicy.")
  String target;

  @Mixin SourceOptions source;
  @Mixin HostOptions host;

  /** JSON: a container: {container: {name, id, state, image}, role, rules: [{checkId, verdict, detail}], actions: [...]}; a policy: see README. */
  @Mixin Output output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    DockerEndpoint endpoint = DockerEndpoint.fromEnvironment();
    boolean json = output.json();
    DesiredState desired = AuditSupport.desired(source);
    Audit.Options options = AuditSupport.options(false, host.hostRoot(endpoint), endpoint);
    if (Explainer.isPolicyRef(target) && !desired.given()) {
      throw new IllegalArgumentException("explain " + target + " needs the desired state: pass --manifests DIR");
    }
    Audit.Result result;
    try (DockerApi docker = DockerApi.connect(endpoint)) {
      result = Audit.run(docker, AuditSupport.view(docker, desired, host, endpoint, false), desired, options);
    }
    Explainer.Explanation explanation = Explainer.isPolicyRef(target) ? Explainer.policy(result, target) : Explainer.container(result, Explainer.find(result, target));
    out.print(json ? Yaml.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(explanation.json()) + "\n" : explanation.text());
    out.flush();
    return Exit.OK;
  }
}
