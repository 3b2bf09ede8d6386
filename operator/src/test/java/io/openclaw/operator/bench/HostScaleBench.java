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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the operator costs on a host it has nothing to do on, and what a large host costs it. On an engine of the
 * benchmark's own, started with --debug so the daemon logs every API request it serves (the count comes from the
 * engine, not from the operator's word), the operator (the jar, with the stand-in stack Ready) is watched for a window
 * on the bare host, then with N idle containers (busybox {@code sleep infinity}, running): Docker API requests per
 * minute (by path), CPU seconds per minute and resident memory. Then the host grows to L containers (the extra ones
 * created, not started: the operator lists and inspects either alike) and the operator is started afresh: its first
 * full listing (list, inspect of every container, networks), timed by its own log line, beside the same requests made
 * bare by the benchmark on one connection, and its resident memory.
 *
 * <p>Run through {@code hack/bench host-scale [--containers 300] [--large 1000] [--minutes 2] [--resync 1m]
 * [--large-running]}.
 */
public final class HostScaleBench {
  private static final String API = "/v1.41";
  /**
   * How long the engine may take to stop at the end. It stops its running containers itself, all at once, each after
   * its stop timeout (10 s: {@code sleep} ignores SIGTERM); 300 of them took 30 s here. dockerd's default shutdown
   * timeout (15 s) would have it exit with containers still running, their shims and processes left behind.
   */
  private static final Duration ENGINE_SHUTDOWN = Duration.ofMinutes(3);
  private static final Pattern LISTED = Pattern.compile("listed the host: (\\d+) containers \\((\\d+) inspected\\), (\\d+) networks in (\\d+) ms");

  private final String run = "it-" + UUID.randomUUID().toString().substring(0, 6);
  private final TestManifests m = new TestManifests(run);
  private final Path work = Path.of("/tmp", run);
  private final Path engineDir = Path.of("/tmp", run + "-engine");
  private final AtomicInteger counter = new AtomicInteger();
  private TestEngine engine;

  record Window(double minutes, int requests, Map<String, Integer> byPath, double cpuSecondsPerMinute, double rssMiB) {
    double perMinute() { return requests / minutes; }
  }

  public static void main(String[] args) throws Exception {
    int containers = 300;
    int large = 1000;
    double minutes = 2;
    String resync = "1m";
    boolean largeRunning = false;
    Path jar = Path.of("operator/target/openclaw-docker-operator.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--containers" -> containers = Integer.parseInt(args[++i]);
        case "--large" -> large = Integer.parseInt(args[++i]);
        case "--minutes" -> minutes = Double.parseDouble(args[++i]);
        case "--resync" -> resync = args[++i];
        case "--large-running" -> largeRunning = true;
        case "--jar" -> jar = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + " (known: --containers, --large, --minutes, --resync, --large-running, --jar)");
      }
    }
    HostScaleBench bench = new HostScaleBench();
    Thread hook = new Thread(bench::cleanUp);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      bench.measure(jar.toAbsolutePath(), containers, large, minutes, resync, largeRunning);
    } finally {
      bench.cleanUp();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  private void measure(Path jar, int containers, int large, double minutes, String resync, boolean largeRunning) throws Exception {
    long resyncSeconds = io.openclaw.operator.api.Durations.parse(resync).toSeconds();
    long t = System.nanoTime();
    engine = TestEngine.start(engineDir, List.of("openclaw-standin/gateway:dev", "openclaw-standin/socket-proxy:dev", "openclaw-standin/model-proxy:dev",
        "openclaw-standin/cache:dev", DockerHost.SANDBOX_IMAGE, SmokescreenImage.reference()),
        List.of("--debug", "--shutdown-timeout", Long.toString(ENGINE_SHUTDOWN.toSeconds())));
    Path daemonLog = engineDir.resolve("dockerd.log");
    System.out.printf("== host scale (%s): engine %s (--debug: it logs each API request) up in %.1f s%n", run, engine.host, seconds(t));
    Window bare;
    Window idle;
    double resyncMillis;
    int listed;
    int inspected;
    double bareListMillis;
    double rssLarge;
    try (AdmissionBench.Engine api = new AdmissionBench.Engine(engineDir.resolve("docker.sock"))) {
      try (BenchOperator operator = BenchOperator.start(jar, m, work, engine.host, "", List.of("--resync", resync))) {
        System.out.printf("operator (pid %d, --resync %s) has its stack Ready; settling 20 s%n", operator.pid(), resync);
        Thread.sleep(20_000);
        bare = window(operator, daemonLog, minutes, "the bare host (the stack only)");
        t = System.nanoTime();
        make(containers, true);
        System.out.printf("%d idle containers running in %.1f s; settling 30 s%n", containers, seconds(t));
        Thread.sleep(30_000);
        idle = window(operator, daemonLog, minutes, containers + " idle containers");
      }
      t = System.nanoTime();
      make(large - containers, largeRunning);
      System.out.printf("%d more containers (%s) in %.1f s; the operator starts afresh%n", large - containers, largeRunning ? "running" : "created, not started",
          seconds(t));
      long logStart = Files.size(work.resolve("operator.log"));
      try (BenchOperator operator = BenchOperator.start(jar, m, work, engine.host, "", List.of("--resync", resync))) {
        String log = DaemonRequests.tail(work.resolve("operator.log"), logStart);
        Matcher listing = LISTED.matcher(log);
        if (!listing.find()) throw new IllegalStateException("no 'listed the host' line in the operator's log " + operator.log);
        listed = Integer.parseInt(listing.group(1));
        inspected = Integer.parseInt(listing.group(2));
        resyncMillis = Double.parseDouble(listing.group(4));
        Thread.sleep(30_000);
        rssLarge = operator.rssMiB();
      }
      bareListMillis = bareListing(api);
    }
    System.out.printf("%n%-34s %14s %14s%n", "steady state, window of " + minutes + " min", "bare host", containers + " idle");
    System.out.printf(Locale.ROOT, "%-34s %14.1f %14.1f%n", "Docker API requests per minute", bare.perMinute(), idle.perMinute());
    System.out.printf(Locale.ROOT, "%-34s %14.2f %14.2f%n", "CPU seconds per minute", bare.cpuSecondsPerMinute(), idle.cpuSecondsPerMinute());
    System.out.printf(Locale.ROOT, "%-34s %14.0f %14.0f%n", "resident memory (MiB)", bare.rssMiB(), idle.rssMiB());
    System.out.printf("requests by path over the window with %d idle containers (--resync %s; the daemon's debug log):%n", containers, resync);
    idle.byPath().forEach((path, n) -> System.out.printf("  %6d  %s%n", n, path));
    System.out.printf(Locale.ROOT, "%nlarge host: the operator's first full listing of %d containers (%d inspected) took %.0f ms; the same requests"
        + " made bare (one list, %d inspects, networks, one connection) %.0f ms; resident memory 30 s later %.0f MiB%n", listed, inspected,
        resyncMillis, listed, bareListMillis, rssLarge);
    BenchResult.print("steady.docker-requests", idle.perMinute(), "req/min", 60.0 / resyncSeconds, "req/min",
        "one list per resync (the floor; --resync " + resync + "); " + containers + " idle containers; bare host " + fmt(bare.perMinute()) + "/min");
    BenchResult.print("steady.cpu", idle.cpuSecondsPerMinute(), "cpu-s/min", bare.cpuSecondsPerMinute(), "cpu-s/min", "the bare host (the stack only)");
    BenchResult.print("steady.rss", idle.rssMiB(), "MiB", bare.rssMiB(), "MiB", "the bare host (the stack only)");
    BenchResult.print("scale.resync", resyncMillis, "ms", bareListMillis, "ms", "the same requests made bare; " + listed + " containers");
    BenchResult.print("scale.rss", rssLarge, "MiB", idle.rssMiB(), "MiB", containers + " idle containers");
  }

  /** The operator watched for {@code minutes}; the benchmark sends the engine nothing meanwhile. */
  private Window window(BenchOperator operator, Path daemonLog, double minutes, String what) throws Exception {
    System.out.printf("watching the operator for %.1f min: %s%n", minutes, what);
    DaemonRequests served = DaemonRequests.mark(daemonLog);
    double cpuStart = operator.cpuSeconds();
    long t = System.nanoTime();
    Thread.sleep((long) (minutes * 60_000));
    double took = (System.nanoTime() - t) / 6e10;
    double cpu = operator.cpuSeconds() - cpuStart;
    Map<String, Integer> byPath = served.byPath();
    int requests = byPath.values().stream().mapToInt(Integer::intValue).sum();
    return new Window(took, requests, byPath, cpu / took, operator.rssMiB());
  }

  /** {@code count} idle containers (busybox sleep), three at a time. */
  private void make(int count, boolean start) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> done = new ArrayList<>();
    AtomicInteger left = new AtomicInteger(count);
    for (int w = 0; w < 3; w++) {
      done.add(pool.submit(() -> {
        try (AdmissionBench.Engine api = new AdmissionBench.Engine(engineDir.resolve("docker.sock"))) {
          while (left.getAndDecrement() > 0) {
            ObjectNode body = Yaml.JSON.createObjectNode();
            body.put("Image", DockerHost.SANDBOX_IMAGE);
            body.putArray("Cmd").add("sleep").add("infinity");
            body.putObject("Labels").put(DockerHost.TEST_LABEL, run);
            body.putObject("HostConfig").put("NetworkMode", "none").putArray("CapDrop").add("ALL");
            var r = api.send("POST", API + "/containers/create?name=" + run + "-idle-" + counter.incrementAndGet(), Yaml.json(body));
            if (r.status() != 201) throw new IllegalStateException("create: " + r);
            if (start) {
              var s = api.send("POST", API + "/containers/" + Yaml.JSON.readTree(r.body()).path("Id").asString() + "/start", null);
              if (s.status() != 204) throw new IllegalStateException("start: " + s);
            }
          }
        }
        return null;
      }));
    }
    pool.shutdown();
    for (Future<?> f : done) f.get();
  }

  /** The requests of a full listing made by the benchmark itself: the floor for the operator's. */
  private static double bareListing(AdmissionBench.Engine api) throws IOException {
    long t = System.nanoTime();
    var list = api.send("GET", API + "/containers/json?all=1", null);
    for (JsonNode c : Yaml.JSON.readTree(list.body())) {
      var r = api.send("GET", API + "/containers/" + c.path("Id").asString() + "/json", null);
      if (r.status() != 200 && r.status() != 404) throw new IllegalStateException("inspect: " + r);
    }
    api.send("GET", API + "/networks", null);
    return (System.nanoTime() - t) / 1e6;
  }

  private static double seconds(long since) { return (System.nanoTime() - since) / 1e9; }

  private static String fmt(double v) { return String.format(Locale.ROOT, "%.1f", v); }

  private synchronized void cleanUp() {
    try {
      if (engine != null) {
        // The engine is the benchmark's own: stopped with its containers in it (see ENGINE_SHUTDOWN; killed if it has
        // not stopped 20 s after that) and its directory removed, rather than each of up to 1,000 containers removed
        // first (a docker rm -f of all of them once hung the engine).
        long t = System.nanoTime();
        try {
          engine.stopDaemon(ENGINE_SHUTDOWN.plusSeconds(20));
        } finally {
          engine.close(); // the daemon is down: no container is removed one by one; its mounts and directory go
          engine = null;
        }
        System.out.printf("engine stopped and removed in %.1f s%n", seconds(t));
      }
      for (Path dir : List.of(work, Path.of(m.stateDir()).getParent())) {
        if (!Files.exists(dir)) continue;
        try (Stream<Path> paths = Files.walk(dir)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (Exception e) {
      System.err.println("[host-scale] cleaning up: " + e);
    }
  }
}
