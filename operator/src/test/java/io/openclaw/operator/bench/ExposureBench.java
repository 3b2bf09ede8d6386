package io.openclaw.operator.bench;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.docker.DockerEvent;
import io.openclaw.operator.docker.EventStream;
import io.openclaw.operator.testing.JarLaunch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * How long a non-conforming sandbox lives: from the call that started it returning, to its process being dead (the
 * daemon's die event) and to the container being gone (destroy). Arms, each in its own phase so they never race:
 * the floor (the benchmark kills and removes it itself the instant the call returns), the operator, the naive
 * watcher a user would write (docker events piped into docker rm -f), and the operator against OpenClaw-style
 * create-then-start clients. The host carries 8 conforming sandboxes running and 300 unrelated containers.
 *
 * <p>Run through hack/bench. Arguments: --breaches N (default 200), --runs R (default 1), --jar PATH, --gap-ms G.
 */
public final class ExposureBench {
  private static final String IMAGE = "openclaw-standin/sandbox:dev";
  private final String id = "bench-" + UUID.randomUUID().toString().substring(0, 6);
  private final DockerApi docker = DockerApi.connect(DockerEndpoint.fromEnvironment());
  private final Map<String, Long> dieAt = new ConcurrentHashMap<>();
  private final Map<String, Long> destroyAt = new ConcurrentHashMap<>();
  private final int breaches;
  private final int gapMillis;
  private final Path jar;

  private ExposureBench(int breaches, int gapMillis, Path jar) {
    this.breaches = breaches;
    this.gapMillis = gapMillis;
    this.jar = jar;
  }

  record Arm(String name, List<Double> die, List<Double> gone, int neverStarted, int attempts) {
    double p(List<Double> values, double q) {
      if (values.isEmpty()) return Double.NaN;
      List<Double> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
  }

  public static void main(String[] args) throws Exception {
    int breaches = 200;
    int runs = 1;
    int gap = 30;
    Path jar = Path.of("operator/target/openclaw-docker-operator.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--breaches" -> breaches = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--gap-ms" -> gap = Integer.parseInt(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    List<List<Arm>> all = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      ExposureBench bench = new ExposureBench(breaches, gap, jar);
      System.out.printf("%n== run %d of %d (%s): %d breaches per arm, create-to-start gap %d ms%n", r, runs, bench.id, breaches, gap);
      all.add(bench.runOnce());
      print(all.get(all.size() - 1));
    }
    if (runs > 1) printMedians(all);
    printResults(all);
  }

  /** hack/bench's table: the operator's p99 (docker run arm) beside the floor's, medians over the runs. */
  private static void printResults(List<List<Arm>> runs) {
    List<Double> die = new ArrayList<>();
    List<Double> dieFloor = new ArrayList<>();
    List<Double> gone = new ArrayList<>();
    List<Double> goneFloor = new ArrayList<>();
    for (List<Arm> run : runs) {
      Arm floor = run.get(0);
      Arm operator = run.stream().filter(a -> a.name().equals("operator (docker run)")).findFirst().orElseThrow();
      die.add(operator.p(operator.die(), 0.99));
      dieFloor.add(floor.p(floor.die(), 0.99));
      gone.add(operator.p(operator.gone(), 0.99));
      goneFloor.add(floor.p(floor.gone(), 0.99));
    }
    BenchResult.print("exposure.die-p99", median(die), "ms", median(dieFloor), "ms", "the bare kill (the client kills it itself)");
    BenchResult.print("exposure.gone-p99", median(gone), "ms", median(goneFloor), "ms", "the bare kill + rm");
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private List<Arm> runOnce() throws Exception {
    EventStream events = new EventStream(DockerEndpoint.fromEnvironment().streamClient(), this::onEvent, gap -> { }, Duration.ofMinutes(10));
    List<Arm> arms = new ArrayList<>();
    Path manifests = Files.createTempDirectory(id);
    try {
      events.start();
      setUpHost();
      arms.add(phase("floor: kill + rm by the client", false, true));
      try (NaiveWatcher naive = NaiveWatcher.start(id)) {
        arms.add(phase("naive watcher (events | rm -f)", false, false));
      }
      try (OperatorProcess operator = OperatorProcess.start(jar, manifests, id)) {
        arms.add(phase("operator (docker run)", false, false));
        arms.add(phase("operator (create, " + gapMillis + " ms, start)", true, false));
      }
      try (NaiveWatcher naive = NaiveWatcher.start(id)) {
        arms.add(phase("naive watcher (create, " + gapMillis + " ms, start)", true, false));
      }
    } finally {
      events.close();
      cleanUp();
    }
    return arms;
  }

  private void onEvent(DockerEvent e) {
    if (!e.container()) return;
    if (e.verb().equals("die")) dieAt.putIfAbsent(e.actorId(), e.timeNano());
    if (e.verb().equals("destroy")) destroyAt.putIfAbsent(e.actorId(), e.timeNano());
  }

  /** 300 unrelated containers (created, not started) and 8 conforming sandboxes running. */
  private void setUpHost() {
    long t = System.nanoTime();
    for (int i = 0; i < 300; i++) docker.createContainer(id + "-unrelated-" + i, body(false, false));
    for (int i = 0; i < 8; i++) {
      String c = docker.createContainer(id + "-ok-" + i, body(true, false));
      docker.start(c);
    }
    System.out.printf("host: 300 unrelated containers and 8 conforming sandboxes in %d ms%n", (System.nanoTime() - t) / 1_000_000);
  }

  /**
   * One arm: {@code breaches} non-conforming sandboxes one after another (each gone before the next), timed from
   * the start call returning.
   */
  private Arm phase(String name, boolean createThenStart, boolean clientKills) throws Exception {
    List<Double> die = new ArrayList<>();
    List<Double> gone = new ArrayList<>();
    int neverStarted = 0;
    for (int i = 0; i < breaches; i++) {
      String container = docker.createContainer(id + "-breach-" + UUID.randomUUID().toString().substring(0, 8), body(true, true));
      if (createThenStart) Thread.sleep(gapMillis);
      long returned;
      try {
        docker.start(container);
        returned = nowNanos();
      } catch (RuntimeException e) {
        neverStarted++;
        awaitGone(container);
        continue;
      }
      if (clientKills) {
        docker.kill(container);
        docker.remove(container, true);
      }
      awaitGone(container);
      Long died = dieAt.get(container);
      Long destroyed = destroyAt.get(container);
      if (died == null) {
        neverStarted++; // removed before its process ever ran
        continue;
      }
      die.add(Math.max(0, (died - returned) / 1e6));
      gone.add(Math.max(0, (destroyed - returned) / 1e6));
    }
    return new Arm(name, die, gone, neverStarted, breaches);
  }

  private void awaitGone(String container) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!destroyAt.containsKey(container)) {
      if (System.nanoTime() > deadline) throw new IllegalStateException(container + " was not removed within 30 s: is the arm working?");
      Thread.sleep(1);
    }
  }

  /** A sandbox as OpenClaw makes it; a breach also mounts the Docker socket. */
  private ObjectNode body(boolean sandbox, boolean breach) {
    ObjectNode body = Yaml.JSON.createObjectNode();
    body.put("Image", IMAGE);
    body.putArray("Cmd").add("sleep").add("infinity");
    ObjectNode labels = body.putObject("Labels");
    labels.put(id, "1");
    if (sandbox) labels.put("openclaw.sandbox", "1");
    ObjectNode host = body.putObject("HostConfig");
    host.put("Init", true).put("ReadonlyRootfs", true).put("NetworkMode", "none");
    host.putArray("CapDrop").add("ALL");
    host.putArray("SecurityOpt").add("no-new-privileges");
    host.put("Memory", 1L << 30).put("MemorySwap", 1L << 30).put("NanoCpus", 1_000_000_000L).put("PidsLimit", 512);
    if (breach) host.putArray("Binds").add("/var/run/docker.sock:/var/run/docker.sock");
    return body;
  }

  private void cleanUp() { removeRun(docker, id); }

  /** Removes every container labelled with or named after {@code id}, and every network named after it. */
  static void removeRun(DockerApi docker, String id) {
    for (DockerApi.ContainerSummary s : docker.listContainers()) {
      docker.inspectContainer(s.id()).filter(c -> c.labels().containsKey(id) || c.name().startsWith(id)).ifPresent(c -> docker.remove(c.id(), true));
    }
    for (var n : docker.listNetworks()) {
      if (n.name().startsWith(id)) {
        n.containers().keySet().forEach(c -> docker.disconnect(n.id(), c));
        docker.removeNetwork(n.id());
      }
    }
  }

  /** Wall-clock nanoseconds, comparable with the daemon's event times. */
  static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static void print(List<Arm> arms) {
    Arm floor = arms.get(0);
    System.out.printf("%n%-40s %6s %14s %9s %9s %9s %9s %12s %12s%n", "arm", "ran", "never started", "die p50", "die p99", "gone p50",
        "gone p99", "die p99/flr", "gone p99/flr");
    for (Arm a : arms) {
      System.out.printf(Locale.ROOT, "%-40s %6d %8d (%3.0f%%) %9s %9s %9s %9s %12s %12s%n", a.name(), a.die().size(),
          a.neverStarted(), 100.0 * a.neverStarted() / a.attempts(), shown(a.p(a.die(), 0.5), "%.1fms"), shown(a.p(a.die(), 0.99), "%.1fms"),
          shown(a.p(a.gone(), 0.5), "%.1fms"), shown(a.p(a.gone(), 0.99), "%.1fms"),
          shown(a.p(a.die(), 0.99) / floor.p(floor.die(), 0.99), "%.2fx"), shown(a.p(a.gone(), 0.99) / floor.p(floor.gone(), 0.99), "%.2fx"));
    }
  }

  private static void printMedians(List<List<Arm>> runs) {
    System.out.printf("%n== medians over %d runs of the p99 ratio to the floor%n", runs.size());
    for (int i = 0; i < runs.get(0).size(); i++) {
      List<Double> die = new ArrayList<>();
      List<Double> gone = new ArrayList<>();
      List<Double> never = new ArrayList<>();
      String name = runs.get(0).get(i).name();
      for (List<Arm> run : runs) {
        Arm floor = run.get(0);
        Arm a = run.get(i);
        die.add(a.p(a.die(), 0.99) / floor.p(floor.die(), 0.99));
        gone.add(a.p(a.gone(), 0.99) / floor.p(floor.gone(), 0.99));
        never.add(100.0 * a.neverStarted() / a.attempts());
      }
      Collections.sort(die);
      Collections.sort(gone);
      Collections.sort(never);
      System.out.printf(Locale.ROOT, "%-40s die p99/floor %6s   gone p99/floor %6s   never started %5.1f%%%n", name,
          shown(die.get(die.size() / 2), "%.2fx"), shown(gone.get(gone.size() / 2), "%.2fx"), never.get(never.size() / 2));
    }
  }

  /** An arm whose breaches all were removed before they ran has no latency: shown as "-", not NaN. */
  private static String shown(double value, String format) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
  }

  /** `docker events` piped into `docker rm -f`: what a user would write without an operator. */
  static final class NaiveWatcher implements AutoCloseable {
    private final Process process;

    private NaiveWatcher(Process process) {
      this.process = process;
    }

    static NaiveWatcher start(String label) throws Exception {
      String script = "docker events --filter type=container --filter event=start --filter label=" + label
          + " --format '{{.ID}}' | while read -r id; do docker rm -f \"$id\" >/dev/null 2>&1; done";
      Process p = new ProcessBuilder("setsid", "bash", "-c", script).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      Thread.sleep(1000); // let `docker events` connect
      return new NaiveWatcher(p);
    }

    @Override
    public void close() throws Exception {
      // The pipeline runs in its own session: end the whole process group.
      new ProcessBuilder("kill", "--", "-" + process.pid()).start().waitFor();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** The operator's jar running `run` on a manifest directory whose SandboxPolicy selects this benchmark's sandboxes. */
  static final class OperatorProcess implements AutoCloseable {
    private final Process process;

    private OperatorProcess(Process process) {
      this.process = process;
    }

    static OperatorProcess start(Path jar, Path manifests, String id) throws Exception {
      Files.writeString(manifests.resolve("bench.yaml"), """
          apiVersion: hardening.openclaw.io/v1alpha1
          kind: EgressAllowlist
          metadata: {name: %1$s}
          spec: {domains: ["*.openai.com"]}
          ---
          apiVersion: hardening.openclaw.io/v1alpha1
          kind: GatewayDeployment
          metadata: {name: %1$s}
          spec:
            networks: {internal: %1$s-int, egress: %1$s-egr}
            gateway: {image: openclaw-standin/gateway:dev, stateDir: /tmp/%1$s/state}
            socketProxy: {image: openclaw-standin/socket-proxy:dev}
            egressProxy: {image: openclaw-standin/egress-proxy:dev, allowlistRef: {name: %1$s}}
          ---
          apiVersion: hardening.openclaw.io/v1alpha1
          kind: SandboxPolicy
          metadata: {name: %1$s}
          spec:
            gatewayRef: {name: %1$s}
            selector: {matchLabels: {openclaw.sandbox: "1", %1$s: "1"}}
          """.formatted(id));
      Path log = Files.createTempFile(id, ".log");
      Path state = Files.createTempDirectory(id + "-state");
      int port = freePort();
      List<String> command = new ArrayList<>(JarLaunch.command(jar));
      command.addAll(List.of("run", manifests.toString(), "--state-dir", state.toString(), "--http-address", "127.0.0.1:" + port));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString());
          Path policyStatus = state.resolve("status/SandboxPolicy/default/" + id + ".yaml");
          if (r.statusCode() == 200 && Files.exists(policyStatus) && Files.readString(policyStatus).contains("reason: Ready")) break;
        } catch (IOException e) {
          // not listening yet
        }
        if (System.nanoTime() > deadline || !p.isAlive()) throw new IllegalStateException("the operator did not become ready; log: " + log);
        Thread.sleep(100);
      }
      Thread.sleep(3000); // the stack settles; the first reconciles are done
      System.out.printf("operator ready (log %s)%n", log);
      return new OperatorProcess(p);
    }

    private static int freePort() throws IOException {
      try (var s = new java.net.ServerSocket(0)) {
        return s.getLocalPort();
      }
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
