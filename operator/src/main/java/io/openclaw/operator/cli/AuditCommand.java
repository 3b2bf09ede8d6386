package io.openclaw.operator.cli;

import io.openclaw.operator.audit.Audit;
import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.docker.DockerException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "audit", mixinStandardHelpOptions = true, description = {
    "Inspects the live Docker host against the declared resources (or, without them, every container against the baseline)",
    "and reports findings in the shape of OpenClaw's own `security audit --json`.",
    "Exit codes: 0 no critical finding, 1 at least one critical finding, 2 usage error, 3 the Docker host could not be read."})
final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SourceOptions source;
  @Mixin HostOptions host;

  @Option(names = "--json", description = "{ts, summary: {critical, warn, info}, findings: [{checkId, severity, title, detail, remediation, object, source}]}.")
  boolean json;

  @Option(names = "--deep", description = "Also sshd, UFW and fail2ban where readable, and the gateway's own `openclaw security audit --json`.")
  boolean deep;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DockerEndpoint endpoint = DockerEndpoint.fromEnvironment();
    Audit.Options options;
    DesiredState desired;
    try {
      desired = AuditSupport.desired(source);
      options = AuditSupport.options(deep, host.hostRoot(endpoint), endpoint);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return AuditSupport.USAGE;
    }
    Audit.Result result;
    try (DockerApi docker = DockerApi.connect(endpoint)) {
      result = Audit.run(docker, AuditSupport.view(docker, desired, host, endpoint, false), desired, options);
    } catch (DockerException | java.io.IOException e) {
      err.println("cannot audit the Docker host at " + endpoint.host() + ": " + e.getMessage());
      return AuditSupport.UNREADABLE_HOST;
    }
    out.print(json ? result.report().toJson() : result.report().toTable());
    out.flush();
    return result.report().hasCritical() ? AuditSupport.CRITICAL : AuditSupport.OK;
  }
}
