package io.openclaw.operator.bench;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.status.FileStatusWriter;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.JarLaunch;
import io.openclaw.operator.testing.SmokescreenImage;
import io.openclaw.operator.testing.TestEngine;
import io.openclaw.operator.testing.TestManifests;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The latency an authorization plugin adds to creating and running an OpenClaw-shaped sandbox: one Docker engine of
 * the benchmark's own (hack/test-dockerd.sh), measured with no plugin, with the operator's plugin (the jar as a user
 * runs it: {@code run DIR --admission}, its stack Ready) and with OPA's Docker plugin on an equivalent Rego policy.
 * Each arm has phases of its own (only its plugin on, switched with hack/admission.sh as a user would), interleaved
 * over rounds in a rotating order, so the machine's drift hits every arm alike. Requests go to the engine's socket
 * directly (no CLI start-up in the figures): "create" is POST /containers/create, "run" is create then start; each
 * container is removed afterwards, untimed. One breaching create per phase shows that each plugin really denies.
 *
 * <p>Run through {@code hack/bench admission}. Arguments: --n N (samples per arm and operation, default 200),
 * --rounds R (default 5), --warmup W (untimed requests per arm first, default 20), --arms none,operator,opa,opa-prepared (the default),
 * --jar PATH.
 */
public final class AdmissionBench {
  private static final String API = "/v1.41";
  private static final String STANDIN = "openclaw-standin/";
  private static final List<String> OPERATIONS = List.of("create", "run");

  private final String run = "it-" + UUID.randomUUID().toString().substring(0, 6);
  private final TestManifests m = new TestManifests(run);
  private final Path work = Path.of("/tmp", run);
  private final Path engineDir = Path.of("/tmp", run + "-engine");
  private final Path repo = Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();
  private final int n;
  private final int rounds;
  private final int warmup;
  private final List<String> armNames;
  private final Path jar;
  private final List<Arm> arms = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private TestEngine engine;
  private String opaBinary;
  private volatile boolean cleaned;
  private volatile boolean interrupted;
  private int counter;

  /** One way of serving the engine: no plugin (plugin null), or a plugin's name and socket. */
  static final class Arm {
    final String name;
    final String plugin;
    final Path socket;
    /** The operator's /metrics, for its own account of how long it judged; null for the other arms. */
    URI metrics;
    final Map<String, List<Double>> millis = new LinkedHashMap<>();
    final Map<String, List<List<Double>>> perRound = new LinkedHashMap<>();
    int breaches;
    int denied;
    String denial;

    Arm(String name, String plugin, Path socket) {
      this.name = name;
      this.plugin = plugin;
      this.socket = socket;
      for (String op : OPERATIONS) {
        millis.put(op, new ArrayList<>());
        perRound.put(op, new ArrayList<>());
      }
    }
  }

  private AdmissionBench(int n, int rounds, int warmup, List<String> armNames, Path jar) {
    this.n = n;
    this.rounds = rounds;
    this.warmup = warmup;
    this.armNames = armNames;
    this.jar = jar;
  }

  public static void main(String[] args) throws Exception {
    int n = 200;
    int rounds = 5;
    int warmup = 20;
    List<String> armNames = List.of("none", "operator", "opa", "opa-prepared");
    Path jar = Path.of("operator/target/openclaw-docker-operator.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--n" -> n = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--arms" -> armNames = List.of(args[++i].split(","));
        case "--jar" -> jar = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (known: --n, --rounds, --warmup, --arms, --jar)");
      }
    }
    if (!armNames.contains("none")) throw new IllegalArgumentException("--arms must include none: the other arms are measured against it");
    AdmissionBench bench = new AdmissionBench(n, Math.max(1, Math.min(rounds, n)), warmup, armNames, jar.toAbsolutePath());
    // Ctrl-C: the plugin off before whatever serves it stops (else every request to the engine hangs), then the engine.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      bench.interrupted = !bench.cleaned;
      bench.cleanUp();
    }, "admission-bench-cleanup"));
    try {
      bench.measure();
    } catch (Exception e) {
      if (!bench.interrupted) throw e; // else the requests failed because the engine is being removed under them
    } finally {
      bench.cleanUp();
    }
  }

  private void measure() throws Exception {
    System.out.printf("== admission latency (%s): %d samples per arm and operation in %d rounds, %d warm-up requests per arm%n", run, n, rounds,
        warmup);
    System.out.printf("machine: %d cores, %s, load %s; engine %s%n", Runtime.getRuntime().availableProcessors(), memory(), load(),
        shell("/usr/bin/docker", "version", "-f", "{{.Server.Version}} (API {{.Server.APIVersion}})"));
    Files.createDirectories(work.resolve("manifests"));
    Files.createDirectories(Path.of(m.stateDir(), "sandboxes"));
    // The stand-in gateway runs as uid 1000 and writes into its state directory.
    shell("chown", "-R", "1000:1000", Path.of(m.stateDir()).getParent().toString());

    long t = System.nanoTime();
    engine = TestEngine.start(engineDir, List.of(STANDIN + "gateway:dev", STANDIN + "socket-proxy:dev", STANDIN + "model-proxy:dev",
        STANDIN + "cache:dev", DockerHost.SANDBOX_IMAGE, SmokescreenImage.reference()));
    System.out.printf("test engine %s up with the images in %.1f s%n", engine.host, seconds(t));

    arms.add(new Arm("none", null, null));
    if (armNames.contains("operator")) arms.add(startOperator());
    for (String opa : List.of("opa", "opa-prepared")) {
      if (!armNames.contains(opa)) continue;
      Arm arm = startOpa(opa.equals("opa-prepared"));
      if (arm != null) arms.add(arm);
    }

    try (Engine api = new Engine(engineDir.resolve("docker.sock"))) {
      for (Arm arm : arms) {
        pluginOn(api, arm);
        for (int i = 0; i < warmup; i++) {
          sample(api, arm, i % 2 == 0 ? "create" : "run", false);
        }
        pluginOff(api, arm);
      }
      for (int r = 0; r < rounds; r++) {
        int per = n / rounds + (r < n % rounds ? 1 : 0);
        List<Arm> order = new ArrayList<>(arms);
        Collections.rotate(order, -r); // each arm goes first, second, ... in turn
        for (Arm arm : order) {
          pluginOn(api, arm);
          List<Double> created = new ArrayList<>();
          List<Double> ran = new ArrayList<>();
          for (int i = 0; i < per; i++) {
            created.add(sample(api, arm, "create", true));
            ran.add(sample(api, arm, "run", true));
          }
          breach(api, arm);
          pluginOff(api, arm);
          arm.perRound.get("create").add(created);
          arm.perRound.get("run").add(ran);
        }
        System.out.printf("round %d of %d done (load %s)%n", r + 1, rounds, load());
      }
    }
    print();
    printResults();
    for (Arm arm : arms) {
      if (arm.metrics != null) printJudgeTime(arm);
    }
  }

  /**
   * The operator's own timer of its answers (openclaw_operator_admission_duration: from the parsed request to the
   * decision, in the request phase; the benchmark's probes and the operator's own requests included): how much of the
   * added latency is the judging itself.
   */
  private static void printJudgeTime(Arm arm) {
    try {
      String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(arm.metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
      double count = 0;
      double sum = 0;
      double max = 0;
      List<double[]> buckets = new ArrayList<>();
      for (String line : text.lines().toList()) {
        if (!line.startsWith("openclaw_operator_admission_duration_seconds")) continue;
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        if (line.startsWith("openclaw_operator_admission_duration_seconds_count")) count += value;
        else if (line.startsWith("openclaw_operator_admission_duration_seconds_sum")) sum += value;
        else if (line.startsWith("openclaw_operator_admission_duration_seconds_max")) max = Math.max(max, value);
        else if (line.contains("_bucket{le=\"") && !line.contains("+Inf")) {
          String le = line.substring(line.indexOf("le=\"") + 4, line.indexOf('"', line.indexOf("le=\"") + 4));
          buckets.add(new double[] {Double.parseDouble(le), value});
        }
      }
      System.out.printf(Locale.ROOT, "%n%s's own timer of its decisions (%s): %.0f requests, mean %.2f ms, p50 under %s, p99 under %s%n",
          arm.name, "openclaw_operator_admission_duration", count, count == 0 ? Double.NaN : sum / count * 1000, bucketBound(buckets, count, 0.5),
          bucketBound(buckets, count, 0.99));
    } catch (IOException | RuntimeException e) {
      System.out.printf("%n%s's /metrics could not be read: %s%n", arm.name, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The smallest histogram bound under which at least q of the observations fall, in milliseconds. */
  private static String bucketBound(List<double[]> buckets, double count, double q) {
    buckets.sort(Comparator.comparingDouble(b -> b[0]));
    for (double[] b : buckets) {
      if (b[1] >= q * count) return String.format(Locale.ROOT, "%.2f ms", b[0] * 1000);
    }
    return "the largest bound";
  }

  // ---- arms

  /** The operator's jar, as a user runs it, with the benchmark's manifests; returns once its stack is Ready. */
  private Arm startOperator() throws Exception {
    Files.writeString(work.resolve("manifests/gateway.yaml"), m.gateway("hostBaseline: {enforcement: enforce}\n"));
    Files.writeString(work.resolve("manifests/policy.yaml"), m.policy(""));
    Files.writeString(work.resolve("manifests/allowlist.yaml"), m.allowlist("*.anthropic.com"));
    Path socket = work.resolve("operator.sock");
    Path state = work.resolve("operator-state");
    Path log = work.resolve("operator.log");
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    long t = System.nanoTime();
    // setsid: a Ctrl-C on the terminal reaches the benchmark only, which turns the plugin off before stopping it.
    List<String> command = new ArrayList<>(List.of("setsid"));
    command.addAll(JarLaunch.command(jar));
    command.addAll(List.of("run", work.resolve("manifests").toString(), "--admission", "--admission-socket", socket.toString(), "--state-dir",
        state.toString(), "--http-address", "127.0.0.1:" + port));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("DOCKER_HOST", engine.host);
    Process p = started(pb);
    FileStatusWriter status = new FileStatusWriter(state);
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (true) {
      boolean ready = Files.exists(socket) && BenchOperator.ready(status.fileOf(m.gatewayKey())) && BenchOperator.ready(status.fileOf(m.policyKey()));
      if (ready) {
        try {
          ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
          ready = false;
        }
      }
      if (ready) break;
      if (!p.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException("the operator did not get its stack Ready; log: " + log);
      Thread.sleep(250);
    }
    System.out.printf("operator: %s run %s --admission --admission-socket %s; stack Ready in %.1f s (log %s)%n", jar.getFileName(),
        work.resolve("manifests"), socket, seconds(t), log);
    Arm arm = new Arm("operator", run + "-authz", socket);
    arm.metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
    return arm;
  }

  /** OPA's plugin, built (or found) once: "real PATH" or "standin PATH"; null when neither can be had. */
  private String opaBinary() throws Exception {
    if (opaBinary != null) return opaBinary.isEmpty() ? null : opaBinary;
    long t = System.nanoTime();
    Path script = repo.resolve("hack/opa-docker-authz.sh");
    Process build = new ProcessBuilder(script.toString(), "best").redirectError(work.resolve("opa-build.log").toFile()).start();
    String answer = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    String buildLog = Files.readString(work.resolve("opa-build.log")).trim();
    if (build.waitFor() != 0 || answer.isEmpty()) {
      System.out.printf("opa: no arm, neither opa-docker-authz nor the stand-in could be built:%n%s%n", indent(buildLog));
      opaBinary = "";
      return null;
    }
    if (answer.startsWith("real ")) {
      System.out.printf("opa: %s, built or found in %.1f s%n", shell(script.toString(), "version"), seconds(t));
    } else {
      System.out.printf("opa: OPA's opa-docker-authz cannot be built here:%n%s%n", indent(buildLog));
      System.out.printf("opa: measuring the stand-in hack/opa-authz instead: the same plugin protocol and input document on the OPA that"
          + " opa-docker-authz pins (%s); built or found in %.1f s%n", shell(script.toString(), "version").replaceAll(".*\\((.*)\\)", "$1"),
          seconds(t));
    }
    opaBinary = answer;
    return answer;
  }

  /**
   * OPA's plugin on the benchmark's Rego policy, or null when it cannot be had. By default the policy is compiled for
   * every request, as opa-docker-authz's -policy-file mode does; {@code prepared}: compiled once (the stand-in only).
   */
  private Arm startOpa(boolean prepared) throws Exception {
    String answer = opaBinary();
    if (answer == null) return null;
    boolean real = answer.startsWith("real ");
    Path bin = Path.of(answer.substring(answer.indexOf(' ') + 1));
    if (real && prepared) {
      System.out.println("opa-prepared: no arm, the real opa-docker-authz compiles once only with a bundle configuration (-config-file)");
      return null;
    }
    Path policy = work.resolve("admission-policy.rego");
    if (!Files.exists(policy)) {
      try (InputStream in = AdmissionBench.class.getResourceAsStream("/bench/admission-policy.rego")) {
        Files.writeString(policy, new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("SANDBOX_ROOT", m.stateDir() + "/sandboxes"));
      }
    }
    String plugin = run + (prepared ? "-opa-prepared" : "-opa");
    Path socket;
    List<String> command = new ArrayList<>(List.of("setsid", bin.toString(), "-policy-file", policy.toString()));
    if (real) {
      // It serves /run/docker/plugins/NAME.sock, where the daemon finds a plugin by its name.
      socket = Path.of("/run/docker/plugins", plugin + ".sock");
      command.addAll(List.of("-plugin-name", plugin, "-quiet"));
    } else {
      socket = work.resolve(plugin + ".sock");
      command.addAll(List.of("-socket", socket.toString()));
      if (prepared) command.add("-prepared");
    }
    Path log = work.resolve(plugin + ".log");
    Process p = started(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(socket)) {
      if (!p.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException("OPA's plugin did not listen on " + socket + "; log: " + log);
      Thread.sleep(100);
    }
    String name = "opa" + (prepared ? " prepared" : "") + (real ? "" : " (stand-in)");
    return new Arm(name, plugin, socket);
  }

  private Process started(ProcessBuilder pb) throws IOException {
    synchronized (this) {
      if (cleaned) throw new IllegalStateException("stopping");
      Process p = pb.start();
      processes.add(p);
      return p;
    }
  }


  // ---- phases

  private void pluginOn(Engine api, Arm arm) throws Exception {
    if (arm.plugin == null) return;
    script("admission.sh", "on", "--daemon", engineDir.toString(), "--name", arm.plugin, "--socket", arm.socket.toString());
    awaitPlugin(api, arm, true);
  }

  private void pluginOff(Engine api, Arm arm) throws Exception {
    if (arm.plugin == null) return;
    script("admission.sh", "off", "--daemon", engineDir.toString(), "--name", arm.plugin);
    awaitPlugin(api, arm, false);
  }

  /**
   * Until the daemon's reload has taken effect: a breaching create is denied (plugin on) or allowed (off). The
   * daemon's /info does not show authorization plugins set by a reload, so the daemon's answers are the only witness.
   */
  private void awaitPlugin(Engine api, Arm arm, boolean on) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Engine.Response r = api.send("POST", API + "/containers/create?name=" + run + "-probe-" + (++counter), Yaml.json(sandbox(run + "-probe", true)));
      if (r.status() == 201) remove(api, Yaml.JSON.readTree(r.body()).path("Id").asString());
      if ((r.status() != 201) == on) return;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(on ? arm.name + " did not deny a sandbox binding the Docker socket within 30 s of being turned on: "
            + "is it working?" : "the engine still denies a breach 30 s after " + arm.name + " was turned off: " + r);
      }
      Thread.sleep(50);
    }
  }

  /** One timed create (or create + start), then the container's removal, untimed. */
  private double sample(Engine api, Arm arm, String op, boolean record) throws IOException {
    String name = run + "-sbx-" + (++counter);
    String body = Yaml.json(sandbox(name, false));
    long t = System.nanoTime();
    Engine.Response created = api.send("POST", API + "/containers/create?name=" + name, body);
    if (created.status() != 201) throw new IllegalStateException(arm.name + ": create of a conforming sandbox answered " + created);
    String id = Yaml.JSON.readTree(created.body()).path("Id").asString();
    if (op.equals("run")) {
      Engine.Response started = api.send("POST", API + "/containers/" + id + "/start", null);
      if (started.status() != 204) throw new IllegalStateException(arm.name + ": start of a conforming sandbox answered " + started);
    }
    double ms = (System.nanoTime() - t) / 1e6;
    remove(api, id);
    if (record) arm.millis.get(op).add(ms);
    return ms;
  }

  /** A sandbox that also binds the Docker socket: every plugin must deny it. */
  private void breach(Engine api, Arm arm) throws IOException {
    String name = run + "-breach-" + (++counter);
    Engine.Response r = api.send("POST", API + "/containers/create?name=" + name, Yaml.json(sandbox(name, true)));
    arm.breaches++;
    if (r.status() == 201) {
      remove(api, Yaml.JSON.readTree(r.body()).path("Id").asString());
      if (arm.denial == null) arm.denial = "(created: no plugin denied it)";
    } else {
      arm.denied++;
      if (arm.denial == null) arm.denial = r.status() + " " + message(r.body());
    }
  }

  /**
   * Removes a container and waits until it is gone. The operator's loop, running throughout, removes a breaching
   * sandbox by itself in the arms where no plugin refused it: then the daemon says 409 (in progress) or 404.
   */
  private static void remove(Engine api, String id) throws IOException {
    Engine.Response r = api.send("DELETE", API + "/containers/" + id + "?force=1&v=1", null);
    if (r.status() == 204 || r.status() == 404) return;
    if (r.status() != 409) throw new IllegalStateException("removing " + id + " answered " + r);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (api.send("GET", API + "/containers/" + id + "/json", null).status() != 404) {
      if (System.nanoTime() > deadline) throw new IllegalStateException(id + " was still there 30 s after its removal began");
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  /** OpenClaw's sandbox (testing/Sandboxes.conforming) as the create body the docker CLI sends for those flags. */
  private ObjectNode sandbox(String name, boolean breach) {
    ObjectNode body = Soak.conformingSandbox(run, m.stateDir(), name, "bench");
    if (breach) ((ArrayNode) body.get("HostConfig").get("Binds")).add("/var/run/docker.sock:/var/run/docker.sock");
    return body;
  }

  // ---- output

  private void print() {
    Arm none = arms.get(0);
    for (String op : OPERATIONS) {
      System.out.printf("%n%s (%s), milliseconds%n", op, op.equals("create") ? "POST /containers/create" : "create, then start");
      System.out.printf("%-24s %5s %8s %8s %8s %24s %18s%n", "arm", "n", "p50", "p99", "mean", "added p50 / p99 vs none", "added p50, rounds");
      for (Arm a : arms) {
        List<Double> v = a.millis.get(op);
        String added = a == none ? "-" : String.format(Locale.ROOT, "%+.1f / %+.1f", p(v, 0.5) - p(none.millis.get(op), 0.5),
            p(v, 0.99) - p(none.millis.get(op), 0.99));
        String paired = a == none ? "-" : String.format(Locale.ROOT, "%+.1f", pairedDifference(a.perRound.get(op), none.perRound.get(op)));
        System.out.printf(Locale.ROOT, "%-24s %5d %8.1f %8.1f %8.1f %24s %18s%n", a.name, v.size(), p(v, 0.5), p(v, 0.99), mean(v), added, paired);
      }
      System.out.printf("(added p50, rounds: the median over rounds of the arm's p50 less none's p50 in the same round, which cancels the"
          + " drift between rounds)%np50 per round:%n");
      for (Arm a : arms) {
        StringBuilder line = new StringBuilder(String.format("  %-24s", a.name));
        for (List<Double> round : a.perRound.get(op)) line.append(String.format(Locale.ROOT, " %7.1f", p(round, 0.5)));
        System.out.println(line);
      }
    }
    System.out.printf("%nbreaching create (the conforming sandbox plus a bind of the Docker socket), one per phase:%n");
    for (Arm a : arms) {
      System.out.printf("%-24s denied %d of %d: %s%n", a.name, a.denied, a.breaches, a.denial);
    }
  }

  /** hack/bench's table: each plugin's create + start p50 and p99 beside no plugin's, from the same rounds. */
  private void printResults() {
    Arm none = arms.get(0);
    for (Arm a : arms.subList(1, arms.size())) {
      String row = "admission." + a.plugin.substring(run.length() + 1).replace("authz", "operator");
      List<Double> v = a.millis.get("run");
      List<Double> floor = none.millis.get("run");
      BenchResult.print(row + ".run-p50", p(v, 0.5), "ms", p(floor, 0.5), "ms", "no plugin; added in paired rounds "
          + String.format(Locale.ROOT, "%+.1f", pairedDifference(a.perRound.get("run"), none.perRound.get("run"))) + " ms; " + a.name);
      BenchResult.print(row + ".run-p99", p(v, 0.99), "ms", p(floor, 0.99), "ms", "no plugin; " + a.name);
      BenchResult.print(row + ".create-p50", p(a.millis.get("create"), 0.5), "ms", p(none.millis.get("create"), 0.5), "ms", "no plugin; " + a.name);
    }
  }

  /** The median over rounds of (arm's p50 - none's p50) in each round. */
  static double pairedDifference(List<List<Double>> arm, List<List<Double>> none) {
    List<Double> differences = new ArrayList<>();
    for (int r = 0; r < Math.min(arm.size(), none.size()); r++) differences.add(p(arm.get(r), 0.5) - p(none.get(r), 0.5));
    return p(differences, 0.5);
  }

  /** Nearest-rank percentile. */
  static double p(List<Double> values, double q) {
    if (values.isEmpty()) return Double.NaN;
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)));
  }

  static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static String message(String body) {
    try {
      return Yaml.JSON.readTree(body).path("message").asString();
    } catch (RuntimeException e) {
      return body;
    }
  }

  private static double seconds(long since) { return (System.nanoTime() - since) / 1e9; }

  private static String indent(String text) { return text.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse(""); }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String memory() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      long kb = Long.parseLong(lines.filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow().replaceAll("\\D", ""));
      return String.format(Locale.ROOT, "%.0f GiB", kb / 1024.0 / 1024.0);
    } catch (IOException | RuntimeException e) {
      return "? GiB";
    }
  }

  // ---- cleaning up

  /** Plugins off (no daemon request needed), then their processes stopped, then the engine and the files removed. */
  private void cleanUp() {
    synchronized (this) {
      if (cleaned) return;
      cleaned = true;
    }
    for (Arm a : arms) {
      if (a.plugin == null) continue;
      try {
        script("admission.sh", "off", "--daemon", engineDir.toString(), "--name", a.plugin);
      } catch (RuntimeException e) {
        System.err.println("[admission-bench] " + e.getMessage());
      }
    }
    for (Process p : processes) {
      p.destroy();
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
    try {
      if (engine != null) engine.close();
      else if (Files.exists(engineDir)) script("test-dockerd.sh", "remove", engineDir.toString());
    } catch (RuntimeException e) {
      System.err.println("[admission-bench] removing the engine: " + e.getMessage());
    }
    try {
      for (Arm a : arms) {
        if (a.socket != null && a.socket.startsWith("/run/docker/plugins")) Files.deleteIfExists(a.socket);
      }
      if (Files.exists(work)) {
        try (Stream<Path> paths = Files.walk(work)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      Path runDir = Path.of(m.stateDir()).getParent();
      if (Files.exists(runDir)) {
        try (Stream<Path> paths = Files.walk(runDir)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException e) {
      System.err.println("[admission-bench] removing " + work + ": " + e.getMessage());
    }
    System.err.println("[admission-bench] cleaned up: plugins off, processes stopped, engine " + engineDir + " removed");
  }

  private String script(String name, String... args) {
    List<String> command = new ArrayList<>(List.of(repo.resolve("hack").resolve(name).toString()));
    command.addAll(List.of(args));
    return shell(command.toArray(String[]::new));
  }

  /** Runs a command; its output, or an exception carrying it when it failed. */
  private static String shell(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
    }
  }

  /**
   * HTTP/1.1 to the engine's unix socket on one keep-alive connection, as the docker CLI talks to it: no client
   * library between the clock and the daemon.
   */
  static final class Engine implements AutoCloseable {
    private final Path socket;
    private SocketChannel channel;
    private InputStream in;
    private OutputStream out;

    record Response(int status, String body) {
      @Override
      public String toString() { return status + " " + body; }
    }

    Engine(Path socket) {
      this.socket = socket;
    }

    Response send(String method, String path, String json) throws IOException {
      try {
        return exchange(method, path, json);
      } catch (IOException e) {
        // The daemon may have closed an idle connection: one new connection, then give up.
        close();
        return exchange(method, path, json);
      }
    }

    private Response exchange(String method, String path, String json) throws IOException {
      if (channel == null) {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
        out = Channels.newOutputStream(channel);
      }
      byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: docker\r\nUser-Agent: admission-bench\r\n");
      if (json != null) head.append("Content-Type: application/json\r\n");
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      request.write(body);
      out.write(request.toByteArray());
      out.flush();

      String status = line();
      if (status == null) throw new IOException("connection closed");
      int code = Integer.parseInt(status.split(" ")[1]);
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String h; (h = line()) != null && !h.isEmpty(); ) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) length = Long.parseLong(lower.substring(15).trim());
        if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        if (lower.startsWith("connection:") && lower.contains("close")) close = true;
      }
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      if (chunked) {
        for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
          content.write(in.readNBytes(size));
          line();
        }
        line();
      } else if (length > 0) {
        content.write(in.readNBytes((int) length));
      }
      if (close) close();
      return new Response(code, content.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
        if (c != '\r') b.write(c);
      }
      return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
      try {
        if (channel != null) channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      channel = null;
    }
  }
}
