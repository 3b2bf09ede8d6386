package io.openclaw.operator.controller;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentStatus;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEvent;
import io.openclaw.operator.docker.NetworkView;
import io.openclaw.operator.host.Ownership;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.source.DesiredSource;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.status.StatusAssembler;
import io.micrometer.core.instrument.FunctionCounter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring and routing: desired state from a source and observed state from the Docker events stream become keys on
 * two work queues — resources (one reconcile per key at a time) and containers (the fast path, one container judged
 * the moment it changes) — served by {@link WorkLoop}s, with a periodic resync as the backstop. Reconcilers get a
 * {@link Context}, never this class.
 */
public final class Controller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Controller.class);
  /** The host-level key: the baseline over every container, and the orphans. */
  static final ResourceKey BASELINE = new ResourceKey("HostBaseline", "", "host");

  /**
   * Settings of one operator instance.
   *
   * @param hostRoot where the Docker host's filesystem is seen, or null when it is out of sight (a remote daemon)
   * @param removeOrphans remove containers of resources no longer declared (Kubernetes mode, {@code run --prune})
   * @param version the build's version, for the build_info metric
   * @param hostCheck how often, and where, the host checks of spec.hostHardening run; null runs none
   */
  public record Options(String hostName, Map<String, String> hostLabels, Duration resync, int resourceWorkers, int containerWorkers, Clock clock,
      Path stateDir, Path hostRoot, boolean removeOrphans, String version, Duration stallAfter, HostCheck hostCheck) {
    /** How long a missing referenced input is retried as Reconciling before the resource is reported Stalled, by default. */
    public static final Duration STALL_AFTER = Duration.ofMinutes(2);

    /** The defaults: inputs stall after {@link #STALL_AFTER}, no host checks. */
    public Options(String hostName, Map<String, String> hostLabels, Duration resync, int resourceWorkers, int containerWorkers, Clock clock,
        Path stateDir, Path hostRoot, boolean removeOrphans, String version) {
      this(hostName, hostLabels, resync, resourceWorkers, containerWorkers, clock, stateDir, hostRoot, removeOrphans, version, STALL_AFTER, null);
    }

    /** The host's labels, with its name under {@link io.openclaw.operator.api.HostScoped#HOST_NAME_LABEL}. */
    public Map<String, String> labels() {
      Map<String, String> all = new java.util.HashMap<>(hostLabels);
      all.put(io.openclaw.operator.api.HostScoped.HOST_NAME_LABEL, hostName);
      return all;
    }
  }

  /**
   * The host checks of spec.hostHardening: every {@code interval}, on the host's files under {@code root} (null: out of
   * sight), where the operator runs on the host itself its live commands, and with {@code askDaemon} the daemon's own
   * report of its settings (which wins over daemon.json: it is what runs).
   */
  public record HostCheck(Duration interval, Path root, io.openclaw.operator.audit.HostHardening.Live live, boolean askDaemon) {
    /** The live commands answer only when the host's root is this machine's own "/". */
    public static HostCheck of(Path hostRoot, Duration interval) {
      boolean onHost = hostRoot != null && hostRoot.toAbsolutePath().normalize().equals(Path.of("/"));
      return new HostCheck(interval, hostRoot, onHost ? io.openclaw.operator.audit.HostHardening.Live.HOST : io.openclaw.operator.audit.HostHardening.Live.NONE,
          true);
    }
  }

  private final DesiredStore store;
  private final DesiredSource source;
  private final HostHardeningMonitor hostHardening;
  private final ObservedState observed;
  private final Metrics metrics;
  private final Recorder recorder;
  private final Context context;
  private final Ownership ownership;
  private final StatusAssembler statuses;
  private final WorkQueue<ResourceKey> resources = new WorkQueue<>("resources", Duration.ofMillis(500), Duration.ofMinutes(5));
  private final WorkQueue<ContainerKey> containers = new WorkQueue<>("containers", Duration.ofMillis(100), Duration.ofSeconds(30));
  private final Map<String, Reconciler> reconcilers;
  private final SandboxWork sandboxWork;
  private final Options options;
  private final ExecutorService workers;
  /**
   * Carries out the independent actions of one stage at once (a cold start's components, the sandboxes above the
   * cap): a few at a time, the daemon serialises much of its work anyway and the request client has 32 connections.
   */
  private static final int ACTION_THREADS = 8;
  private final ExecutorService actionPool = Executors.newFixedThreadPool(ACTION_THREADS, r -> daemon(r, "action"));
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "resync"));
  private volatile boolean running;

  public Controller(DesiredSource source, DockerApi docker, ObservedState observed, Metrics metrics, Options options) {
    this.source = source;
    this.observed = observed;
    this.options = options;
    this.metrics = metrics;
    this.store = new DesiredStore(options.labels());
    this.recorder = new Recorder(metrics);
    this.ownership = Ownership.open(options.stateDir());
    PathCanon canon = PathCanon.of(java.util.Optional.ofNullable(options.hostRoot()));
    log.info("bind sources: {}", canon);
    Path hostRoot = options.hostRoot() == null ? Path.of("/") : options.hostRoot();
    StatusAssembler statuses = new StatusAssembler(source.statusWriter(), options.hostName(), options.clock());
    statuses.transitions(recorder::transition);
    this.statuses = statuses;
    this.context = new Context(store, source, observed, new Executor(docker, ownership, hostRoot, observed::deliveredBeforeStart), recorder, ownership, statuses, canon,
        hostRoot, options.removeOrphans(), options.clock(), options.resync(), options.stallAfter(), resources::add,
        key -> resources.addAfter(key, Duration.ofMillis(200)), actionPool);
    this.reconcilers = Map.of("GatewayDeployment", new GatewayReconciler(context), "SandboxPolicy", new PolicyReconciler(context),
        "EgressAllowlist", new AllowlistReconciler(context), BASELINE.kind(), new BaselineReconciler(context));
    this.sandboxWork = new SandboxWork(context);
    HostCheck hostCheck = options.hostCheck();
    this.hostHardening = hostCheck == null ? null
        : new HostHardeningMonitor(store, source, hostCheck.askDaemon() ? docker : null, hostCheck.root(), hostCheck.live(), metrics, resources::add);
    context.hostHardening = hostHardening;
    this.workers = Executors.newFixedThreadPool(options.resourceWorkers() + options.containerWorkers(), r -> daemon(r, "worker"));
    metrics.gauge("openclaw_operator_queue_depth", "Keys waiting in a work queue", "queue", "resources", resources::depth);
    metrics.gauge("openclaw_operator_queue_depth", "Keys waiting in a work queue", "queue", "containers", containers::depth);
    FunctionCounter.builder("openclaw_operator_events_stream_reconnects", observed, ObservedState::reconnects)
        .description("Times the Docker events stream was reopened").register(metrics.registry);
    FunctionCounter.builder("openclaw_operator_host_relists", observed, ObservedState::relists)
        .description("Full re-lists of the Docker host").register(metrics.registry);
  }

  public Recorder recorder() { return recorder; }

  /** The host now, as the reconcilers see it: what the authorization plugin judges requests against. */
  public io.openclaw.operator.host.HostView view() { return context.view(); }

  /** Where the authorization plugin's decisions are recorded, and the containers it saw an administrator create. */
  public io.openclaw.operator.admission.Admission.Record admission(java.util.function.Supplier<io.openclaw.operator.host.Admitted> facts) {
    context.admissionFacts(facts);
    return context::admitted;
  }

  public DesiredStore store() { return store; }

  /** Listed the host, loaded the desired state: reconciles see the world. */
  public boolean ready() { return running && observed.ready() && store.synced(); }

  public void start() throws Exception {
    running = true;
    store.addListener(this::desiredChanged);
    store.addInputListener(this::inputChanged);
    source.statusWriter().onChange(this::statusChanged);
    observed.addListener(new Routing());
    observed.urgentWhen(labels -> !store.policiesMatching(labels).isEmpty());
    source.start(store);
    // Before any worker acts: a component of ours not yet known as ours would look foreign (a name conflict, or the
    // baseline's business) — after a restart with a lost state directory, or a host brought back mid-deletion.
    seedOwnershipFromStatus();
    if (options.removeOrphans()) tearDownWhatIsNoLongerDeclared();
    ownershipSeeded = true;
    if (observed.listed()) forgetVanished();
    // The first pass begins with the gateways: they create what the other kinds judge and report on (and a cold
    // start's Ready waits for them), while the other kinds' passes are quick.
    resources.takeFirst(key -> key.kind().equals("GatewayDeployment"));
    for (int i = 0; i < options.resourceWorkers(); i++) workers.submit(() -> WorkLoop.run(resources, this::reconcile, observed::listed));
    for (int i = 0; i < options.containerWorkers(); i++) workers.submit(() -> WorkLoop.run(containers, sandboxWork::handle, observed::listed));
    long every = options.resync().toMillis();
    timer.scheduleWithFixedDelay(this::resyncAll, every, every, TimeUnit.MILLISECONDS);
    if (hostHardening != null) {
      long interval = options.hostCheck().interval().toMillis();
      timer.scheduleWithFixedDelay(this::checkHost, 0, interval, TimeUnit.MILLISECONDS);
    }
  }

  /** On the timer thread: a failing round is logged and the next one comes. */
  private void checkHost() {
    try {
      hostHardening.checkAll();
    } catch (RuntimeException e) {
      log.warn("host checks failed: {}", e.getMessage());
    }
  }

  /**
   * The plugin alone ({@code admission --kubernetes}): the desired state and the host are followed, and the containers
   * this host's status entries name are the operator's own; nothing is reconciled, acted on or written.
   */
  public void startObserving() throws Exception {
    running = true;
    source.statusWriter().onChange(key -> seedOwnershipFromStatus());
    source.start(store);
    seedOwnershipFromStatus();
  }

  private void reconcile(ResourceKey key) throws Exception {
    Reconciler reconciler = reconcilers.get(key.kind());
    if (reconciler == null) return;
    long started = System.nanoTime();
    String result = "error";
    try {
      Optional<Duration> again = reconciler.reconcile(key);
      result = key.equals(BASELINE) ? "ok" : store.entry(key).map(e -> e.valid() ? "ok" : "invalid").orElse("deleted");
      again.ifPresent(d -> resources.addAfter(key, d));
    } finally {
      metrics.reconciled(key.kind(), result, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  private volatile boolean ownershipSeeded;

  /**
   * Once the host has been listed and ownership seeded from status (in whichever order they happen): what an earlier run
   * recorded and the host no longer has is forgotten (a container removed while no operator ran, a create that never
   * happened), so ownership.json names only containers there are. Only the first call does anything.
   */
  private void forgetVanished() { ownership.forgetVanished(observed.snapshot().allContainers()); }

  /** The component ids this host's status entries name: the containers it created, as recorded in the cluster (or state). */
  private void seedOwnershipFromStatus() {
    int seeded = 0;
    for (ResourceKey key : store.keys()) {
      if (!key.kind().equals("GatewayDeployment")) continue;
      var status = statuses.previous(key).filter(GatewayDeploymentStatus.class::isInstance).map(GatewayDeploymentStatus.class::cast);
      var own = status.flatMap(s -> s.hosts() == null ? Optional.empty()
          : s.hosts().stream().filter(h -> options.hostName().equals(h.name())).findFirst());
      if (own.isEmpty() || own.get().components() == null) continue;
      List<String> ids = own.get().components().stream().map(GatewayDeploymentStatus.Component::containerId).filter(java.util.Objects::nonNull)
          .filter(id -> !ownership.all().containsKey(id)).toList();
      if (ids.isEmpty()) continue;
      ownership.seed(key, ids);
      seeded += ids.size();
    }
    if (seeded > 0) log.info("recorded {} container(s) as this operator's own from this host's status entries", seeded);
  }

  /**
   * Kubernetes mode (and {@code run --prune}): containers this operator made for a GatewayDeployment that went away
   * altogether, or stopped selecting this host, while the operator was not running. Torn down as if the deletion had
   * just been seen, networks included, rather than left to the baseline's orphan removal, which knows containers only.
   * Without --prune in directory mode they stay orphans: reported (DESIGN.md §5 "Ownership").
   */
  private void tearDownWhatIsNoLongerDeclared() {
    java.util.Set<ResourceKey> gone = new java.util.TreeSet<>();
    for (ResourceKey owner : ownership.all().values()) {
      if (owner.kind().equals("GatewayDeployment") && store.entry(owner).isEmpty()) gone.add(owner);
    }
    if (gone.isEmpty()) return;
    log.info("{} no longer declared for this host, but containers of theirs are recorded here: tearing them down", gone);
    store.batch(batch -> gone.forEach(owner -> {
      batch.put(owner, null, 0, List.of());
      batch.delete(owner);
    }));
  }

  /** A Secret or secret file a resource reads changed: it is reconciled now, its new value delivered. */
  private void inputChanged(ResourceKey key) {
    resources.forget(key);
    resources.add(key);
  }

  /** Another host wrote a status: if the summary no longer matches the hosts' entries, this host writes it afresh. */
  private void statusChanged(ResourceKey key) {
    store.entry(key).filter(e -> !e.deleting()).filter(e -> statuses.summaryStale(key, e.generation())).ifPresent(e -> resources.add(key));
  }

  // ---- routing: what a change means for whom

  private void desiredChanged(ResourceKey key, Manifest previous, Manifest current) {
    // A new spec may fix what failed: no need to wait out the old backoff.
    resources.forget(key);
    resources.add(key);
    resources.add(BASELINE);
    Manifest m = current != null ? current : previous;
    if (m == null) return;
    if (m.resource() instanceof SandboxPolicy p) {
      resources.add(new ResourceKey("GatewayDeployment", key.namespace(), p.getSpec().gatewayRef().name()));
      // A changed policy judges every sandbox it selects afresh.
      observed.snapshot().allContainers().stream().filter(c -> p.getSpec().selector().matches(c.labels()))
          .forEach(c -> containers.add(new ContainerKey(c.id(), false)));
    } else if (m.resource() instanceof EgressAllowlist) {
      store.gatewaysUsing(key).forEach(g -> resources.add(ResourceKey.of(g)));
    } else if (m.resource() instanceof GatewayDeployment g) {
      store.policyFor(key).ifPresent(p -> resources.add(ResourceKey.of(p)));
      // A new spec.hostHardening is judged now, not at the next round.
      if (hostHardening != null && running) timer.execute(this::checkHost);
      resources.add(new ResourceKey("EgressAllowlist", key.namespace(), g.getSpec().egressProxy().allowlistRef().name()));
    }
  }

  /** One change of the host becomes one key for whoever is concerned: the component's owner, or the container itself. */
  private final class Routing implements ObservedState.Listener {
    @Override
    public void containerChanged(ContainerView before, ContainerView after, DockerEvent cause) {
      ContainerView v = after != null ? after : before;
      ResourceKey owner = ownership.all().get(v.id());
      if (owner != null) {
        if (after == null) ownership.forget(v.id());
        resources.add(owner);
      } else if (after != null) {
        containers.add(new ContainerKey(v.id(), false));
      }
      // The policy's status counts its sandboxes: one coalesced pass for a burst of events.
      store.governingPolicy(v.labels()).ifPresent(p -> resources.addAfter(ResourceKey.of(p), Duration.ofMillis(200)));
      Set<String> networks = new HashSet<>(v.networks().keySet());
      if (before != null) networks.addAll(before.networks().keySet());
      networks.forEach(Controller.this::gatewaysOnNetwork);
    }

    @Override
    public void created(DockerEvent event) {
      // The event's attributes carry the labels: judged on the list at once, before the start can complete.
      containers.add(new ContainerKey(event.actorId(), true));
    }

    @Override
    public void networkChanged(NetworkView before, NetworkView after) {
      gatewaysOnNetwork((after != null ? after : before).name());
    }

    @Override
    public void resynced() {
      if (ownershipSeeded) forgetVanished();
      // A re-list follows a gap in the events stream (the daemon away, a silent stream): what failed during the gap is
      // looked at now, not after the backoff its failures built up (minutes, after a dockerd restart).
      resources.forgetAllFailures();
      containers.forgetAllFailures();
      resyncAll();
    }
  }

  private void gatewaysOnNetwork(String network) {
    for (GatewayDeployment g : store.all(GatewayDeployment.class)) {
      var n = g.getSpec().networks();
      if (network.equals(n.internal()) || network.equals(n.egress()) || network.equals(n.ingress())) resources.add(ResourceKey.of(g));
    }
  }

  /** The backstop: every resource, and the host baseline, looked at again. */
  private void resyncAll() {
    store.keys().forEach(resources::add);
    resources.add(BASELINE);
  }

  /** SIGTERM: stop taking work, let in-flight reconciles finish, close the stream. */
  @Override
  public void close() throws Exception {
    running = false;
    timer.shutdownNow();
    resources.shutDown(Duration.ofSeconds(30));
    containers.shutDown(Duration.ofSeconds(30));
    workers.shutdownNow();
    actionPool.shutdownNow();
    source.close();
    observed.close();
    log.info("controller stopped");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
