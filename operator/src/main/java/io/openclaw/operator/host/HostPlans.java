package io.openclaw.operator.host;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.BaselinePlanner;
import io.openclaw.operator.plan.ContainerSpec;
import io.openclaw.operator.plan.GatewayPlanner;
import io.openclaw.operator.plan.GatewayStack;
import io.openclaw.operator.plan.Judging;
import io.openclaw.operator.plan.MountSpec;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.source.SecretReader;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Objects;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every plan for a host, from a {@link HostView}: the inputs each planner needs are gathered here, once, in one way,
 * and the planners decide. {@code run} carries the plans out, {@code plan} prints them, {@code audit} and
 * {@code explain} report their verdicts, the authorization plugin refuses what they would kill.
 */
public final class HostPlans {
  /** The reason a gateway cannot be planned while a Secret or secret file it names cannot be read. */
  public static final String SECRET_UNAVAILABLE = "SecretUnavailable";
  /** The reason a gateway cannot be planned while its base openclaw.json is unusable. */
  public static final String INVALID_CONFIG = "InvalidConfig";

  private HostPlans() {}

  /**
   * Every plan of the host: each declared gateway's (or why it cannot be planned), each policy's that resolves, and
   * the baseline's. What {@code plan} prints, {@code audit} reports and a full pass of {@code run} carries out.
   */
  public record All(Map<ResourceKey, GatewayResult> gateways, Map<ResourceKey, SandboxPlanner.Plan> policies, BaselinePlanner.Plan baseline) {
    /** Every verdict on containers, from whichever planner judged them. */
    public List<Verdict> verdicts() {
      List<Verdict> out = new ArrayList<>();
      gateways.values().forEach(g -> {
        if (g instanceof GatewayResult.Planned p) {
          p.plan().components().stream().map(GatewayPlanner.ComponentState::verdict).filter(Objects::nonNull).forEach(out::add);
          out.addAll(p.plan().others());
        }
      });
      policies.values().forEach(p -> out.addAll(p.verdicts()));
      out.addAll(baseline.verdicts());
      return out;
    }

    /** The planners' verdicts on one container (a foreign one may be judged by the baseline and as foreign on a network). */
    public List<Verdict> of(String containerId) { return verdicts().stream().filter(v -> v.container().id().equals(containerId)).toList(); }

    /** Every action to carry out, in plan order per resource (a gateway with conflicts carries out none). */
    public List<Action> actions() {
      List<Action> out = new ArrayList<>();
      gateways.values().forEach(g -> {
        if (g instanceof GatewayResult.Planned p && p.plan().conflicts().isEmpty()) out.addAll(p.plan().actions());
      });
      policies.values().forEach(p -> out.addAll(p.actions()));
      out.addAll(baseline.actions());
      return out;
    }
  }

  /** Every plan of the host (the declared resources in key order, then the baseline). */
  public static All all(HostView v) {
    Map<ResourceKey, GatewayResult> gateways = new LinkedHashMap<>();
    Map<ResourceKey, SandboxPlanner.Plan> policies = new LinkedHashMap<>();
    for (Manifest m : v.store().manifests().stream().sorted(java.util.Comparator.comparing(Manifest::key)).toList()) {
      if (m.key().kind().equals("GatewayDeployment")) gateways.put(m.key(), gateway(v, m));
      if (m.key().kind().equals("SandboxPolicy")) policy(v, m.key()).ifPresent(p -> policies.put(m.key(), p));
    }
    return new All(gateways, policies, baseline(v));
  }

  /** A gateway's plan, or why it cannot be planned (a person must fix an input first). */
  public sealed interface GatewayResult {
    /** {@code observed}: what the plan was made from, the files read inside the containers included. */
    record Planned(GatewayStack.Inputs inputs, GatewayStack.Desired desired, GatewayPlanner.Observed observed, GatewayPlanner.Plan plan)
        implements GatewayResult {}

    record Unplannable(String reason, String message) implements GatewayResult {}
  }

  public static GatewayResult gateway(HostView v, Manifest gateway) {
    GatewayStack.Inputs inputs;
    try {
      inputs = GatewayInputs.inputs(v.store(), v.secrets(), gateway);
    } catch (SecretReader.Unavailable e) {
      return new GatewayResult.Unplannable(SECRET_UNAVAILABLE, e.getMessage());
    } catch (IllegalArgumentException e) {
      return new GatewayResult.Unplannable(INVALID_CONFIG, "the base openclaw.json cannot be used: " + e.getMessage());
    }
    GatewayDeployment gwd = gateway.as(GatewayDeployment.class);
    GatewayStack.Desired desired = GatewayStack.desired(inputs);
    v.ownership().adopt(v.snapshot().allContainers());
    GatewayPlanner.Observed observed = new GatewayPlanner.Observed(v.snapshot(), GatewayInputs.liveFiles(v.files(), desired, v.snapshot()),
        v.ownership().of(gateway.key()), GatewayInputs.sandboxIds(v.store(), v.snapshot()), gwd.getSpec().foreignContainers(),
        missingHostDirs(desired, v), v.capabilities(), v.canon());
    return new GatewayResult.Planned(inputs, desired, observed, GatewayPlanner.plan(desired, observed));
  }

  /** Everything the deployment made, removed: its plan once it is deleted (or no longer selects this host). */
  public static GatewayPlanner.Plan teardown(HostView v, ResourceKey key) {
    GatewayStack.Desired nothing = new GatewayStack.Desired(key, List.of(), List.of());
    return GatewayPlanner.plan(nothing, new GatewayPlanner.Observed(v.snapshot(), Map.of(), v.ownership().of(key), Set.of(),
        GatewayDeploymentSpec.ForeignContainers.REPORT, Set.of(), v.capabilities(), v.canon()));
  }

  /** A SandboxPolicy with its host paths resolved from its gateway; empty when either is not declared. */
  public static Optional<SandboxPlanner.Policy> resolve(HostView v, ResourceKey key) {
    return v.store().get(key, SandboxPolicy.class).flatMap(p -> v.store().gatewayFor(p).map(g -> SandboxPlanner.Policy.of(p, g.getSpec())));
  }

  /** The policy that governs a container with these labels: of those selecting it, the first by key. */
  public static Optional<ResourceKey> governing(HostView v, Map<String, String> labels) {
    return v.store().governingPolicy(labels).map(ResourceKey::of);
  }

  /** The containers a policy governs on this host. */
  public static List<ContainerView> selected(HostView v, ResourceKey policy) {
    return v.snapshot().allContainers().stream().filter(c -> governing(v, c.labels()).map(policy::equals).orElse(false)).toList();
  }

  /** A policy's plan; empty when the policy or its gateway is not declared. */
  public static Optional<SandboxPlanner.Plan> policy(HostView v, ResourceKey key) {
    return resolve(v, key).map(p -> SandboxPlanner.plan(p, selected(v, key), v.beingRemoved(), v.admitted().startGated(), v.exec(), v.capabilities(), v.canon(), v.now()));
  }

  /** The host baseline over every container no GatewayDeployment created and no SandboxPolicy governs, and the orphans. */
  public static BaselinePlanner.Plan baseline(HostView v) { return baseline(v, v.snapshot().allContainers()); }

  /** The host baseline over some of the host's containers (the fast path judges one at a time). */
  public static BaselinePlanner.Plan baseline(HostView v, java.util.Collection<ContainerView> containers) {
    v.ownership().adopt(v.snapshot().allContainers());
    List<GatewayDeployment> gateways = v.store().all(GatewayDeployment.class);
    boolean enforce = gateways.stream().anyMatch(g -> g.getSpec().hostBaseline().enforcing());
    Map<String, ResourceKey> recorded = v.ownership().all();
    Set<String> exempt = new HashSet<>(recorded.keySet());
    exempt.addAll(v.admitted().exempt());
    exempt.addAll(GatewayInputs.sandboxIds(v.store(), v.snapshot()));
    Set<ResourceKey> declared = v.store().keys();
    Map<String, String> orphans = new LinkedHashMap<>();
    // Only against a declared state read in full: `audit` without manifests knows none, and a store still loading
    // lacks some, so what was recorded is not "no longer declared" (and never removed as such).
    if (v.store().synced()) recorded.forEach((id, owner) -> { if (!declared.contains(owner)) orphans.put(id, owner.toString()); });
    return BaselinePlanner.plan(containers, new BaselinePlanner.Inputs(enforce, exempt, v.beingRemoved(), orphans,
        v.removeOrphans(), new Judging.Baseline(protectedDirs(v), false), v.canon(), v.capabilities()));
  }

  /** Each gateway's state directory, and the sandbox root inside it that sandboxes (and others) may bind. */
  public static Map<String, String> protectedDirs(HostView v) {
    Map<String, String> out = new LinkedHashMap<>();
    for (GatewayDeployment g : v.store().all(GatewayDeployment.class)) {
      SandboxPolicy policy = v.store().policyFor(ResourceKey.of(g)).orElse(null);
      out.put(g.getSpec().gateway().stateDir(), GatewayStack.sandboxRoot(g.getSpec(), policy));
    }
    return out;
  }

  private static Set<String> missingHostDirs(GatewayStack.Desired desired, HostView v) {
    Set<String> out = new HashSet<>();
    for (ContainerSpec spec : desired.containers()) {
      for (MountSpec m : spec.mounts()) {
        if (m.bind() && !m.source().equals(GatewayStack.DOCKER_SOCKET) && !v.hostDirExists().test(m.source())) out.add(m.source());
      }
    }
    return out;
  }
}
