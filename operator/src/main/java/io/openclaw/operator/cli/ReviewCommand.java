package io.openclaw.operator.cli;

import io.openclaw.operator.audit.Report;
import io.openclaw.operator.review.Review;
import io.openclaw.operator.review.ReviewPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "review", description = {
    // One element per paragraph: picocli wraps each itself, and the first is the summary in the top-level --help.
    "Reviews an OpenClaw skill or agent folder before it is installed: the tools and programs it uses against the tool denials,"
        + " the domains it reaches against the EgressAllowlist, secrets it asks for or reads, shell execution, text aimed at the model,"
        + " hidden text and paths out of the folder. Findings in the shape of `audit`, each naming file:line.",
    "Exit codes: 0 no critical finding, 1 at least one critical finding, 64 usage error."})
final class ReviewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "A skill folder (with SKILL.md), an agent workspace (AGENTS.md, SOUL.md, skills/ ...) or a folder of skills.")
  Path dir;

  @Option(names = "--manifests", paramLabel = "DIR",
      description = "Judge against the SandboxPolicy and GatewayDeployment tool denials and the EgressAllowlist of this manifest directory (default: the seed's).")
  Path manifests;

  /** JSON: {ts, summary: {critical, warn, info}, findings: [{checkId, severity, title, detail, remediation, object, source}]}. */
  @picocli.CommandLine.Mixin Output output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean json = output.json();
    Report report;
    try {
      if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is not a directory");
      ReviewPolicy policy = manifests == null ? ReviewPolicy.seed() : ReviewPolicy.fromDirectory(manifests);
      report = Review.review(dir, policy, System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return Exit.USAGE;
    } catch (IOException e) {
      err.println("cannot read " + dir + ": " + e.getMessage());
      return Exit.USAGE;
    }
    out.print(json ? report.toJson() : report.toTable());
    out.flush();
    return report.hasCritical() ? Exit.FOUND : Exit.OK;
  }
}
