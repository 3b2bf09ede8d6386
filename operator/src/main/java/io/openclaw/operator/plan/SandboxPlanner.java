package io.openclaw.operator.plan;

import io.openclaw.operator.api.Durations;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SandboxPolicySpec;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.rules.ContainerChecks;
import io.openclaw.operator.plan.rules.PathCanon;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides everything about one SandboxPolicy's sandboxes on a host, in one pure function ({@link #plan}): each is
 * judged against the policy's rules, an isolation breach is killed and removed, limits above the caps are lowered in
 * place, sandboxes beyond the cap are killed newest first, idle and old ones are pruned (waiting, up to a grace
 * period, for a running exec); report mode and a kernel that cannot hold limits are decided here too. {@code run},
 * {@code plan}, {@code audit}, {@code explain} and the authorization plugin all call it, so they never disagree.
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

  /** Exec activity from the events stream: the last exec per container, and the ones with an exec running now. */
  public record ExecActivity(Map<String, Instant> lastExecAt, Set<String> running) {
    public static final ExecActivity NONE = new ExecActivity(Map.of(), Set.of());
  }

  /**
   * Everything decided for one policy: the actions to carry out (none in report mode: they are in {@code reported}),
   * a verdict per selected sandbox (oldest first), when to look again, and the counts status reports.
   */
  public record Plan(Policy policy, List<Action> actions, List<Action> reported, List<Verdict> verdicts, Instant recheckAt,
      Optional<String> limitsUnsupported) {
    public int running() { return (int) verdicts.stream().filter(v -> v.container().running()).count(); }

    public List<Verdict> nonConforming() { return verdicts.stream().filter(v -> !v.violations().isEmpty()).toList(); }

    public boolean overCap() { return running() > policy.spec().maxConcurrent(); }

    /** Every action decided, carried out or only reported. */
    public List<Action> decided() { return actions.isEmpty() ? reported : actions; }

    /** The actions that touch one container (its own remediation, the cap or pruning that names it). */
    public List<Action> actionsFor(String containerId) {
      return actions.stream().filter(a -> containerId.equals(a.containerId())).toList();
    }
  }

  /**
   * The plan for one policy. {@code selected} are the containers the policy governs (its selector, and no other
   * policy first); {@code beingRemoved} are ones a removal is already under way for (they hold no place and get no
   * second action); {@code startGated} are created ones whose start the authorization plugin will count against the cap.
   * A container that is not {@link ContainerView#inspected() inspected} (seen only in the list, at
   * its create event) is judged by the rules the list can show.
   */
  public static Plan plan(Policy policy, Collection<ContainerView> selected, Set<String> beingRemoved, Set<String> startGated, ExecActivity exec,
      HostCapabilities host, PathCanon canon, Instant now) {
    Judging judging = Judging.sandbox(policy, canon, host);
    List<ContainerView> sandboxes = selected.stream()
        .filter(c -> !beingRemoved.contains(c.id()) && !c.state().equals("removing") && !c.state().equals("dead"))
        .sorted(OLDEST_FIRST).toList();
    Map<String, List<Violation>> violations = new LinkedHashMap<>();
    Map<String, List<Action>> decided = new LinkedHashMap<>();
    Map<String, String> notes = new HashMap<>();
    for (ContainerView c : sandboxes) {
      List<Violation> broken = Rule.judge(Rule.Scope.SANDBOX, c, judging);
      violations.put(c.id(), broken);
      decided.put(c.id(), new ArrayList<>());
      remediate(policy, c, broken).ifPresent(a -> {
        if (host.effective(a)) decided.get(c.id()).add(a);
        else notes.put(c.id(), "its limits cannot be lowered: " + host.limitsUnsupported().orElse(""));
      });
    }
    // Condemned sandboxes hold no place under the cap and are not pruned as well.
    Set<String> condemned = new java.util.HashSet<>();
    violations.forEach((id, broken) -> { if (breachesIsolation(broken)) condemned.add(id); });
    Cap cap = concurrency(policy, sandboxes, condemned, startGated, now);
    for (Action a : cap.kills()) decided.get(a.containerId()).add(a);
    cap.awaitingStart().forEach(notes::putIfAbsent);
    Instant recheck = null;
    for (Prune p : prune(policy, sandboxes, exec.lastExecAt(), exec.running()::contains, now)) {
      String id = p.container().id();
      boolean removed = decided.get(id).stream().anyMatch(a -> a instanceof Action.RemoveContainer);
      if (p.remove().isPresent()) {
        if (!removed) decided.get(id).add(p.remove().get());
      } else {
        if (recheck == null || p.recheckAt().isBefore(recheck)) recheck = p.recheckAt();
        notes.putIfAbsent(id, p.note());
      }
    }
    // A removal makes any other action on the same container moot.
    decided.values().forEach(list -> {
      if (list.stream().anyMatch(a -> a instanceof Action.RemoveContainer)) list.removeIf(a -> !(a instanceof Action.RemoveContainer));
    });
    boolean enforce = policy.enforcing();
    List<Action> all = new ArrayList<>();
    List<Verdict> verdicts = new ArrayList<>();
    for (ContainerView c : sandboxes) {
      List<Action> forThis = List.copyOf(decided.get(c.id()));
      all.addAll(forThis);
      verdicts.add(new Verdict(c, Rule.Scope.SANDBOX, judging, violations.get(c.id()), forThis, enforce, notes.getOrDefault(c.id(), "")));
    }
    // Condemned, over the cap or pruned first, limits after: the breaches go first when carried out in order.
    all.sort(Comparator.comparing(a -> a instanceof Action.UpdateLimits));
    boolean nonConforming = verdicts.stream().anyMatch(v -> !v.violations().isEmpty());
    if (enforce && nonConforming && (recheck == null || recheck.isAfter(now.plusSeconds(1)))) recheck = now.plusSeconds(1);
    return new Plan(policy, enforce ? all : List.of(), enforce ? List.of() : all, verdicts, recheck, host.limitsUnsupported());
  }

  /** Every rule this sandbox breaks (a step of {@link #plan}). */
  static List<Violation> check(Policy policy, ContainerView c, PathCanon canon) {
    return Rule.judge(Rule.Scope.SANDBOX, c, Judging.sandbox(policy, canon, HostCapabilities.FULL));
  }

  static boolean breachesIsolation(List<Violation> violations) { return violations.stream().anyMatch(v -> v.rule().isolation()); }

  /** The one action that makes this sandbox conform, or none (a step of {@link #plan}). */
  static Optional<Action> remediate(Policy policy, ContainerView c, List<Violation> violations) {
    if (violations.isEmpty()) return Optional.empty();
    List<Violation> isolation = violations.stream().filter(v -> v.rule().isolation()).toList();
    if (!isolation.isEmpty()) return Optional.of(removal(c.id(), c.name(), isolation));
    if (!c.inspected()) return Optional.empty();
    return Optional.of(new Action.UpdateLimits(c.id(), c.name(), lowered(policy.caps(), c), null, c.nanoCpus() <= 0 && c.cpuQuota() > 0,
        Reason.of(violations)));
  }

  /** An isolation breach: killed and removed, named by the first rule broken. */
  static Action.RemoveContainer removal(String id, String name, List<Violation> isolation) {
    return new Action.RemoveContainer(id, name, true, Reason.of(isolation));
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
   * Whether a sandbox holds a place under the cap: running, or created moments ago (OpenClaw starts it at once) unless
   * the authorization plugin saw its create ({@code startGated}), since its start then waits for a free place.
   */
  public static boolean holdsPlace(ContainerView c, Set<String> startGated, Instant now) {
    return c.running() || (c.notStarted() && !startGated.contains(c.id()) && c.created().plus(PENDING_START).isAfter(now));
  }

  /**
   * What the cap decides: the running sandboxes beyond it, killed, and the ones beyond it that have not started yet,
   * by id, with a note saying they are killed once they have.
   */
  record Cap(List<Action> kills, Map<String, String> awaitingStart) {}

  /**
   * Sandboxes beyond maxConcurrent, newest first (a step of {@link #plan}). Running ones count, and so do ones created
   * moments ago, so the order of creation decides who stays, not the order of starts. Only running ones are killed: one
   * that is still created may have its start in flight in the daemon, and a removal (or stop) sent then waits behind
   * that start, seconds on a busy engine; its start event brings a new plan, which kills it (a forced remove, nothing
   * in flight any more). One whose start never comes is no exposure and, after {@link #PENDING_START}, holds no place.
   * Sandboxes already condemned for a breach do not hold a place.
   */
  static Cap concurrency(Policy policy, Collection<ContainerView> sandboxes, Set<String> condemned, Set<String> startGated, Instant now) {
    List<ContainerView> holding = sandboxes.stream().filter(c -> !condemned.contains(c.id())).filter(c -> holdsPlace(c, startGated, now))
        .sorted(OLDEST_FIRST).toList();
    int max = policy.spec().maxConcurrent();
    boolean allRunning = holding.stream().allMatch(ContainerView::running);
    String counted = holding.size() + " sandboxes " + (allRunning ? "running" : "running or starting") + ", cap " + max;
    List<Action> kills = new ArrayList<>();
    Map<String, String> awaitingStart = new LinkedHashMap<>();
    for (int i = max; i < holding.size(); i++) {
      ContainerView c = holding.get(i);
      if (c.running()) {
        kills.add(new Action.RemoveContainer(c.id(), c.name(), true,
            Reason.of(Rule.SANDBOX_MAX_CONCURRENT, counted + "; " + c.name() + " is among the newest")));
      } else {
        awaitingStart.put(c.id(), "beyond the cap (" + counted + "): killed once it has started (a removal now would wait behind its start)");
      }
    }
    return new Cap(kills, awaitingStart);
  }

  /** A prune decision: remove now, or look again at {@code recheckAt} ({@code note} says why). */
  record Prune(ContainerView container, Optional<Action> remove, Instant recheckAt, String note) {}

  /**
   * Idle (no exec since {@code idleHours}) and old (past {@code maxAgeDays}) sandboxes are removed, but not while an
   * exec runs in them, up to {@code execGracePeriod} after they became due (a step of {@link #plan}).
   */
  static List<Prune> prune(Policy policy, Collection<ContainerView> sandboxes, Map<String, Instant> lastExecAt,
      java.util.function.Predicate<String> execRunning, Instant now) {
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
      boolean idleFirst = idleDue.isBefore(ageDue);
      Instant due = idleFirst ? idleDue : ageDue;
      String why = idleFirst ? "idle since " + lastActivity + " (idleHours " + trim(rules.idleHours()) + ")"
          : "created " + created + " (maxAgeDays " + trim(rules.maxAgeDays()) + ")";
      Rule rule = idleFirst ? Rule.SANDBOX_IDLE : Rule.SANDBOX_MAX_AGE;
      if (now.isBefore(due)) {
        out.add(new Prune(c, Optional.empty(), due, "removed at " + due + " unless an exec comes first"));
      } else if (execRunning.test(c.id()) && now.isBefore(due.plus(grace))) {
        out.add(new Prune(c, Optional.empty(), due.plus(grace), "due since " + due + "; waits for its running exec until " + due.plus(grace)));
      } else {
        String graceNote = execRunning.test(c.id()) ? "; an exec still runs, but the grace period " + rules.execGracePeriod() + " is over" : "";
        out.add(new Prune(c, Optional.of(new Action.RemoveContainer(c.id(), c.name(), c.running(), Reason.of(rule, c.name() + " " + why + graceNote))),
            now, ""));
      }
    }
    return out;
  }

  private static Duration hours(double hours) { return Duration.ofMillis((long) (hours * 3_600_000d)); }

  private static String trim(double d) { return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d); }
}
