package io.openclaw.operator.plan.render;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.EgressAllowlistSpec;
import io.openclaw.operator.plan.Hashing;
import java.util.ArrayList;
import java.util.List;

/**
 * What the egress proxy (Smokescreen) is given: the ACL, a config file, and arguments. Deterministic: the same
 * spec gives the same bytes, so the ACL's hash says whether the live proxy enforces the current list.
 *
 * <p>As Smokescreen v0.1.0 reads them (SmokescreenIT runs it): the ACL needs {@code version: v1} and a
 * {@code services} list, even an empty one, and a missing ACL file stops the process, so a gateway whose list does
 * not exist gets an ACL that allows nothing. The config file is parsed strictly (an unknown key stops the process).
 * Addresses are judged after the ACL: allow ranges first (they win over everything), then deny ranges, then the
 * private-range default. Plain HTTP and CONNECT to any port pass stock Smokescreen alike; the image's HTTPS-only
 * policy (hack/smokescreen/main.go) is what refuses them.
 *
 * <p>Roles: stock Smokescreen takes a request's role from the client certificate's common name only, and neither
 * LiteLLM nor Node can present one to an HTTP proxy through their proxy variables. The image's entry point also finds
 * the role by the request's source address: {@value #ROLES_VARIABLE} names the network aliases that are roles, and a
 * request from the one address such an alias resolves to (Docker's DNS on the internal network) has that role. With
 * {@code modelDomains}, the ACL gives them to the {@value #MODEL_PROXY_ROLE} role alone, under the same action as the
 * default rule; everything else, the gateway included, gets the default rule's {@code domains}.
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

  /** The wrapper's variable: network aliases whose address is a role (hack/smokescreen/main.go). */
  public static final String ROLES_VARIABLE = "SMOKESCREEN_ROLE_FROM_ADDRESS";
  /** The role of requests from the model proxy's address: the model proxy's network alias. */
  public static final String MODEL_PROXY_ROLE = "model-proxy";

  private SmokescreenConfig() {}

  /** For a gateway whose EgressAllowlist does not exist: Smokescreen runs, and refuses every destination. */
  public static final String DENY_ALL_ACL = """
      # Rendered by openclaw-docker-operator: the gateway's EgressAllowlist does not exist, so nothing is allowed.
      version: v1
      services: []
      default:
        project: "none"
        action: enforce
        allowed_domains: []
      """;

  /** The ACL of this list, or {@link #DENY_ALL_ACL} without one. */
  public static String acl(EgressAllowlist allowlist) {
    if (allowlist == null) return DENY_ALL_ACL;
    EgressAllowlistSpec spec = allowlist.getSpec();
    String project = spec.project() == null || spec.project().isEmpty() ? allowlist.getMetadata().getName() : spec.project();
    StringBuilder acl = new StringBuilder();
    acl.append("# Rendered by openclaw-docker-operator from EgressAllowlist ").append(allowlist.getMetadata().getNamespace())
        .append('/').append(allowlist.getMetadata().getName()).append("; do not edit.\n");
    acl.append("version: v1\n");
    String action = spec.action().name().toLowerCase(java.util.Locale.ROOT);
    if (modelDomains(allowlist).isEmpty()) {
      acl.append("services: []\n");
    } else {
      acl.append("services:\n");
      acl.append("  - name: ").append(quote(MODEL_PROXY_ROLE)).append('\n');
      acl.append("    project: ").append(quote(project)).append('\n');
      acl.append("    action: ").append(action).append('\n');
      domains(acl, "    ", modelDomains(allowlist));
    }
    acl.append("default:\n");
    acl.append("  project: ").append(quote(project)).append('\n');
    acl.append("  action: ").append(action).append('\n');
    domains(acl, "  ", spec.domains());
    return acl.toString();
  }

  /** The domains only the model proxy may reach; empty when the list has none (no role split). */
  public static List<String> modelDomains(EgressAllowlist allowlist) {
    if (allowlist == null || allowlist.getSpec().modelDomains() == null) return List.of();
    return allowlist.getSpec().modelDomains();
  }

  /** The egress proxy's environment: the roles by address, when the ACL has them. */
  public static List<String> env(EgressAllowlist allowlist) {
    return modelDomains(allowlist).isEmpty() ? List.of() : List.of(ROLES_VARIABLE + "=" + MODEL_PROXY_ROLE);
  }

  private static void domains(StringBuilder acl, String indent, List<String> domains) {
    if (domains.isEmpty()) {
      acl.append(indent).append("allowed_domains: []\n");
    } else {
      acl.append(indent).append("allowed_domains:\n");
      for (String domain : domains) acl.append(indent).append("  - ").append(quote(domain)).append('\n');
    }
  }

  public static String aclHash(EgressAllowlist allowlist) { return Hashing.sha256(acl(allowlist)); }

  public static List<String> args(EgressAllowlist allowlist, int listenPort) {
    List<String> args = new ArrayList<>(List.of("--config-file=" + CONFIG_PATH, "--egress-acl-file=" + ACL_PATH,
        "--listen-ip=0.0.0.0", "--listen-port=" + listenPort));
    if (allowlist == null) return args;
    EgressAllowlistSpec spec = allowlist.getSpec();
    if (spec.denyRanges() != null) spec.denyRanges().forEach(range -> args.add("--deny-range=" + range));
    if (spec.allowRanges() != null) spec.allowRanges().forEach(range -> args.add("--allow-range=" + range));
    return args;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
