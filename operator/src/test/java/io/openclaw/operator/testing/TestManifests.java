package io.openclaw.operator.testing;

import io.openclaw.operator.api.ResourceKey;

/**
 * Manifests of one test run on the stand-in images, with the real Smokescreen as the egress proxy: a
 * GatewayDeployment named after the run (its containers are "<run>-gateway" and so on), its networks "<run>-int",
 * "<run>-egr", "<run>-ing", all in namespace run.
 */
public final class TestManifests {
  public final String run;

  public TestManifests(String run) {
    this.run = run;
  }

  public ResourceKey gatewayKey() { return new ResourceKey("GatewayDeployment", run, run); }

  public ResourceKey policyKey() { return new ResourceKey("SandboxPolicy", run, run + "-sandboxes"); }

  public ResourceKey allowlistKey() { return new ResourceKey("EgressAllowlist", run, run + "-egress"); }

  public String internal() { return run + "-int"; }

  public String egress() { return run + "-egr"; }

  public String container(String alias) { return run + "-" + alias; }

  public String stateDir() { return "/tmp/" + run + "/state"; }

  /** The gateway with all five components; {@code extra} is YAML indented under spec (may be empty). */
  public String gateway(String extra) {
    return """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: GatewayDeployment
        metadata:
          name: %1$s
          namespace: %1$s
        spec:
          networks: {internal: %1$s-int, egress: %1$s-egr, ingress: %1$s-ing}
          gateway:
            image: openclaw-standin/gateway:dev
            user: "1000:1000"
            stateDir: /tmp/%1$s/state
            resources: {memory: 256Mi, cpus: "0.5", pidsLimit: 128}
          socketProxy:
            image: openclaw-standin/socket-proxy:dev
            allow: [CONTAINERS, IMAGES, EXEC, PING, POST]
            resources: {memory: 64Mi, cpus: "0.25", pidsLimit: 64}
          modelProxy:
            image: openclaw-standin/model-proxy:dev
            resources: {memory: 64Mi, cpus: "0.25", pidsLimit: 64}
          cache:
            image: openclaw-standin/cache:dev
            resources: {memory: 64Mi, cpus: "0.25", pidsLimit: 64}
          egressProxy:
            image: %3$s
            allowlistRef: {name: %1$s-egress}
            user: "65534:65534"
            resources: {memory: 64Mi, cpus: "0.25", pidsLimit: 64}
        %2$s""".formatted(run, indent(extra), SmokescreenImage.reference());
  }

  public String allowlist(String... domains) { return allowlistWith("", java.util.List.of(domains)); }

  /** The gateway's allowlist with these domains; {@code extra} is YAML indented under spec (may be empty). */
  public String allowlistWith(String extra, java.util.List<String> domains) {
    return """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: EgressAllowlist
        metadata:
          name: %1$s-egress
          namespace: %1$s
        spec:
          domains: [%2$s]
        %3$s""".formatted(run, String.join(", ", domains.stream().map(d -> "\"" + d + "\"").toList()), indent(extra));
  }

  /** The seed policy for this run's gateway; {@code extra} is YAML indented under spec. */
  public String policy(String extra) {
    return """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata:
          name: %1$s-sandboxes
          namespace: %1$s
        spec:
          gatewayRef: {name: %1$s}
          selector: {matchLabels: {openclaw.sandbox: "1", %2$s: %1$s}}
        %3$s""".formatted(run, DockerHost.TEST_LABEL, indent(extra));
  }

  private static String indent(String extra) {
    if (extra == null || extra.isBlank()) return "";
    return extra.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
  }
}
