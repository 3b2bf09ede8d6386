package io.openclaw.operator.plan;

import io.openclaw.operator.api.Durations;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SandboxPolicySpec;
import io.openclaw.operator.api.SandboxPolicySpec.WorkspaceAccess;
import io.openclaw.operator.docker.ContainerBrief;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.rules.ContainerChecks;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.plan.rules.Rule;
import io.openclaw.operator.plan.rules.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Judges agent sandboxes against their SandboxPolicy and decides the remediation, gentlest first: limits are
 * lowered in place, an isolation breach is killed and removed, sandboxes beyond the cap are killed newest first,
 * idle and old ones are pruned (waiting, up to a grace period, for a running exec). Pure.
 */
public final class SandboxPlanner {
  /** A created sandbox is counted against the cap for this long before it starts (OpenClaw starts it at once). */
  public static final Duration PENDING_START = Duration.ofSeconds(10);

  private SandboxPlanner() {}

  /** A policy with its host paths resolved (from the gateway's stateDir when not given). */
  public record Policy(ResourceKey key, SandboxPolicySpec spec, String sandboxRoot, String agentWorkspace) {
    /** The policy with its host paths resolved against the gateway it names. */
    public static Policy of(SandboxPolicy policy, GatewayDeploymentSpec gateway) {
      return new Policy(ResourceKey.of(policy), policy.getSpec(), GatewayStack.sandboxRoot(gateway, policy), GatewayStack.agentWorkspace(gateway, policy));
    }

    public Limits caps() { return Limits.of(spec.resources()); }

    public boolean enforcing() { return spec.enforcement() == SandboxPolicySpec.Enforcement.ENFORCE; }
  }

  /** Every rule this sandbox breaks. */
  public static List<Violation> check(Policy policy, ContainerView c, PathCanon canon) {
    SandboxPolicySpec spec = policy.spec();
    List<Violation> out = new ArrayList<>();
    ContainerChecks.privileged(c).ifPresent(d -> out.add(new Violation(Rule.SANDBOX_PRIVILEGED, d)));
    List<String> caps = new ArrayList<>();
    ContainerChecks.addedCapabilities(c).ifPresent(caps::add);
    ContainerChecks.capabilitiesKept(c, spec.capDrop()).ifPresent(caps::add);
    if (!caps.isEmpty()) out.add(new Violation(Rule.SANDBOX_CAPABILITIES, String.join("; ", caps)));
    ContainerChecks.noNewPrivileges(c).ifPresent(d -> out.add(new Violation(Rule.SANDBOX_NO_NEW_PRIVILEGES, d)));
    network(spec.network(), c).ifPresent(d -> out.add(new Violation(Rule.SANDBOX_NETWORK, d)));
    List<String> mounts = forbiddenMounts(policy, c, canon);
    if (!mounts.isEmpty()) out.add(new Violation(Rule.SANDBOX_MOUNTS, String.join("; ", mounts)));
    ContainerChecks.hostNamespaces(c).ifPresent(d -> out.add(new Violation(Rule.SANDBOX_HOST_NAMESPACES, d)));
    Limits caps2 = policy.caps();
    ContainerChecks.memory(c, caps2.memory(), caps2.memorySwap()).ifPresent(d -> out.add(new Violation(Rule.SANDBOX_MEMORY, d)));
    ContainerChecks.cpus(c, caps2.nanoCpus()).ifPresent(d -> out.add(new Violation(Rule.SANDBOX_CPUS, d)));
    ContainerChecks.pids(c, caps2.pidsLimit()).ifPresent(d -> out.add(new Violation(Rule.SANDBOX_PIDS, d)));
    return out;
  }

  public static boolean breachesIsolation(List<Violation> violations) {
    return violations.stream().anyMatch(v -> v.rule().kind == Rule.Kind.ISOLATION);
  }

  /** The one action that makes this sandbox conform, or none. */
  public static Optional<Action> remediate(Policy policy, ContainerView c, List<Violation> violations) {
    if (violations.isEmpty()) return Optional.empty();
    List<Violation> isolation = violations.stream().filter(v -> v.rule().kind == Rule.Kind.ISOLATION).toList();
    if (!isolation.isEmpty()) return Optional.of(removal(c.id(), c.name(), isolation));
    return Optional.of(new Action.UpdateLimits(c.id(), c.name(), lowered(policy.caps(), c), null, Reason.of(violations.get(0).rule().checkId,
        String.join("; ", violations.stream().map(Violation::toString).toList()))));
  }

  /** An isolation breach: killed and removed, named by the first rule broken. */
  public static Action.RemoveContainer removal(String id, String name, List<Violation> isolation) {
    return new Action.RemoveContainer(id, name, true, Reason.of(isolation.get(0).rule().checkId,
        String.join("; ", isolation.stream().map(Violation::toString).toList())));
  }

  /** Each limit at most its cap; a limit already below the cap stays. Memory and swap move together. */
  static Limits lowered(Limits caps, ContainerView c) {
    long memory = c.memory() > 0 ? Math.min(c.memory(), caps.memory()) : caps.memory();
    long swap = ContainerChecks.effectiveSwap(c);
    long memorySwap = swap < 0 ? caps.memorySwap() : Math.min(swap, caps.memorySwap());
    memorySwap = Math.max(memorySwap, memory);
    long cpus = c.effectiveNanoCpus() > 0 ? Math.min(c.effectiveNanoCpus(), caps.nanoCpus()) : caps.nanoCpus();
    long pids = c.pidsLimit() > 0 ? Math.min(c.pidsLimit(), caps.pidsLimit()) : caps.pidsLimit();
    return new Limits(memory, memorySwap, cpus, pids);
  }

  static Optional<String> network(String required, ContainerView c) {
    return network(required, c.networkMode(), c.networks().keySet(), c.publishedPorts(), c.publishAllPorts());
  }

  static Optional<String> network(String required, String networkMode, Collection<String> networks, List<String> published,
      boolean publishAll) {
    List<String> attached = networks.stream().filter(n -> !n.equals("none")).sorted().toList();
    List<String> problems = new ArrayList<>();
    if (required.equals("none")) {
      if (!networkMode.equals("none")) problems.add("network mode " + networkMode + " instead of none");
      if (!attached.isEmpty()) problems.add("attached to " + String.join(", ", attached));
    } else {
      if (!networkMode.equals(required)) problems.add("network mode " + networkMode + " instead of " + required);
      List<String> others = attached.stream().filter(n -> !n.equals(required)).toList();
      if (!others.isEmpty()) problems.add("also attached to " + String.join(", ", others));
    }
    if (!published.isEmpty() || publishAll) problems.add("publishes ports " + published);
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  /**
   * The breaches that show in the container list (mounts, network), judged the moment a sandbox is created: the
   * list does not wait for a start in progress, so a breach is condemned before it can run. The full check follows
   * on the inspect.
   */
  public static List<Violation> earlyBreaches(Policy policy, ContainerBrief c, PathCanon canon) {
    List<Violation> out = new ArrayList<>();
    network(policy.spec().network(), c.networkMode(), c.networks(), c.publishedPorts(), false)
        .ifPresent(d -> out.add(new Violation(Rule.SANDBOX_NETWORK, d)));
    List<String> mounts = forbiddenMounts(policy, c.mounts(), canon);
    if (!mounts.isEmpty()) out.add(new Violation(Rule.SANDBOX_MOUNTS, String.join("; ", mounts)));
    return out;
  }

  /**
   * The Mounts rule: a bind under sandboxRoot (the sandbox's own workspace, its skills) is normal; the agent
   * workspace only read-only with ro and read-write with rw; anything else, the Docker socket above all, breaches.
   * Sources are compared after normalisation (and symlink resolution where the host is visible).
   */
  static List<String> forbiddenMounts(Policy policy, ContainerView c, PathCanon canon) { return forbiddenMounts(policy, c.mounts(), canon); }

  static List<String> forbiddenMounts(Policy policy, List<ContainerView.MountView> mounts, PathCanon canon) {
    String root = canon.canonical(policy.sandboxRoot());
    String workspace = canon.canonical(policy.agentWorkspace());
    WorkspaceAccess access = policy.spec().workspaceAccess();
    List<String> out = new ArrayList<>();
    List<String> sockets = ContainerChecks.dockerSocketMounts(mounts, canon);
    for (ContainerView.MountView m : mounts) {
      switch (m.type()) {
        case "tmpfs" -> { }
        case "bind" -> {
          String source = canon.canonical(m.source());
          boolean underRoot = PathCanon.under(source, root);
          boolean agent = PathCanon.under(source, workspace);
          if (underRoot) break;
          if (agent && access == WorkspaceAccess.RW) break;
          if (agent && access == WorkspaceAccess.RO && !m.readWrite()) break;
          String why = sockets.contains(m.source() + " -> " + m.destination())
              ? " (the Docker socket: full control of the host)"
              : agent ? (access == WorkspaceAccess.NONE ? " (the agent workspace; workspaceAccess is none)" : " (the agent workspace, read-write; workspaceAccess is ro)")
              : "";
          out.add("bind " + m.source() + " -> " + m.destination() + (m.readWrite() ? " rw" : " ro") + why);
        }
        default -> out.add(m.type() + " " + (m.name() == null ? m.source() : m.name()) + " -> " + m.destination());
      }
    }
    return out;
  }

  /** When a sandbox was made: the daemon's Created time, or OpenClaw's label if that is earlier (a label can only age it). */
  public static Instant createdAt(ContainerView c) {
    Instant created = c.created();
    String label = c.label(Labels.CREATED_AT_MS);
    if (label != null) {
      try {
        Instant claimed = Instant.ofEpochMilli(Long.parseLong(label.trim()));
        if (claimed.isBefore(created)) return claimed;
      } catch (NumberFormatException ignored) {
        // not a number: the daemon's time stands
      }
    }
    return created;
  }

  /** Oldest first; the daemon's creation order, tie broken by id. */
  public static final Comparator<ContainerView> OLDEST_FIRST = Comparator.comparing(SandboxPlanner::createdAt).thenComparing(ContainerView::id);

  /**
   * Sandboxes beyond maxConcurrent, newest first, killed. Running ones count, and so do ones created moments ago
   * (OpenClaw starts them at once), so a sandbox over the cap is removed before it ever runs where possible.
   * Sandboxes already condemned for a breach do not hold a place.
   */
  public static List<Action> concurrency(Policy policy, Collection<ContainerView> sandboxes, Set<String> condemned, Instant now) {
    List<ContainerView> holding = sandboxes.stream()
        .filter(c -> !condemned.contains(c.id()))
        .filter(c -> c.running() || (c.notStarted() && c.created().plus(PENDING_START).isAfter(now)))
        .sorted(OLDEST_FIRST).toList();
    int max = policy.spec().maxConcurrent();
    List<Action> out = new ArrayList<>();
    for (int i = max; i < holding.size(); i++) {
      ContainerView c = holding.get(i);
      out.add(new Action.RemoveContainer(c.id(), c.name(), c.running(), Reason.of("sandbox.max_concurrent",
          holding.size() + " sandboxes " + (c.running() ? "running" : "running or starting") + ", cap " + max + "; " + c.name() + " is among the newest")));
    }
    return out;
  }

  /** A prune decision: remove now, or look again at {@code recheckAt}. */
  public record Prune(ContainerView container, Optional<Action> remove, Instant recheckAt) {}

  /**
   * Idle (no exec since {@code idleHours}) and old (past {@code maxAgeDays}) sandboxes are removed, but not while an
   * exec runs in them, up to {@code execGracePeriod} after they became due.
   */
  public static List<Prune> prune(Policy policy, Collection<ContainerView> sandboxes, Map<String, Instant> lastExecAt,
      Predicate<String> execRunning, Instant now) {
    SandboxPolicySpec.Prune rules = policy.spec().prune();
    Duration idle = hours(rules.idleHours());
    Duration maxAge = hours(rules.maxAgeDays() * 24);
    Duration grace = Durations.parse(rules.execGracePeriod());
    List<Prune> out = new ArrayList<>();
    for (ContainerView c : sandboxes) {
      Instant created = createdAt(c);
      Instant lastActivity = lastExecAt.getOrDefault(c.id(), created);
      if (lastActivity.isBefore(created)) lastActivity = created;
      Instant idleDue = lastActivity.plus(idle);
      Instant ageDue = created.plus(maxAge);
      Instant due = idleDue.isBefore(ageDue) ? idleDue : ageDue;
      String why = idleDue.isBefore(ageDue)
          ? "idle since " + lastActivity + " (idleHours " + trim(rules.idleHours()) + ")"
          : "created " + created + " (maxAgeDays " + trim(rules.maxAgeDays()) + ")";
      String code = idleDue.isBefore(ageDue) ? "sandbox.idle" : "sandbox.max_age";
      if (now.isBefore(due)) {
        out.add(new Prune(c, Optional.empty(), due));
      } else if (execRunning.test(c.id()) && now.isBefore(due.plus(grace))) {
        out.add(new Prune(c, Optional.empty(), due.plus(grace)));
      } else {
        String graceNote = execRunning.test(c.id()) ? "; an exec still runs, but the grace period " + rules.execGracePeriod() + " is over" : "";
        out.add(new Prune(c, Optional.of(new Action.RemoveContainer(c.id(), c.name(), c.running(), Reason.of(code, c.name() + " " + why + graceNote))), now));
      }
    }
    return out;
  }

  /** The OpenClaw setting that produces a sandbox breaking this rule: a breach from its own config comes back. */
  public static Optional<String> openClawKey(Rule rule) {
    return Optional.ofNullable(switch (rule) {
      case SANDBOX_CAPABILITIES -> "agents.defaults.sandbox.docker.capDrop";
      case SANDBOX_NETWORK -> "agents.defaults.sandbox.docker.network";
      case SANDBOX_MOUNTS -> "agents.defaults.sandbox.docker.binds (or workspaceAccess)";
      case SANDBOX_MEMORY -> "agents.defaults.sandbox.docker.memory / memorySwap";
      case SANDBOX_CPUS -> "agents.defaults.sandbox.docker.cpus";
      case SANDBOX_PIDS -> "agents.defaults.sandbox.docker.pidsLimit";
      default -> null;
    });
  }

  private static Duration hours(double hours) { return Duration.ofMillis((long) (hours * 3_600_000d)); }

  private static String trim(double d) { return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d); }
}
