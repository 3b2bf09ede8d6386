package io.openclaw.operator.cli;

import io.openclaw.operator.audit.Audit;
import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "audit", description = {
    // One element per paragraph: picocli wraps each itself, and the first is the summary in the top-level --help.
    "Inspects the live Docker host against the declared resources (or, without them, every container against the baseline)"
        + " and reports findings in the shape of OpenClaw's own `security audit --json`.",
    "Exit codes: 0 no critical finding, 1 at least one critical finding, 64 usage error, 69 the Docker daemon (or cluster) unreachable."})
final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SourceOptions source;
  @Mixin HostOptions host;

  /** JSON: {ts, summary: {critical, warn, info}, findings: [{checkId, severity, title, detail, remediation, object, source}]}. */
  @Mixin Output output;

  @Option(names = "--deep", description = {"Also the host around Docker (sshd's port and AllowUsers, UFW's rules, fail2ban and its sshd jail,"
      + " daemon.json's icc, live-restore and userns-remap) against the GatewayDeployment's spec.hostHardening (the defaults without one),",
      "and the gateway's own `openclaw security audit --deep --json`."})
  boolean deep;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    boolean json;
    Audit.Result result;
    // The daemon is read on a thread of its own while the manifests are read here (each is a good part of the
    // command's time, and neither needs the other); each step's failure is still raised in the order below.
    try (HostReadAhead daemon = HostReadAhead.start()) {
      DesiredState desired = null;
      RuntimeException desiredFailed = null;
      try {
        desired = AuditSupport.desired(source);
      } catch (RuntimeException e) {
        desiredFailed = e;
      }
      DockerEndpoint endpoint = daemon.endpoint();
      json = output.json();
      if (desiredFailed != null) throw desiredFailed;
      Audit.Options options = AuditSupport.options(deep, host.hostRoot(endpoint), endpoint);
      DockerApi docker = daemon.docker();
      result = Audit.run(docker, AuditSupport.view(daemon.read(), docker, desired, host, endpoint, false), desired, options);
    }
    out.print(json ? result.report().toJson() : result.report().toTable());
    out.flush();
    return result.report().hasCritical() ? Exit.FOUND : Exit.OK;
  }
}
