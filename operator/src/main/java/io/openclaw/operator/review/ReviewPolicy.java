package io.openclaw.operator.review;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.source.Sources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a folder is judged against: the agent-level tool denials (SandboxPolicy.spec.toolDenials), the gateway-level
 * ones (GatewayDeployment.spec.toolDenials.gateway) and the domains the egress proxy lets through
 * (EgressAllowlist.spec.domains); a skill never reaches the modelDomains, which are the model proxy's alone, and the
 * review says so. {@code sources} says where each came from, for the review.policy finding.
 */
public record ReviewPolicy(Set<String> agentDenials, Set<String> gatewayDenials, List<String> domains, List<String> sources,
    List<String> modelDomains) {
  public ReviewPolicy(Set<String> agentDenials, Set<String> gatewayDenials, List<String> domains, List<String> sources) {
    this(agentDenials, gatewayDenials, domains, sources, List.of());
  }

  /** DESIGN.md section 1, agent level; also SandboxPolicySpec's default and examples/sandbox-policy.yaml. */
  public static final List<String> SEED_AGENT_DENIALS = List.of("process", "browser", "nodes", "gateway", "sessions_spawn", "sessions_send",
      "elevated", "host_exec", "docker", "camera", "canvas", "cron");
  /** The same less process, browser and nodes: GatewayDeploymentSpec's default and examples/gateway.yaml. */
  public static final List<String> SEED_GATEWAY_DENIALS = List.of("gateway", "sessions_spawn", "sessions_send", "elevated", "host_exec",
      "docker", "camera", "canvas", "cron");
  /**
   * examples/egress-allowlist.yaml's domains: what the gateway, and so a skill, may reach (none); its modelDomains are
   * the model proxy's alone.
   */
  public static final List<String> SEED_DOMAINS = List.of();
  /** examples/egress-allowlist.yaml's modelDomains. */
  public static final List<String> SEED_MODEL_DOMAINS = List.of("*.anthropic.com", "*.openai.com");

  public static ReviewPolicy seed() {
    return new ReviewPolicy(new LinkedHashSet<>(SEED_AGENT_DENIALS), new LinkedHashSet<>(SEED_GATEWAY_DENIALS), SEED_DOMAINS,
        List.of("the seed's defaults (no --manifests): agent denials and gateway denials of DESIGN.md section 1, the domains of examples/egress-allowlist.yaml"),
        SEED_MODEL_DOMAINS);
  }

  /**
   * The union over the resources of a manifest directory (several policies or allowlists each add theirs); a kind the
   * directory lacks keeps the seed's default, and the sources say so.
   */
  public static ReviewPolicy fromManifests(List<Manifest> manifests, String where) {
    Set<String> agent = new LinkedHashSet<>();
    Set<String> gateway = new LinkedHashSet<>();
    Set<String> domains = new LinkedHashSet<>();
    Set<String> modelDomains = new LinkedHashSet<>();
    List<String> policies = new ArrayList<>();
    List<String> gateways = new ArrayList<>();
    List<String> allowlists = new ArrayList<>();
    for (Manifest m : manifests) {
      if (m.resource() instanceof SandboxPolicy p) {
        policies.add(m.key().name());
        agent.addAll(p.getSpec().toolDenials() == null ? SEED_AGENT_DENIALS : p.getSpec().toolDenials());
      } else if (m.resource() instanceof GatewayDeployment g) {
        gateways.add(m.key().name());
        var denials = g.getSpec().toolDenials() == null ? null : g.getSpec().toolDenials().gateway();
        gateway.addAll(denials == null ? SEED_GATEWAY_DENIALS : denials);
      } else if (m.resource() instanceof EgressAllowlist a) {
        allowlists.add(m.key().name());
        if (a.getSpec().domains() != null) domains.addAll(a.getSpec().domains());
        if (a.getSpec().modelDomains() != null) modelDomains.addAll(a.getSpec().modelDomains());
      }
    }
    List<String> sources = new ArrayList<>();
    sources.add(policies.isEmpty() ? "agent denials: the seed's (no SandboxPolicy in " + where + ")"
        : "agent denials: SandboxPolicy " + String.join(", ", policies));
    sources.add(gateways.isEmpty() ? "gateway denials: the seed's (no GatewayDeployment in " + where + ")"
        : "gateway denials: GatewayDeployment " + String.join(", ", gateways));
    sources.add(allowlists.isEmpty() ? "domains: the seed's (no EgressAllowlist in " + where + ")"
        : "domains: EgressAllowlist " + String.join(", ", allowlists));
    if (policies.isEmpty()) agent.addAll(SEED_AGENT_DENIALS);
    if (gateways.isEmpty()) gateway.addAll(SEED_GATEWAY_DENIALS);
    return new ReviewPolicy(agent, gateway, allowlists.isEmpty() ? SEED_DOMAINS : List.copyOf(domains), sources,
        allowlists.isEmpty() ? SEED_MODEL_DOMAINS : List.copyOf(modelDomains));
  }

  /**
   * The policy of a manifest directory (--manifests DIR), loaded as {@code run} would load it. IllegalArgumentException
   * when it is no directory or a resource in it is invalid: a gate must not pass on half a policy.
   */
  public static ReviewPolicy fromDirectory(Path dir) {
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--manifests " + dir + " is not a directory");
    Sources.Snapshot snapshot = Sources.fromDirectory(dir);
    List<String> errors = snapshot.problems().stream().filter(Problem::isError).map(Problem::toString).toList();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("--manifests " + dir + " has invalid resources (`validate " + dir + "` prints them all):\n" + String.join("\n", errors));
    }
    return fromManifests(snapshot.manifests(), dir.toString());
  }

  boolean denied(String name) { return agentDenials.contains(name) || gatewayDenials.contains(name); }

  /** Which lists deny a name, for a finding's detail. */
  String deniedBy(String name) {
    boolean a = agentDenials.contains(name);
    boolean g = gatewayDenials.contains(name);
    return a && g ? "denied at agent and gateway level" : a ? "denied at agent level" : "denied at gateway level";
  }

  String summary() {
    return String.join("; ", sources) + ". Agent denials [" + String.join(", ", agentDenials) + "], gateway denials ["
        + String.join(", ", gatewayDenials) + "], domains [" + String.join(", ", domains) + "]";
  }
}
