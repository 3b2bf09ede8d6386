package io.openclaw.operator.plan.render;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.EgressAllowlistSpec;
import io.openclaw.operator.plan.Hashing;
import java.util.ArrayList;
import java.util.List;

/**
 * What the egress proxy (Smokescreen) is given: the ACL, a config file, and arguments. Deterministic: the same
 * spec gives the same bytes, so the ACL's hash says whether the live proxy enforces the current list.
 */
public final class SmokescreenConfig {
  public static final String DIR = "/etc/smokescreen";
  public static final String ACL_PATH = DIR + "/acl.yaml";
  public static final String CONFIG_PATH = DIR + "/config.yaml";
  /**
   * Without mTLS client certificates Smokescreen finds no role for a request and rejects it before the ACL's
   * default rule; allow_missing_role has no command-line flag, hence the file.
   */
  public static final String CONFIG = "# Rendered by openclaw-docker-operator.\nallow_missing_role: true\n";

  private SmokescreenConfig() {}

  public static String acl(EgressAllowlist allowlist) {
    EgressAllowlistSpec spec = allowlist.getSpec();
    String project = spec.project() == null || spec.project().isEmpty() ? allowlist.getMetadata().getName() : spec.project();
    StringBuilder acl = new StringBuilder();
    acl.append("# Rendered by openclaw-docker-operator from EgressAllowlist ").append(allowlist.getMetadata().getNamespace())
        .append('/').append(allowlist.getMetadata().getName()).append("; do not edit.\n");
    acl.append("version: v1\n");
    acl.append("services: []\n");
    acl.append("default:\n");
    acl.append("  project: ").append(quote(project)).append('\n');
    acl.append("  action: ").append(spec.action().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
    if (spec.domains().isEmpty()) {
      acl.append("  allowed_domains: []\n");
    } else {
      acl.append("  allowed_domains:\n");
      for (String domain : spec.domains()) acl.append("    - ").append(quote(domain)).append('\n');
    }
    return acl.toString();
  }

  public static String aclHash(EgressAllowlist allowlist) { return Hashing.sha256(acl(allowlist)); }

  public static List<String> args(EgressAllowlist allowlist, int listenPort) {
    List<String> args = new ArrayList<>(List.of("--config-file=" + CONFIG_PATH, "--egress-acl-file=" + ACL_PATH,
        "--listen-ip=0.0.0.0", "--listen-port=" + listenPort));
    if (allowlist != null && allowlist.getSpec().denyRanges() != null) {
      allowlist.getSpec().denyRanges().forEach(range -> args.add("--deny-range=" + range));
    }
    return args;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
