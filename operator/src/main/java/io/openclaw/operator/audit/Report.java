package io.openclaw.operator.audit;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.plan.Severity;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit's result in OpenClaw's own shape, {@code {ts, summary: {critical, warn, info}, findings: [...]}} (ts in epoch
 * milliseconds), so jq filters written for {@code openclaw security audit --json} work on it; or as a table.
 */
public record Report(long ts, List<Finding> findings) {
  public long count(Severity s) { return findings.stream().filter(f -> f.severity() == s).count(); }

  public boolean hasCritical() { return count(Severity.CRITICAL) > 0; }

  public ObjectNode toJsonTree() {
    ObjectNode root = Yaml.JSON.createObjectNode();
    root.put("ts", ts);
    ObjectNode summary = root.putObject("summary");
    for (Severity s : Severity.values()) summary.put(s.label(), count(s));
    ArrayNode list = root.putArray("findings");
    for (Finding f : findings) {
      list.addObject().put("checkId", f.checkId()).put("severity", f.severity().label()).put("title", f.title()).put("detail", f.detail())
          .put("remediation", f.remediation()).put("object", f.object()).put("source", f.source());
    }
    return root;
  }

  public String toJson() { return Yaml.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonTree()) + "\n"; }

  /** One line per finding (severity, checkId, object, title), then each finding's detail and remediation, then the summary. */
  public String toTable() {
    StringBuilder out = new StringBuilder();
    if (findings.isEmpty()) return "no findings\n";
    int check = "CHECK".length();
    int object = "OBJECT".length();
    for (Finding f : findings) {
      check = Math.max(check, f.checkId().length());
      object = Math.max(object, Math.min(f.object().length(), 48));
    }
    String row = "%-8s  %-" + check + "s  %-" + object + "s  %s%n";
    out.append(String.format(row, "SEVERITY", "CHECK", "OBJECT", "TITLE"));
    for (Finding f : findings) out.append(String.format(row, f.severity().label(), f.checkId(), f.object(), f.title()));
    out.append('\n');
    for (Finding f : findings) {
      out.append(f.severity().label()).append("  ").append(f.checkId()).append("  ").append(f.object());
      if (!f.source().equals(Finding.OPERATOR)) out.append("  (from ").append(f.source()).append(')');
      out.append('\n');
      if (!f.detail().isEmpty()) out.append("  ").append(f.detail()).append('\n');
      if (!f.remediation().isEmpty()) out.append("  fix: ").append(f.remediation()).append('\n');
    }
    out.append('\n').append(summary()).append('\n');
    return out.toString();
  }

  public String summary() {
    return count(Severity.CRITICAL) + " critical, " + count(Severity.WARN) + " warn, " + count(Severity.INFO) + " info";
  }
}
