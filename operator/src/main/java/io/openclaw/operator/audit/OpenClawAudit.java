package io.openclaw.operator.audit;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.SecretPatterns;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.plan.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code audit --deep}: the gateway's own {@code openclaw security audit --json}, run inside the gateway container, its
 * findings merged into the one report marked with source "openclaw". Text from it is relayed with anything
 * credential-shaped redacted, since this program did not write it.
 */
final class OpenClawAudit {
  /** {@code --deep} too: OpenClaw's own deep checks (a live probe of the gateway) belong to the operator's deep audit. */
  static final List<String> COMMAND = List.of("openclaw", "security", "audit", "--deep", "--json");

  private OpenClawAudit() {}

  static void run(DockerApi docker, ContainerView gateway, Verdicts v) {
    Check check = Check.OPENCLAW_AUDIT_UNAVAILABLE;
    if (!gateway.state().equals("running")) {
      v.fail(check.finding(gateway.name(), "the gateway is " + gateway.state() + "; OpenClaw's audit runs inside it"));
      return;
    }
    DockerApi.ExecResult result;
    try {
      result = docker.exec(gateway.id(), COMMAND);
    } catch (DockerException e) {
      v.fail(check.finding(gateway.name(), "`" + String.join(" ", COMMAND) + "` could not be started: " + SecretPatterns.redact(e.getMessage())));
      return;
    }
    Optional<List<Finding>> findings = parse(result.output(), gateway.name());
    if (findings.isEmpty()) {
      // 126/127 is the runtime saying there is no such program; any other output is OpenClaw's and stays unshown.
      boolean missing = result.exitCode() == 126 || result.exitCode() == 127;
      v.fail(check.finding(gateway.name(), missing
          ? "the gateway image has no openclaw: `" + String.join(" ", COMMAND) + "` exited " + result.exitCode() + firstLine(result.output()).map(l -> " (" + l + ")").orElse("")
          : "`" + String.join(" ", COMMAND) + "` exited " + result.exitCode() + " without a JSON report (output not shown)"));
      return;
    }
    findings.get().forEach(v::relay);
    v.pass(gateway.name(), check.checkId, check.title, "`" + String.join(" ", COMMAND) + "` ran: " + findings.get().size() + " finding(s) merged");
  }

  /** OpenClaw's JSON report (anything printed before it is skipped), or empty when the output holds none. */
  static Optional<List<Finding>> parse(String output, String gateway) {
    int start = output.indexOf('{');
    if (start < 0) return Optional.empty();
    JsonNode report;
    try {
      report = Yaml.JSON.readTree(output.substring(start));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (!report.path("findings").isArray()) return Optional.empty();
    List<Finding> out = new ArrayList<>();
    for (JsonNode f : report.path("findings")) {
      out.add(new Finding(f.path("checkId").asString("openclaw.unknown"), Severity.of(f.path("severity").asString("info")),
          SecretPatterns.redact(f.path("title").asString("")), SecretPatterns.redact(f.path("detail").asString("")),
          SecretPatterns.redact(f.path("remediation").asString("")), gateway, Finding.OPENCLAW));
    }
    return Optional.of(out);
  }

  private static Optional<String> firstLine(String output) {
    return output.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
        .map(l -> SecretPatterns.redact(l.length() > 200 ? l.substring(0, 200) + "..." : l));
  }
}
