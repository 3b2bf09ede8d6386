package io.openclaw.operator.source;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.source.Sources;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declared resources the host is judged against, read once (from a manifest directory or a cluster), in the same
 * store the reconcilers read; or nothing, when none was given and only the host baseline is judged.
 */
public record DesiredState(DesiredStore store, List<Problem> problems, String origin, SecretReader secrets) {
  public static DesiredState none() { return new DesiredState(null, List.of(), null, SecretReader.LOCAL); }

  /** {@code secrets} reads the values the resources name (local files, or the cluster's Secrets). */
  public static DesiredState of(Sources.Snapshot snapshot, String origin, SecretReader secrets) {
    DesiredStore store = new DesiredStore();
    store.batch(b -> snapshot.manifests().forEach(m -> b.put(m.key(), m, 1, List.of())));
    store.markSynced();
    return new DesiredState(store, snapshot.problems(), origin, secrets);
  }

  public boolean given() { return store != null; }

  public List<GatewayDeployment> gateways() { return given() ? store.all(GatewayDeployment.class) : List.of(); }

  public List<SandboxPolicy> policies() { return given() ? store.all(SandboxPolicy.class) : List.of(); }

  /** A policy with its host paths resolved, as the enforcer resolves it; empty when its gateway is not declared. */
  public Optional<SandboxPlanner.Policy> resolve(SandboxPolicy policy) {
    return store.gatewayFor(policy).map(g -> SandboxPlanner.Policy.of(policy, g.getSpec()));
  }

  /** The resolved policy governing a container with these labels, if any. */
  public Optional<SandboxPlanner.Policy> governing(Map<String, String> labels) {
    if (!given()) return Optional.empty();
    return store.governingPolicy(labels).flatMap(this::resolve);
  }

  public Optional<SandboxPolicy> policyFor(GatewayDeployment gateway) {
    return store.policyFor(io.openclaw.operator.api.ResourceKey.of(gateway));
  }
}
