package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicyStatus;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.host.Ownership;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.Schedule;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.source.DesiredSource;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.status.StatusAssembler;
import io.openclaw.operator.status.StatusReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What a reconciler may use, and nothing else of the controller: the desired store, the host as observed (a
 * {@link HostView} for the planners), execution of actions with their record, status, and requeueing.
 */
final class Context {
  final DesiredStore store;
  final DesiredSource source;
  final StatusAssembler statuses;
  final Clock clock;
  final Duration resync;
  /** Which ACL each gateway's egress proxy really runs: the GatewayDeployment reconciler reads it, the allowlist's reports it. */
  final Map<ResourceKey, String> liveAcls = new ConcurrentHashMap<>();
  /** The host checks' results, for the HostHardened condition; null when the controller runs none. */
  volatile HostHardeningMonitor hostHardening;
  private final HostAccess observed;
  private final Effector executor;
  private final Recorder recorder;
  private final Ownership ownership;
  private final PathCanon canon;
  private final Path hostRoot;
  private final boolean removeOrphans;
  private final Consumer<ResourceKey> enqueue;
  private final Consumer<ResourceKey> enqueueSoon;
  /** Runs the chains of a stage at once; bounded, so a large stage cannot flood the daemon. */
  private final java.util.concurrent.Executor actionPool;
  private final Map<ResourceKey, PolicyMemory> memories = new ConcurrentHashMap<>();
  private final java.util.Set<String> reported = ConcurrentHashMap.newKeySet();
  private volatile java.util.function.Supplier<io.openclaw.operator.host.Admitted> admissionFacts = () -> io.openclaw.operator.host.Admitted.NONE;
  /** The container the operator runs in, exempt from the baseline it enforces (it mounts the Docker socket). */
  private final Optional<String> self = io.openclaw.operator.docker.SelfContainer.id();
  /** Missing referenced inputs, each retried for {@code stallAfter} before the resource is reported Stalled. */
  private final MissingInputs missing;

  Context(DesiredStore store, DesiredSource source, HostAccess observed, Effector executor, Recorder recorder,
      Ownership ownership, StatusAssembler statuses, PathCanon canon, Path hostRoot, boolean removeOrphans, Clock clock, Duration resync,
      Duration stallAfter, Consumer<ResourceKey> enqueue, Consumer<ResourceKey> enqueueSoon, java.util.concurrent.Executor actionPool) {
    this.store = store;
    this.source = source;
    this.observed = observed;
    this.executor = executor;
    this.recorder = recorder;
    this.ownership = ownership;
    this.statuses = statuses;
    this.canon = canon;
    this.hostRoot = hostRoot;
    this.removeOrphans = removeOrphans;
    this.clock = clock;
    this.resync = resync;
    this.missing = new MissingInputs(clock, stallAfter);
    this.enqueue = enqueue;
    this.enqueueSoon = enqueueSoon;
    this.actionPool = actionPool;
  }

  /** The host now, from the caches the events stream keeps: what every plan is made from. */
  HostView view() {
    return new HostView(store, source.secrets(), observed.snapshot(), observed::readFile, ownership, observed.execActivity(),
        observed.beingRemoved(), self.map(admissionFacts.get()::alsoExempt).orElseGet(admissionFacts), observed.capabilities(), canon, this::hostDirExists, removeOrphans, clock.instant());
  }

  /** The container as the list shows it now (not waiting for a start in progress), or empty. */
  Optional<io.openclaw.operator.docker.ContainerView> listed(String id) { return observed.listed(id); }

  Optional<io.openclaw.operator.docker.ContainerView> observed(String id) { return observed.container(id); }

  boolean beingRemoved(String id) { return observed.beingRemoved(id); }

  Ownership ownership() { return ownership; }

  /**
   * Carries out one action, timed, logged and counted; failures propagate (the key is retried with backoff). A
   * removal is claimed first, so two paths never remove one container; false when another path already does.
   */
  boolean execute(ResourceKey owner, Action action) {
    String removal = action instanceof Action.RemoveContainer r ? r.id() : null;
    if (removal != null && !observed.claimRemoval(removal)) return false;
    String update = action instanceof Action.UpdateLimits u ? u.id() : null;
    if (update != null && !observed.claimUpdate(update)) return false;
    long started = System.nanoTime();
    boolean applied = false;
    try {
      executor.apply(owner, action);
      applied = true;
      recorder.done(owner, action, (System.nanoTime() - started) / 1000);
      return true;
    } catch (RuntimeException e) {
      if (removal != null) observed.removalFailed(removal);
      recorder.failed(owner, action, e.getMessage());
      throw e;
    } finally {
      if (update != null) observed.updateEnded(update, applied);
    }
  }

  /** What became of one action of a stage: carried out ({@code executed}), claimed by another path, or failed. */
  record Done(Action action, boolean executed, RuntimeException failure) {}

  /**
   * Carries out one stage of a schedule: its chains at once on the bounded pool (a lone chain on the calling thread),
   * a chain that waits for others once they have all succeeded (never, if one failed: what it needs is not there),
   * each chain's actions in order, a chain ending at its first failure (what follows needs what failed). Waits for
   * every chain and returns what became of each action tried, in the stage's order; failures are returned, not
   * thrown, so the caller weighs them all. Each action is timed, logged and counted by {@link #execute} as before.
   */
  List<Done> run(ResourceKey owner, Schedule.Stage stage) {
    List<List<Action>> chains = stage.chains();
    if (chains.size() == 1) return runChain(owner, chains.get(0));
    List<CompletableFuture<List<Done>>> running = new ArrayList<>();
    for (int i = 0; i < chains.size(); i++) {
      List<Action> chain = chains.get(i);
      List<CompletableFuture<List<Done>>> before = stage.after().get(i).stream().map(running::get).toList();
      running.add(CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).thenApplyAsync(ignored ->
          before.stream().allMatch(b -> b.join().stream().allMatch(d -> d.failure() == null)) ? runChain(owner, chain) : List.<Done>of(), actionPool));
    }
    List<Done> out = new ArrayList<>();
    for (CompletableFuture<List<Done>> f : running) out.addAll(f.join());
    return out;
  }

  private List<Done> runChain(ResourceKey owner, List<Action> chain) {
    List<Done> out = new ArrayList<>();
    for (Action action : chain) {
      try {
        out.add(new Done(action, execute(owner, action), null));
      } catch (RuntimeException e) {
        out.add(new Done(action, false, e));
        break;
      }
    }
    return out;
  }

  /** Report mode: what would be done, said once per container and rule. */
  void report(ResourceKey owner, String containerId, Action action) {
    executor.reported(owner, action);
    if (reported.add(owner + "|" + containerId + "|" + action.reason().code())) recorder.reported(owner, action);
  }

  /** A SandboxPolicy's memory (remediations, recurrence); restored from the status written before a restart. */
  PolicyMemory memory(ResourceKey key) {
    return memories.computeIfAbsent(key, k -> {
      PolicyMemory memory = new PolicyMemory();
      statuses.previous(k).filter(SandboxPolicyStatus.class::isInstance).map(SandboxPolicyStatus.class::cast).ifPresent(s -> {
        if (s.hosts() == null) return;
        s.hosts().stream().filter(h -> statuses.host().equals(h.name())).findFirst().ifPresent(h -> {
          memory.seed(h.remediated() == null ? 0 : h.remediated(), h.lastActions());
          if (h.execActivity() != null) {
            h.execActivity().forEach(a -> observed.rememberExec(a.containerId(), Instant.parse(a.lastExecAt())));
          }
        });
      });
      return memory;
    });
  }

  void forgetMemory(ResourceKey key) { memories.remove(key); }

  /** The containers the authorization plugin saw an administrator create (exempt from the baseline). */
  void admissionFacts(java.util.function.Supplier<io.openclaw.operator.host.Admitted> supplier) { this.admissionFacts = supplier; }

  /**
   * A decision of the authorization plugin: timed and counted; a denial is recorded like a remediation (the policy's
   * last actions and the recurrence per session, a metric, an Event), so BreachRecurring sees what was refused too.
   */
  void admitted(io.openclaw.operator.admission.AdmissionJudge.Decision d, Duration took) {
    recorder.admission(d.allow(), d.rule(), took);
    if (d.allow()) return;
    ResourceKey owner = d.policy() != null ? d.policy() : Controller.BASELINE;
    recorder.denied(owner, d.rule(), d.container(), d.message());
    if (d.policy() == null) return;
    memory(d.policy()).remediated(d.container() == null ? "" : d.container(), "", d.rule(), "deny", clock.instant(), d.sessionKey());
    enqueueSoon(d.policy());
  }

  /** A referenced input is missing: Reconciling (retried) for the grace period, then Stalled ({@link MissingInputs}). */
  Outcome missing(ResourceKey key, StatusReason reason, String message) { return missing.outcome(key, reason, message); }

  /**
   * This host is done with a resource (deleted, or no longer selecting this host) and has removed what it made: its
   * status entry is withdrawn, so it no longer counts in the summary, and the source lets go (this host's finalizer).
   */
  void released(ResourceKey key, long generation) {
    missing.found(key);
    statuses.withdraw(key, generation);
    source.released(key);
  }

  /** Nothing is missing (any more) for this resource. */
  void found(ResourceKey key) { missing.found(key); }

  /** When to look again for a missing input. */
  Duration retryMissing(ResourceKey key) { return missing.retryAfter(key); }

  void enqueue(ResourceKey key) { enqueue.accept(key); }

  /** Status-only work: coalesces a burst of sandbox events into one policy pass. */
  void enqueueSoon(ResourceKey key) { enqueueSoon.accept(key); }

  private boolean hostDirExists(String hostPath) {
    if (!canon.resolvesLinks()) return true;
    return Files.exists(hostRoot.resolve(Path.of("/").relativize(Path.of(hostPath))));
  }
}
