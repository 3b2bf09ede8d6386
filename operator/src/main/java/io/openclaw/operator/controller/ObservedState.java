package io.openclaw.operator.controller;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.docker.DockerEvent;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.docker.EventStream;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.docker.NetworkView;
import io.openclaw.operator.plan.HostCapabilities;
import io.openclaw.operator.plan.SandboxPlanner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's picture of the Docker host: filled by one list at start (and after every gap in the events
 * stream), then kept current by events. A container is inspected when an event says it changed, never on every
 * pass; refreshes go through a work queue, so a burst of events for one container costs one inspect.
 */
public final class ObservedState implements HostAccess, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ObservedState.class);

  /** Told about every change; called on refresh threads, so it must only enqueue work. */
  public interface Listener {
    void containerChanged(ContainerView before, ContainerView after, DockerEvent cause);

    default void networkChanged(NetworkView before, NetworkView after) {}

    default void execActivity(String containerId) {}

    /** A container was just created (before any inspect); called on the events thread. */
    default void created(DockerEvent event) {}

    default void resynced() {}
  }

  private final DockerApi docker;
  private final DockerEndpoint endpoint;
  private final Duration watchdog;
  private final Map<String, ContainerView> containers = new ConcurrentHashMap<>();
  private final Map<String, NetworkView> networks = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> runningExecs = new ConcurrentHashMap<>();
  private final Map<String, Long> removing = new ConcurrentHashMap<>();
  /** A removal that has not ended in a destroy event by then is looked at again like any other container. */
  private static final Duration REMOVAL_PATIENCE = Duration.ofSeconds(30);
  private final Map<String, Instant> lastExecAt = new ConcurrentHashMap<>();
  private final Map<String, Long> destroyedAt = new ConcurrentHashMap<>();
  /** When the cached inspect of each container was asked, and when the operator last updated its limits (nanoTime). */
  private final Map<String, Long> inspectedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> updatedAt = new ConcurrentHashMap<>();
  private final Set<String> updating = ConcurrentHashMap.newKeySet();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final WorkQueue<String> refreshes = new WorkQueue<>("refresh", Duration.ofMillis(100), Duration.ofSeconds(10));
  /**
   * Containers whose event labels say they may be sandboxes: refreshed by workers of their own, so a breach is
   * judged at once and never waits behind a re-list or a burst of other containers' events.
   */
  private final WorkQueue<String> urgent = new WorkQueue<>("refresh-urgent", Duration.ofMillis(50), Duration.ofSeconds(5));
  /**
   * The inspect a sandbox's create event asks for waits in the daemon until that sandbox's start, if one is in flight,
   * has finished (seconds, in a burst of starts). With two workers, twenty sandboxes created at once kept the start
   * events of the others queued behind such waits, and the cap saw them run up to seconds late (hack/bench cap-settle);
   * twelve keep up with that burst and stay within the request client's 32 connections (its other users, the workers
   * and the action pool, take about 20).
   */
  private static final int URGENT_WORKERS = 12;
  private volatile java.util.function.Predicate<Map<String, String>> urgentLabels = labels -> false;
  private final ExecutorService workers;
  private static final int INSPECT_THREADS = 4;
  private final AtomicBoolean listed = new AtomicBoolean();
  private final AtomicLong relists = new AtomicLong();
  private final int workerCount;
  private EventStream stream;

  public ObservedState(DockerApi docker, DockerEndpoint endpoint, Duration watchdog, int workers) {
    this.docker = docker;
    this.endpoint = endpoint;
    this.watchdog = watchdog;
    this.workerCount = workers;
    this.workers = Executors.newFixedThreadPool(workers + URGENT_WORKERS, r -> {
      Thread t = new Thread(r, "observe");
      t.setDaemon(true);
      return t;
    });
  }

  public void addListener(Listener listener) { listeners.add(listener); }

  /** Which containers' refreshes jump the queue, judged by the labels their events carry. */
  public void urgentWhen(java.util.function.Predicate<Map<String, String>> labels) { this.urgentLabels = labels; }

  /** Opens the events stream; the first list runs as soon as the stream is open, so no change falls between. */
  public void start() {
    for (int i = 0; i < workerCount; i++) workers.submit(() -> WorkLoop.run(refreshes, this::refresh, () -> true));
    for (int i = 0; i < URGENT_WORKERS; i++) workers.submit(() -> WorkLoop.run(urgent, this::refresh, () -> true));
    stream = new EventStream(endpoint.streamClient(), endpoint.host().toString(), this::onEvent, gap -> refreshes.add(RELIST), watchdog)
        .announcing(docker.announcer());
    stream.start();
  }

  /** Listed at least once, and the stream is open. */
  public boolean ready() { return listed.get() && stream != null && stream.connected(); }

  public boolean listed() { return listed.get(); }

  public long reconnects() { return stream == null ? 0 : stream.reconnects(); }

  public long relists() { return relists.get(); }

  public HostSnapshot snapshot() { return new HostSnapshot(Map.copyOf(containers), Map.copyOf(networks)); }

  public Optional<ContainerView> container(String id) { return Optional.ofNullable(containers.get(id)); }

  @Override
  public Optional<ContainerView> listed(String id) { return docker.listed(id); }

  /**
   * A file inside a container: what the operator wrote into it before starting it, the first time it is asked for
   * (the pass that verifies the creation), else read from the container. Each archive read makes the daemon mount the
   * container's filesystem, and it serves one container's reads one after another: the gateway's five files took
   * half a second, between a cold start's last create and Ready.
   */
  @Override
  public Optional<byte[]> readFile(String containerId, String path) {
    Map<String, byte[]> delivered = deliveredBeforeStart.get(containerId);
    byte[] known = delivered == null ? null : delivered.remove(path);
    if (known != null) return Optional.of(known);
    return docker.readFile(containerId, path);
  }

  /**
   * The operator wrote these files into a container it created, before starting it: what its processes found at
   * start. Each is handed out once by {@link #readFile}, so every later pass reads the container itself; a container
   * that dies or is destroyed first has them dropped (its process may have changed them).
   */
  public void deliveredBeforeStart(String containerId, Map<String, byte[]> files) {
    deliveredBeforeStart.put(containerId, new ConcurrentHashMap<>(files));
  }

  private final Map<String, Map<String, byte[]>> deliveredBeforeStart = new ConcurrentHashMap<>();

  public boolean execRunning(String containerId) {
    Set<String> execs = runningExecs.get(containerId);
    return execs != null && !execs.isEmpty();
  }

  public Optional<Instant> lastExecAt(String containerId) { return Optional.ofNullable(lastExecAt.get(containerId)); }

  /** Seeds exec activity remembered from before a restart (status or state file); later events win. */
  public void rememberExec(String containerId, Instant at) { lastExecAt.merge(containerId, at, (a, b) -> a.isAfter(b) ? a : b); }

  /** The exec activity the planners read: last exec per container, and those with an exec running now. */
  public SandboxPlanner.ExecActivity execActivity() {
    Set<String> running = new HashSet<>();
    runningExecs.forEach((id, execs) -> { if (!execs.isEmpty()) running.add(id); });
    return new SandboxPlanner.ExecActivity(Map.copyOf(lastExecAt), Set.copyOf(running));
  }

  /** Containers a removal by the operator is under way for. */
  public Set<String> beingRemoved() {
    long now = System.nanoTime();
    Set<String> out = new HashSet<>();
    removing.forEach((id, since) -> { if (now - since < REMOVAL_PATIENCE.toNanos()) out.add(id); });
    return out;
  }

  /** Inspects a container now and updates the picture (after the operator itself changed it). */
  public Optional<ContainerView> refreshNow(String id) {
    refreshContainer(id, null);
    return container(id);
  }

  public void refreshNetworkNow(String idOrName) { refreshNetwork(idOrName); }

  private static final String RELIST = "\u0000relist";
  private static final int PROGRESS_EVERY = 250;
  private static final String NETWORK_PREFIX = "\u0000network:";
  private static final Set<String> FIXED_NETWORK_DRIVERS = Set.of("null", "host");

  private void onEvent(DockerEvent event) {
    if (event.container()) {
      switch (event.verb()) {
        // A signal alone changes nothing judged here: if the process ends, the die that follows says so.
        case "exec_create", "exec_detach", "exec_resize", "attach", "resize", "top", "export", "commit", "copy", "archive-path",
            "extract-to-dir", "kill" -> { }
        case "exec_start" -> {
          runningExecs.computeIfAbsent(event.actorId(), k -> ConcurrentHashMap.newKeySet()).add(event.attributes().getOrDefault("execID", ""));
          lastExecAt.put(event.actorId(), Instant.ofEpochSecond(0, event.timeNano()));
          listeners.forEach(l -> l.execActivity(event.actorId()));
        }
        case "exec_die" -> {
          Set<String> execs = runningExecs.get(event.actorId());
          if (execs != null) execs.remove(event.attributes().getOrDefault("execID", ""));
          lastExecAt.put(event.actorId(), Instant.ofEpochSecond(0, event.timeNano()));
          listeners.forEach(l -> l.execActivity(event.actorId()));
        }
        case "destroy" -> forget(event.actorId(), event);
        default -> {
          if (event.verb().equals("die")) deliveredBeforeStart.remove(event.actorId());
          if (event.verb().equals("create")) listeners.forEach(l -> l.created(event));
          pendingCause.put(event.actorId(), event);
          (urgentLabels.test(event.attributes()) ? urgent : refreshes).add(event.actorId());
        }
      }
    } else if (event.network()) {
      // The none and host networks never change and no rule looks at them; a container joins them only as it starts,
      // which its own start event reports.
      if (FIXED_NETWORK_DRIVERS.contains(event.attributes().getOrDefault("type", ""))) return;
      refreshes.add(NETWORK_PREFIX + event.actorId());
      String container = event.networkContainer();
      if (container != null) {
        pendingCause.put(container, event);
        refreshes.add(container);
      }
    }
  }

  private final Map<String, DockerEvent> pendingCause = new ConcurrentHashMap<>();

  private void refresh(String key) {
    if (key.equals(RELIST)) relist();
    else if (key.startsWith(NETWORK_PREFIX)) refreshNetwork(key.substring(NETWORK_PREFIX.length()));
    // A container being removed or already destroyed (ids are never reused) is not inspected, whichever event queued it.
    else if (beingRemoved(key) || destroyedAt.containsKey(key)) pendingCause.remove(key);
    else refreshContainer(key, pendingCause.remove(key));
  }

  /**
   * Claims a container for removal by the operator; false when a removal is already under way, so two paths never
   * both remove one container. While claimed, its start/die/kill events need no inspect (each would queue on the
   * container's lock in the daemon and slow the removal); its destroy event ends the claim.
   */
  public boolean claimRemoval(String id) {
    long now = System.nanoTime();
    removing.values().removeIf(t -> now - t > REMOVAL_PATIENCE.toNanos());
    return removing.putIfAbsent(id, now) == null;
  }

  /** The removal failed: look at the container again. */
  public void removalFailed(String id) {
    removing.remove(id);
    urgent.add(id);
  }

  @Override
  public boolean claimUpdate(String id) {
    Long applied = updatedAt.get(id);
    Long seen = inspectedAt.get(id);
    // Several events of one container (create, start, update) each bring a plan; those made from an inspect older
    // than the update they would repeat are stale. The update's own event brings a fresh inspect and a new plan.
    if (applied != null && (seen == null || applied - seen > 0)) return false;
    return updating.add(id);
  }

  @Override
  public void updateEnded(String id, boolean applied) {
    if (applied) updatedAt.put(id, System.nanoTime());
    updating.remove(id);
  }

  public boolean beingRemoved(String id) {
    Long since = removing.get(id);
    return since != null && System.nanoTime() - since < REMOVAL_PATIENCE.toNanos();
  }

  private void refreshContainer(String id, DockerEvent cause) {
    long asked = System.nanoTime();
    Optional<ContainerView> now = docker.inspectContainer(id);
    if (now.isEmpty()) {
      forget(id, cause);
      return;
    }
    // Destroyed while the inspect was on its way (another worker, or the re-list's threads, handled the destroy event):
    // the answer is older than the destroy and would bring the container back into view.
    Long destroyed = destroyedAt.get(id);
    if (destroyed != null && destroyed - asked > 0) return;
    ContainerView before = containers.put(id, now.get());
    inspectedAt.put(id, asked);
    listeners.forEach(l -> l.containerChanged(before, now.get(), cause));
  }

  private void forget(String id, DockerEvent cause) {
    removing.remove(id);
    ContainerView before = containers.remove(id);
    runningExecs.remove(id);
    lastExecAt.remove(id);
    inspectedAt.remove(id);
    updatedAt.remove(id);
    deliveredBeforeStart.remove(id);
    destroyedAt.put(id, System.nanoTime());
    if (destroyedAt.size() > 10_000) destroyedAt.clear();
    if (before != null) listeners.forEach(l -> l.containerChanged(before, null, cause));
  }

  private void refreshNetwork(String idOrName) {
    Optional<NetworkView> now = docker.inspectNetwork(idOrName);
    NetworkView before;
    if (now.isEmpty()) {
      before = networks.remove(idOrName);
      if (before == null) {
        before = networks.values().stream().filter(n -> n.name().equals(idOrName)).findFirst().orElse(null);
        if (before != null) networks.remove(before.id());
      }
      NetworkView gone = before;
      if (gone != null) listeners.forEach(l -> l.networkChanged(gone, null));
      return;
    }
    before = networks.put(now.get().id(), now.get());
    NetworkView previous = before;
    listeners.forEach(l -> l.networkChanged(previous, now.get()));
  }

  private volatile HostCapabilities capabilities = HostCapabilities.FULL;

  /** What the daemon says its kernel can enforce (memory, swap, PIDs, CFS quota), read at every re-list. */
  public HostCapabilities capabilities() { return capabilities; }

  /**
   * Inspects on a few threads at once (the daemon answers inspects in parallel; one after another, a first listing of
   * 1,000 containers took seconds), and hands each answer on as it comes, as the refresh workers do.
   */
  private int inspectAll(List<String> ids, int listedCount) {
    if (ids.isEmpty()) return 0;
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(INSPECT_THREADS, ids.size()), r -> {
      Thread t = new Thread(r, "observe-list");
      t.setDaemon(true);
      return t;
    });
    AtomicLong done = new AtomicLong();
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (String id : ids) {
        futures.add(pool.submit(() -> {
          refreshContainer(id, null);
          long n = done.incrementAndGet();
          // A large host takes a while to list the first time: say how far it got.
          if (!listed.get() && n % PROGRESS_EVERY == 0) log.info("listing the host: {} of {} containers inspected", n, listedCount);
        }));
      }
      for (java.util.concurrent.Future<?> f : futures) f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing the host", e);
    } finally {
      pool.shutdownNow();
    }
    return ids.size();
  }

  /** The full re-list: new and changed containers are inspected, vanished ones forgotten. */
  private void relist() {
    long started = System.nanoTime();
    capabilities = HostCapabilities.fromInfo(docker.info());
    List<DockerApi.ContainerSummary> summaries = docker.listContainers();
    Set<String> present = new HashSet<>();
    List<String> changed = new ArrayList<>();
    for (DockerApi.ContainerSummary s : summaries) {
      present.add(s.id());
      ContainerView known = containers.get(s.id());
      if (known == null || !known.state().equals(s.state()) || !listed.get()) changed.add(s.id());
    }
    int inspected = inspectAll(changed, summaries.size());
    for (String id : Set.copyOf(containers.keySet())) {
      if (!present.contains(id)) forget(id, null);
    }
    List<NetworkView> current = docker.listNetworks();
    Set<String> networkIds = new HashSet<>();
    for (NetworkView n : current) {
      networkIds.add(n.id());
      NetworkView before = networks.put(n.id(), n);
      if (!n.equals(before)) listeners.forEach(l -> l.networkChanged(before, n));
    }
    for (String id : Set.copyOf(networks.keySet())) {
      if (!networkIds.contains(id)) {
        NetworkView gone = networks.remove(id);
        listeners.forEach(l -> l.networkChanged(gone, null));
      }
    }
    listed.set(true);
    relists.incrementAndGet();
    log.info("listed the host: {} containers ({} inspected), {} networks in {} ms", summaries.size(), inspected, current.size(),
        (System.nanoTime() - started) / 1_000_000);
    listeners.forEach(Listener::resynced);
  }

  @Override
  public void close() throws InterruptedException {
    if (stream != null) stream.close();
    refreshes.shutDown(Duration.ofSeconds(5));
    urgent.shutDown(Duration.ofSeconds(5));
    workers.shutdownNow();
  }
}
