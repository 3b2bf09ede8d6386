package io.openclaw.operator.controller;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SandboxPolicyStatus;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEvent;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.docker.NetworkView;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.source.DesiredSource;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.status.StatusAssembler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop every kind runs in: desired state from a source, observed state from the Docker events stream, two work
 * queues (resources, and the fast sandbox queue), a small fixed pool of workers each, rate-limited requeues on
 * failure and a periodic resync as the backstop.
 */
public final class Controller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Controller.class);

  /** Settings of one operator instance. */
  public record Options(String hostName, Map<String, String> hostLabels, Duration resync, int resourceWorkers, int sandboxWorkers, Clock clock) {
    public static Options defaults(String hostName) {
      return new Options(hostName, Map.of(), Duration.ofMinutes(5), 2, 4, Clock.systemUTC());
    }

    /** The host's labels, with its name under {@link io.openclaw.operator.api.HostScoped#HOST_NAME_LABEL}. */
    public Map<String, String> labels() {
      Map<String, String> all = new java.util.HashMap<>(hostLabels);
      all.put(io.openclaw.operator.api.HostScoped.HOST_NAME_LABEL, hostName);
      return all;
    }
  }

  final DesiredStore store;
  final DesiredSource source;
  final ObservedState observed;
  final DockerApi docker;
  final Executor executor;
  final Metrics metrics;
  final Recorder recorder;
  final Clock clock;
  final PathCanon canon;
  final Duration resync;
  final StatusAssembler statuses;
  final Map<ResourceKey, String> liveAcls = new ConcurrentHashMap<>();
  final WorkQueue<ResourceKey> resources = new WorkQueue<>("resources", Duration.ofMillis(500), Duration.ofMinutes(5));
  final WorkQueue<SandboxKey> sandboxes = new WorkQueue<>("sandboxes", Duration.ofMillis(100), Duration.ofSeconds(30));
  final SandboxEnforcer enforcer = new SandboxEnforcer(this);
  private final Map<ResourceKey, PolicyState> policyStates = new ConcurrentHashMap<>();
  private final Map<String, Reconciler> reconcilers;
  private final Options options;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "resync"));
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean running;

  /** {@code hostFilesystem}: where the Docker host's root is visible to this process, if anywhere (symlinks, bind sources). */
  public Controller(DesiredSource source, DockerApi docker, ObservedState observed, java.util.Optional<java.nio.file.Path> hostFilesystem,
      Metrics metrics, Options options) {
    this.source = source;
    this.docker = docker;
    this.observed = observed;
    this.options = options;
    this.store = new DesiredStore(options.labels());
    this.metrics = metrics;
    this.clock = options.clock();
    this.resync = options.resync();
    this.canon = PathCanon.of(hostFilesystem);
    this.executor = new Executor(docker, hostFilesystem);
    this.recorder = new Recorder(metrics);
    this.statuses = new StatusAssembler(source.statusWriter(), options.hostName(), clock);
    this.reconcilers = Map.of("GatewayDeployment", new GatewayReconciler(this), "SandboxPolicy", new PolicyReconciler(this),
        "EgressAllowlist", new AllowlistReconciler(this));
    this.workers = Executors.newFixedThreadPool(options.resourceWorkers() + options.sandboxWorkers(), r -> daemon(r, "worker"));
    metrics.gauge("openclaw_operator_queue_depth", "Keys waiting in a work queue", "queue", "resources", resources::depth);
    metrics.gauge("openclaw_operator_queue_depth", "Keys waiting in a work queue", "queue", "sandboxes", sandboxes::depth);
    io.micrometer.core.instrument.FunctionCounter.builder("openclaw_operator_events_stream_reconnects", observed, ObservedState::reconnects)
        .description("Times the Docker events stream was reopened").register(metrics.registry);
    io.micrometer.core.instrument.FunctionCounter.builder("openclaw_operator_host_relists", observed, ObservedState::relists)
        .description("Full re-lists of the Docker host").register(metrics.registry);
  }

  public Recorder recorder() { return recorder; }

  public DesiredStore store() { return store; }

  /** Listed the host, loaded the desired state: reconciles see the world. */
  public boolean ready() { return running && observed.ready() && store.synced(); }

  public void start() throws Exception {
    running = true;
    store.addListener(this::desiredChanged);
    observed.addListener(new ObservedListener());
    observed.urgentWhen(labels -> !store.policiesMatching(labels).isEmpty());
    for (int i = 0; i < options.resourceWorkers(); i++) workers.submit(() -> loop(resources, this::reconcileResource));
    for (int i = 0; i < options.sandboxWorkers(); i++) workers.submit(() -> loop(sandboxes, enforcer::handle));
    source.start(store);
    timer.scheduleWithFixedDelay(this::resyncAll, resync.toMillis(), resync.toMillis(), TimeUnit.MILLISECONDS);
  }

  // ---- enqueueing

  void enqueue(ResourceKey key) { resources.add(key); }

  /** Status-only work: coalesce a burst of sandbox events into one policy pass. */
  void enqueueSoon(ResourceKey key) { resources.addAfter(key, Duration.ofMillis(200)); }

  private void desiredChanged(ResourceKey key, Manifest previous, Manifest current) {
    // A new spec may fix what failed: no need to wait out the old backoff.
    resources.forget(key);
    enqueue(key);
    Manifest m = current != null ? current : previous;
    if (m == null) return;
    if (m.resource() instanceof SandboxPolicy p) {
      enqueue(new ResourceKey("GatewayDeployment", key.namespace(), p.getSpec().gatewayRef().name()));
      sandboxes.add(new SandboxKey.Cap(key));
      // A changed policy judges every sandbox it selects afresh.
      observed.snapshot().allContainers().stream().filter(c -> p.getSpec().selector().matches(c.labels()))
          .forEach(c -> sandboxes.add(new SandboxKey.Container(c.id())));
    } else if (m.resource() instanceof EgressAllowlist) {
      store.gatewaysUsing(key).forEach(g -> enqueue(ResourceKey.of(g)));
    } else if (m.resource() instanceof GatewayDeployment g) {
      store.policyFor(key).ifPresent(p -> enqueue(ResourceKey.of(p)));
      enqueue(new ResourceKey("EgressAllowlist", key.namespace(), g.getSpec().egressProxy().allowlistRef().name()));
    }
  }

  private final class ObservedListener implements ObservedState.Listener {
    @Override
    public void containerChanged(ContainerView before, ContainerView after, DockerEvent cause) {
      ContainerView v = after != null ? after : before;
      List<SandboxPolicy> policies = store.policiesMatching(v.labels());
      if (!policies.isEmpty()) {
        if (after != null) sandboxes.add(new SandboxKey.Container(v.id()));
        for (SandboxPolicy p : policies) {
          sandboxes.add(new SandboxKey.Cap(ResourceKey.of(p)));
          enqueueSoon(ResourceKey.of(p));
        }
      }
      String owner = v.label(Labels.OWNER);
      if (owner != null && owner.startsWith("GatewayDeployment/")) {
        try {
          enqueue(ResourceKey.parse(owner));
        } catch (IllegalArgumentException ignored) {
          // a forged or broken label: not one of ours
        }
      }
      Set<String> networks = new java.util.HashSet<>(v.networks().keySet());
      if (before != null) networks.addAll(before.networks().keySet());
      for (String network : networks) gatewaysOnNetwork(network);
    }

    @Override
    public void created(DockerEvent event) {
      // The event's attributes carry the labels: a possible sandbox is judged on the list at once.
      if (!store.policiesMatching(event.attributes()).isEmpty()) sandboxes.add(new SandboxKey.Early(event.actorId()));
    }

    @Override
    public void networkChanged(NetworkView before, NetworkView after) {
      NetworkView n = after != null ? after : before;
      gatewaysOnNetwork(n.name());
    }

    @Override
    public void resynced() { resyncAll(); }
  }

  private void gatewaysOnNetwork(String network) {
    for (GatewayDeployment g : store.all(GatewayDeployment.class)) {
      var n = g.getSpec().networks();
      if (network.equals(n.internal()) || network.equals(n.egress()) || network.equals(n.ingress())) enqueue(ResourceKey.of(g));
    }
  }

  private void resyncAll() {
    store.keys().forEach(this::enqueue);
    for (SandboxPolicy p : store.all(SandboxPolicy.class)) sandboxes.add(new SandboxKey.Cap(ResourceKey.of(p)));
    observed.snapshot().allContainers().stream().filter(c -> !store.policiesMatching(c.labels()).isEmpty())
        .forEach(c -> sandboxes.add(new SandboxKey.Container(c.id())));
  }

  // ---- workers

  private <K> void loop(WorkQueue<K> queue, java.util.function.Consumer<K> work) {
    while (true) {
      K key;
      try {
        Optional<K> next = queue.take();
        if (next.isEmpty()) return;
        key = next.get();
      } catch (InterruptedException e) {
        return;
      }
      inFlight.incrementAndGet();
      try {
        if (!observed.listed()) {
          // Never plan against a host not yet listed: it would look empty.
          queue.addAfter(key, Duration.ofSeconds(1));
          continue;
        }
        work.accept(key);
        queue.forget(key);
      } catch (DockerException.Unavailable e) {
        Duration delay = queue.addRateLimited(key);
        log.warn("{}: Docker is unreachable ({}); again in {} ms", key, e.getMessage(), delay.toMillis());
      } catch (RuntimeException e) {
        Duration delay = queue.addRateLimited(key);
        log.warn("{} failed, again in {} ms: {}", key, delay.toMillis(), e.getMessage(), log.isDebugEnabled() ? e : null);
      } finally {
        queue.done(key);
        inFlight.decrementAndGet();
      }
    }
  }

  private void reconcileResource(ResourceKey key) {
    Reconciler reconciler = reconcilers.get(key.kind());
    if (reconciler == null) return;
    long started = System.nanoTime();
    String result = "error";
    try {
      Optional<Duration> again = reconciler.reconcile(key);
      result = store.entry(key).map(e -> e.valid() ? "ok" : "invalid").orElse("deleted");
      again.ifPresent(d -> resources.addAfter(key, d));
    } catch (Exception e) {
      if (e instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e);
    } finally {
      metrics.reconciled(key.kind(), result, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /**
   * Why limits cannot be held on this host, if they cannot: the kernel lacks support the daemon reports. Updates
   * of limits are then not attempted (they would never stick) and the resources say Stalled, LimitUnsupported.
   */
  Optional<String> limitsUnsupported() {
    List<String> missing = observed.unsupportedLimits();
    return missing.isEmpty() ? Optional.empty() : Optional.of("the Docker host's kernel cannot enforce " + String.join(", ", missing)
        + " limits (docker info); enable the cgroup controllers (e.g. swapaccount=1, CONFIG_CGROUP_PIDS) and restart dockerd");
  }

  /** Whether this action can have an effect here (limit updates cannot when the kernel lacks the support). */
  boolean effective(Action action) { return !(action instanceof Action.UpdateLimits) || limitsUnsupported().isEmpty(); }

  /** Carries out one action, timed, logged, counted; failures propagate (the key is retried with backoff). */
  void execute(ResourceKey owner, Action action) {
    long started = System.nanoTime();
    try {
      executor.apply(action);
      recorder.done(owner, action, (System.nanoTime() - started) / 1000);
    } catch (RuntimeException e) {
      recorder.failed(owner, action, e.getMessage());
      throw e;
    }
  }

  /** Idle pruning survives a restart: the last exec times and counts come back from the status written before. */
  PolicyState policyState(ResourceKey key) {
    return policyStates.computeIfAbsent(key, k -> {
      PolicyState state = new PolicyState();
      statuses.previous(k).filter(SandboxPolicyStatus.class::isInstance).map(SandboxPolicyStatus.class::cast).ifPresent(s -> {
        if (s.hosts() == null) return;
        s.hosts().stream().filter(h -> statuses.host().equals(h.name())).findFirst().ifPresent(h -> {
          state.seed(h.remediated() == null ? 0 : h.remediated(), h.lastActions());
          if (h.execActivity() != null) {
            h.execActivity().forEach(a -> observed.rememberExec(a.containerId(), Instant.parse(a.lastExecAt())));
          }
        });
      });
      return state;
    });
  }

  void forgetPolicy(ResourceKey key) { policyStates.remove(key); }

  /**
   * The outcome of a resource whose current spec is refused: why, and what happens meanwhile (the last valid
   * version stays in force, or nothing does when there never was one).
   */
  static Outcome refused(DesiredStore.Entry entry) {
    String reason = entry.problems().stream().anyMatch(p -> p.message().startsWith("Conflict:")) ? "Conflict" : "InvalidSpec";
    String kept = entry.inForce() == null ? "" : " (the last valid " + (entry.inForce().key().kind().equals("EgressAllowlist") ? "list" : "spec") + " stays in force)";
    return Outcome.stalled(reason, problemSummary(entry) + kept);
  }

  private static String problemSummary(DesiredStore.Entry entry) {
    List<Problem> errors = entry.problems().stream().filter(Problem::isError).toList();
    if (errors.isEmpty()) return "";
    String text = String.join("; ", errors.stream().map(p -> (p.file() == null ? "" : p.file().getFileName() + ":" + p.line() + ": ")
        + p.describe()).toList());
    return text.length() > 1000 ? text.substring(0, 1000) + "..." : text;
  }

  /** SIGTERM: stop taking work, let in-flight reconciles finish, close the stream. */
  @Override
  public void close() throws Exception {
    running = false;
    timer.shutdownNow();
    resources.shutDown(Duration.ofSeconds(30));
    sandboxes.shutDown(Duration.ofSeconds(30));
    workers.shutdownNow();
    source.close();
    observed.close();
    log.info("controller stopped ({} reconcile(s) were in flight at shutdown)", inFlight.get());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
