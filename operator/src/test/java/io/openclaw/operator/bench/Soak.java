package io.openclaw.operator.bench;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.SmokescreenImage;
import io.openclaw.operator.testing.TestEngine;
import io.openclaw.operator.testing.TestManifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Churn under the operator: for a given time, workers create, start and remove OpenClaw-shaped sandboxes on an engine
 * of the soak's own, a third of them breaching in ways this engine can start (network not none, an added capability,
 * the Docker socket bound, memory or PIDs over the caps). Every breach must be dealt with by the operator — the
 * isolation breaches removed, the over-cap ones lowered to the caps in place — and no conforming sandbox may be
 * touched. Meanwhile the operator process (the jar, as a user runs it) is sampled: heap after a full collection,
 * threads, open files and sockets; least-squares slopes over the samples show whether anything grows.
 *
 * <p>{@code hack/bench soak} runs it for 10 minutes; SoakIT for 2.
 */
final class Soak implements AutoCloseable {
  private static final String API = "/v1.41";
  private static final long CAP_MEMORY = 1L << 30;
  private static final int CAP_PIDS = 512;
  /** How long the operator gets to deal with a breach before it counts as missed: generous, never a timing claim. */
  private static final Duration DEALT_WITH_WITHIN = Duration.ofSeconds(60);
  /** The breaches, in turn. */
  static final List<String> BREACHES = List.of("network-bridge", "cap-add", "docker-socket", "memory-over-cap", "pids-over-cap");

  final String run = "it-" + UUID.randomUUID().toString().substring(0, 6);
  private final TestManifests m = new TestManifests(run);
  private final Path work = Path.of("/tmp", run);
  private final Path engineDir = Path.of("/tmp", run + "-engine");
  private TestEngine engine;
  private BenchOperator operator;
  /** The soak's own requests by path, told apart from the operator's in the daemon's count. */
  private final Map<String, AtomicInteger> ownRequests = new ConcurrentHashMap<>();

  record Sample(double atMinutes, double heapMiB, long threads, long files, long sockets) {}

  record Result(Duration took, int conforming, int breaching, List<String> missed, List<String> harmed, List<String> errors, List<Sample> samples,
      String actions, List<String> operatorFailures, Map<String, Integer> operatorRequests) {
    int sandboxes() { return conforming + breaching; }
  }

  /** Starts the engine (with the stand-in stack's images) and the operator, its stack Ready. */
  Soak start(Path jar) throws Exception {
    return startEngine().startOperator(jar);
  }

  Soak startEngine() throws Exception {
    long t = System.nanoTime();
    // --debug: the daemon logs each request it serves, which tells the operator's requests per sandbox.
    engine = TestEngine.start(engineDir, List.of("openclaw-standin/gateway:dev", "openclaw-standin/socket-proxy:dev", "openclaw-standin/model-proxy:dev",
        "openclaw-standin/cache:dev", DockerHost.SANDBOX_IMAGE, SmokescreenImage.reference()), List.of("--debug"));
    Files.createDirectories(Path.of(m.stateDir(), "sandboxes"));
    System.out.printf("soak %s: engine %s up in %.1f s%n", run, engine.host, (System.nanoTime() - t) / 1e9);
    return this;
  }

  Soak startOperator(Path jar) throws Exception {
    long t = System.nanoTime();
    // The cap is not what the soak is about: with the default (8) the workers' sandboxes would count against it.
    operator = BenchOperator.start(jar, m, work, engine.host, "maxConcurrent: 1000\n", List.of());
    System.out.printf("soak %s: the operator (pid %d, log %s) ready in %.1f s%n", run, operator.pid(), operator.log, (System.nanoTime() - t) / 1e9);
    return this;
  }

  /**
   * The engine's own ceiling, the soak's floor: the same sandboxes (a third of them the same breaching bodies) created,
   * started and removed by the same number of workers with no operator running. Returns sandboxes per second.
   */
  double bareChurn(Duration duration, int workers) throws Exception {
    if (operator != null) throw new IllegalStateException("the bare churn runs before the operator starts");
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    runWorkers(workers, start + duration.toNanos(), 0, (api, i) -> {
      String name = run + "-bare-" + i;
      remove(api, createAndStart(api, name, sandbox(name, i % 3 == 0 ? BREACHES.get((i / 3) % BREACHES.size()) : null)));
      done.incrementAndGet();
    }).join();
    double perSecond = done.get() / ((System.nanoTime() - start) / 1e9);
    System.out.printf(Locale.ROOT, "bare engine (no operator), %d workers: %d sandboxes in %.1f min, %.1f per second%n", workers, done.get(),
        (System.nanoTime() - start) / 6e10, perSecond);
    return perSecond;
  }

  /** Churns for {@code duration}, and on until at least {@code atLeast} sandboxes were made. */
  Result churn(Duration duration, int atLeast, int workers, Duration sampleEvery) throws Exception {
    AtomicInteger conforming = new AtomicInteger();
    AtomicInteger breaching = new AtomicInteger();
    List<String> missed = Collections.synchronizedList(new ArrayList<>());
    List<String> harmed = Collections.synchronizedList(new ArrayList<>());
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    List<Sample> samples = new ArrayList<>();
    ownRequests.clear();
    DaemonRequests served = DaemonRequests.mark(engineDir.resolve("dockerd.log"));
    long start = System.nanoTime();
    samples.add(sample(start));
    Workers running = runWorkers(workers, start + duration.toNanos(), atLeast, (api, i) -> {
      String kind = i % 3 == 0 ? BREACHES.get((i / 3) % BREACHES.size()) : null;
      try {
        if (kind == null) {
          conforming.incrementAndGet();
          String problem = conforming(api, run + "-sbx-" + i);
          if (problem != null) harmed.add(problem);
        } else {
          breaching.incrementAndGet();
          String problem = breach(api, run + "-sbx-" + i, kind);
          if (problem != null) missed.add(problem);
        }
      } catch (IOException | RuntimeException e) {
        if (errors.size() < 20) errors.add("sandbox " + i + ": " + e);
      }
    });
    long nextSample = start + sampleEvery.toNanos();
    while (!running.awaitEnd(Math.max(1, (nextSample - System.nanoTime()) / 1_000_000))) {
      if (System.nanoTime() >= nextSample) {
        Sample s = sample(start);
        samples.add(s);
        System.out.printf(Locale.ROOT, "%5.1f min: %d sandboxes (%d breaching), heap after GC %.1f MiB, %d threads, %d files, %d sockets, missed %d,"
            + " harmed %d%n", s.atMinutes(), conforming.get() + breaching.get(), breaching.get(), s.heapMiB(), s.threads(), s.files(), s.sockets(),
            missed.size(), harmed.size());
        nextSample += sampleEvery.toNanos();
      }
    }
    running.join();
    samples.add(sample(start));
    String actions = operator.scrape().lines().filter(l -> l.startsWith("openclaw_operator_actions_total")).reduce("", (a, b) -> a + "  " + b + "\n");
    // What the operator said of its failed actions (its log goes with the soak's directory).
    List<String> failures;
    try (Stream<String> lines = Files.lines(operator.log)) {
      failures = lines.filter(l -> l.contains("failed") || l.contains("WARN") || l.contains("ERROR")).limit(8).toList();
    }
    Map<String, Integer> operatorRequests = new TreeMap<>(served.byPath());
    ownRequests.forEach((path, n) -> operatorRequests.merge(path, -n.get(), Integer::sum));
    operatorRequests.values().removeIf(n -> n <= 0);
    return new Result(Duration.ofNanos(System.nanoTime() - start), conforming.get(), breaching.get(), List.copyOf(missed), List.copyOf(harmed),
        List.copyOf(errors), samples, actions, failures, operatorRequests);
  }

  /** One round of a worker: {@code i} numbers the sandbox, counting over all workers from 1. */
  private interface Round {
    void run(AdmissionBench.Engine api, int i) throws Exception;
  }

  /** Workers started by {@link #runWorkers}; the pool is shut down already, so it ends when they do. */
  private record Workers(ExecutorService pool, List<Future<?>> futures) {
    /** Waits up to {@code millis} for every worker to end; true if they have. */
    boolean awaitEnd(long millis) throws InterruptedException { return pool.awaitTermination(millis, TimeUnit.MILLISECONDS); }

    /** Waits for every worker to end; a worker's failure fails the call. */
    void join() throws Exception {
      for (Future<?> f : futures) f.get();
    }
  }

  /**
   * Starts {@code workers} workers, each with a connection of its own to the engine, each running rounds until
   * {@code until} (System.nanoTime) has passed and at least {@code atLeast} rounds have begun.
   */
  private Workers runWorkers(int workers, long until, int atLeast, Round round) {
    AtomicInteger counter = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      running.add(pool.submit(() -> {
        try (AdmissionBench.Engine api = new AdmissionBench.Engine(engineDir.resolve("docker.sock"))) {
          while (System.nanoTime() < until || counter.get() < atLeast) round.run(api, counter.incrementAndGet());
        }
        return null;
      }));
    }
    pool.shutdown();
    return new Workers(pool, running);
  }

  private Sample sample(long start) throws IOException, InterruptedException {
    long[] files = operator.files();
    double heap;
    try {
      heap = operator.heapAfterGcMiB();
    } catch (IllegalStateException e) { // a figure missing is printed as such; it fails no soak
      System.out.println("heap after GC not read: " + e.getMessage());
      heap = Double.NaN;
    }
    return new Sample((System.nanoTime() - start) / 6e10, heap, operator.threads(), files[0], files[1]);
  }

  /** A conforming sandbox lives a moment, then must still be there, running, with its limits as made; null if so. */
  private String conforming(AdmissionBench.Engine api, String name) throws IOException, InterruptedException {
    String id = createAndStart(api, name, sandbox(name, null));
    Thread.sleep(200); // the operator has seen its start by now
    JsonNode c = inspect(api, id);
    String problem = null;
    if (c == null) problem = name + " (conforming) was removed";
    else if (!c.path("State").path("Running").asBoolean()) problem = name + " (conforming) is not running: " + c.path("State");
    else if (c.path("HostConfig").path("Memory").asLong() != CAP_MEMORY) problem = name + " (conforming) had its memory changed";
    remove(api, id);
    return problem;
  }

  /** A breach must be removed (isolation) or lowered to the caps (limits) by the operator; null if it was. */
  private String breach(AdmissionBench.Engine api, String name, String kind) throws IOException, InterruptedException {
    String id = createAndStart(api, name, sandbox(name, kind));
    boolean limits = kind.endsWith("over-cap");
    long deadline = System.nanoTime() + DEALT_WITH_WITHIN.toNanos();
    while (true) {
      JsonNode c = inspect(api, id);
      if (c == null) {
        return limits ? name + " (" + kind + ") was removed; over-cap limits are lowered in place" : null;
      }
      if (limits && c.path("HostConfig").path("Memory").asLong() == CAP_MEMORY && c.path("HostConfig").path("PidsLimit").asLong() <= CAP_PIDS
          && c.path("HostConfig").path("PidsLimit").asLong() > 0) {
        remove(api, id);
        return null;
      }
      if (System.nanoTime() > deadline) {
        remove(api, id);
        return name + " (" + kind + ") still " + (limits ? "over the caps" : "there") + " after " + DEALT_WITH_WITHIN.toSeconds() + " s";
      }
      Thread.sleep(100); // the exposure time is ExposureBench's figure; here polls only load the engine
    }
  }

  private AdmissionBench.Engine.Response send(AdmissionBench.Engine api, String method, String path, String counted, String body) throws IOException {
    ownRequests.computeIfAbsent(method + " " + counted, k -> new AtomicInteger()).incrementAndGet();
    return api.send(method, API + path, body);
  }

  private String createAndStart(AdmissionBench.Engine api, String name, ObjectNode body) throws IOException {
    AdmissionBench.Engine.Response created = send(api, "POST", "/containers/create?name=" + name, "/containers/create", Yaml.json(body));
    if (created.status() != 201) throw new IllegalStateException("create " + name + ": " + created);
    String id = Yaml.JSON.readTree(created.body()).path("Id").asString();
    AdmissionBench.Engine.Response started = send(api, "POST", "/containers/" + id + "/start", "/containers/{id}/start", null);
    // 404/409: the operator removed a breach between create and start, which is fine for a breach
    if (started.status() != 204 && started.status() != 404 && started.status() != 409) throw new IllegalStateException("start " + name + ": " + started);
    return id;
  }

  private JsonNode inspect(AdmissionBench.Engine api, String id) throws IOException {
    AdmissionBench.Engine.Response r = send(api, "GET", "/containers/" + id + "/json", "/containers/{id}/json", null);
    if (r.status() == 404) return null;
    if (r.status() != 200) throw new IllegalStateException("inspect " + id + ": " + r);
    return Yaml.JSON.readTree(r.body());
  }

  private void remove(AdmissionBench.Engine api, String id) throws IOException {
    AdmissionBench.Engine.Response r = send(api, "DELETE", "/containers/" + id + "?force=1&v=1", "/containers/{id}", null);
    if (r.status() != 204 && r.status() != 404 && r.status() != 409) throw new IllegalStateException("remove " + id + ": " + r);
  }

  /** OpenClaw's sandbox (testing/Sandboxes.conforming) as the create body; {@code breach}: one way to break it, or null. */
  private ObjectNode sandbox(String name, String breach) {
    ObjectNode body = conformingSandbox(run, m.stateDir(), name, "soak");
    if (breach == null) return body;
    ObjectNode host = (ObjectNode) body.get("HostConfig");
    switch (breach) {
      case "network-bridge" -> host.put("NetworkMode", "bridge");
      case "cap-add" -> {
        ((ArrayNode) host.get("CapDrop")).removeAll();
        host.putArray("CapAdd").add("NET_ADMIN");
      }
      case "docker-socket" -> ((ArrayNode) host.get("Binds")).add("/var/run/docker.sock:/var/run/docker.sock");
      case "memory-over-cap" -> host.put("Memory", 2 * CAP_MEMORY).put("MemorySwap", 2 * CAP_MEMORY);
      case "pids-over-cap" -> host.put("PidsLimit", 8 * CAP_PIDS);
      default -> throw new IllegalArgumentException(breach);
    }
    return body;
  }

  /**
   * The create body the docker CLI sends for OpenClaw's sandbox flags (testing/Sandboxes.conforming): --init, a read-only
   * root, three tmpfs, --network none, --cap-drop ALL, the policy's caps, the workspace and skills binds, the run's label.
   */
  static ObjectNode conformingSandbox(String run, String stateDir, String name, String configHash) {
    String slug = name.substring(run.length() + 1);
    String root = stateDir + "/sandboxes";
    ObjectNode body = Yaml.JSON.createObjectNode();
    body.put("Image", DockerHost.SANDBOX_IMAGE);
    body.putArray("Cmd").add("sleep").add("infinity");
    body.put("WorkingDir", "/workspace");
    ObjectNode labels = body.putObject("Labels");
    labels.put("openclaw.sandbox", "1");
    labels.put("openclaw.sessionKey", "agent:" + slug);
    labels.put("openclaw.createdAtMs", Long.toString(System.currentTimeMillis()));
    labels.put("openclaw.mountFormatVersion", "4");
    labels.put("openclaw.createArgsEpoch", "2026-08-25-container-env-file");
    labels.put("openclaw.configHash", configHash);
    labels.put(DockerHost.TEST_LABEL, run);
    ObjectNode host = body.putObject("HostConfig");
    host.putArray("Binds").add(root + "/" + slug + ":/workspace:z").add(root + "/" + slug + "/skills:/workspace/skills:ro,z");
    host.put("Init", true).put("ReadonlyRootfs", true).put("NetworkMode", "none");
    ObjectNode tmpfs = host.putObject("Tmpfs");
    for (String dir : List.of("/tmp", "/var/tmp", "/run")) tmpfs.put(dir, "");
    host.putArray("CapDrop").add("ALL");
    host.putArray("SecurityOpt").add("no-new-privileges");
    host.put("Memory", CAP_MEMORY).put("MemorySwap", CAP_MEMORY).put("NanoCpus", 1_000_000_000L).put("PidsLimit", CAP_PIDS);
    return body;
  }

  /** Least-squares slope of y over x. */
  static double slope(List<Double> x, List<Double> y) {
    int n = x.size();
    if (n < 2) return Double.NaN;
    double mx = x.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double my = y.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x.get(i) - mx) * (y.get(i) - my);
      sxx += (x.get(i) - mx) * (x.get(i) - mx);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  /** Slopes per minute of heap (MiB), threads, open files and sockets, over the samples after the first minute's warm-up. */
  static double[] slopes(List<Sample> samples) {
    List<Sample> steady = samples.stream().filter(s -> s.atMinutes() >= 1.0).toList();
    if (steady.size() < 3) steady = samples;
    List<Double> x = steady.stream().map(Sample::atMinutes).toList();
    return new double[] {
        slope(x, steady.stream().map(Sample::heapMiB).toList()),
        slope(x, steady.stream().map(s -> (double) s.threads()).toList()),
        slope(x, steady.stream().map(s -> (double) s.files()).toList()),
        slope(x, steady.stream().map(s -> (double) s.sockets()).toList())};
  }

  static void print(Result r) {
    double[] s = slopes(r.samples());
    System.out.printf(Locale.ROOT, "%nsoak: %d sandboxes in %.1f min (%.1f per second), %d breaching (%s in turn)%n", r.sandboxes(),
        r.took().toMillis() / 60000.0, r.sandboxes() / (r.took().toMillis() / 1000.0), r.breaching(), String.join(", ", BREACHES));
    System.out.printf("missed (a breach the operator did not deal with): %d%s%n", r.missed().size(), list(r.missed()));
    System.out.printf("harmed (a conforming sandbox touched): %d%s%n", r.harmed().size(), list(r.harmed()));
    System.out.printf("errors of the churn itself: %d%s%n", r.errors().size(), list(r.errors()));
    System.out.printf("operator's actions:%n%s", r.actions());
    System.out.printf("the operator's log on failures and warnings (the first few):%s%n", list(r.operatorFailures()));
    int operatorRequests = r.operatorRequests().values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(Locale.ROOT, "the operator's Docker requests (the daemon's count less the soak's own): %d, %.2f per sandbox%n", operatorRequests,
        operatorRequests / (double) Math.max(1, r.sandboxes()));
    r.operatorRequests().forEach((path, n) -> System.out.printf(Locale.ROOT, "  %7d  %.2f per sandbox  %s%n", n, n / (double) Math.max(1, r.sandboxes()), path));
    Sample first = r.samples().get(0);
    Sample last = r.samples().get(r.samples().size() - 1);
    System.out.printf(Locale.ROOT, "%-22s %10s %10s %14s%n", "operator process", "first", "last", "slope per min");
    System.out.printf(Locale.ROOT, "%-22s %10.1f %10.1f %+14.3f%n", "heap after GC (MiB)", first.heapMiB(), last.heapMiB(), s[0]);
    System.out.printf(Locale.ROOT, "%-22s %10d %10d %+14.3f%n", "threads", first.threads(), last.threads(), s[1]);
    System.out.printf(Locale.ROOT, "%-22s %10d %10d %+14.3f%n", "open files", first.files(), last.files(), s[2]);
    System.out.printf(Locale.ROOT, "%-22s %10d %10d %+14.3f%n", "of them sockets", first.sockets(), last.sockets(), s[3]);
    System.out.println("(slopes: least squares over the samples after the first minute)");
  }

  private static String list(List<String> items) {
    return items.isEmpty() ? "" : items.stream().limit(10).reduce("", (a, b) -> a + "\n  " + b);
  }

  @Override
  public void close() throws Exception {
    try {
      if (operator != null) operator.close();
    } finally {
      try {
        if (engine != null) engine.close();
      } finally {
        for (Path dir : List.of(work, Path.of(m.stateDir()).getParent())) {
          if (!Files.exists(dir)) continue;
          try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
    }
  }
}
