package io.openclaw.operator.bench;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.status.FileStatusWriter;
import io.openclaw.operator.testing.JarLaunch;
import io.openclaw.operator.testing.TestManifests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The operator's jar run as a user runs it ({@code java -jar JAR run DIR}) against one Docker host, with the
 * benchmark's manifests (TestManifests: the stand-in stack, a SandboxPolicy), and what the kernel says about that
 * process: CPU time, resident memory, threads, open files and sockets, and the heap after a full collection (jcmd
 * GC.run, the size read from the GC log).
 */
final class BenchOperator implements AutoCloseable {
  final Process process;
  final Path log;
  final Path gcLog;
  final URI metrics;

  private BenchOperator(Process process, Path log, Path gcLog, int port) {
    this.process = process;
    this.log = log;
    this.gcLog = gcLog;
    this.metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
  }

  /**
   * Writes the manifests into {@code work}/manifests, starts the jar, and returns once the gateway and the policy are
   * Ready and /readyz answers. {@code policyExtra}: lines added to the SandboxPolicy's spec.
   */
  static BenchOperator start(Path jar, TestManifests m, Path work, String dockerHost, String policyExtra, List<String> extraArgs) throws Exception {
    Path manifests = work.resolve("manifests");
    Files.createDirectories(manifests);
    Files.createDirectories(Path.of(m.stateDir(), "sandboxes"));
    // The stand-in gateway runs as uid 1000 and writes into its state directory.
    new ProcessBuilder("chown", "-R", "1000:1000", Path.of(m.stateDir()).getParent().toString()).inheritIO().start().waitFor();
    Files.writeString(manifests.resolve("gateway.yaml"), m.gateway("hostBaseline: {enforcement: enforce}\n"));
    Files.writeString(manifests.resolve("policy.yaml"), m.policy(policyExtra));
    Files.writeString(manifests.resolve("allowlist.yaml"), m.allowlist("*.anthropic.com"));
    Path state = work.resolve("operator-state");
    Path log = work.resolve("operator.log");
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // The GC log says what the heap held right after each collection (heapAfterGcMiB reads it).
    List<String> command = new ArrayList<>(JarLaunch.command(jar, "-Xlog:gc:file=" + work.resolve("gc.log")));
    command.addAll(List.of("run", manifests.toString(), "--state-dir", state.toString(), "--http-address", "127.0.0.1:" + port));
    command.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("DOCKER_HOST", dockerHost);
    BenchOperator operator = new BenchOperator(pb.start(), log, work.resolve("gc.log"), port);
    try {
      operator.awaitReady(m, state, Duration.ofMinutes(4));
    } catch (Exception e) {
      operator.close();
      throw e;
    }
    return operator;
  }

  private void awaitReady(TestManifests m, Path state, Duration timeout) throws Exception {
    FileStatusWriter status = new FileStatusWriter(state);
    HttpClient http = HttpClient.newHttpClient();
    URI readyz = URI.create(metrics.toString().replace("/metrics", "/readyz"));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ready = ready(status.fileOf(m.gatewayKey())) && ready(status.fileOf(m.policyKey()));
      if (ready) {
        try {
          ready = http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
          ready = false;
        }
      }
      if (ready) return;
      if (!process.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException("the operator did not get its stack Ready; log: " + log);
      Thread.sleep(250);
    }
  }

  static boolean ready(Path statusFile) {
    try {
      if (!Files.exists(statusFile)) return false;
      for (JsonNode c : Yaml.MAPPER.readTree(Files.readString(statusFile)).path("status").path("conditions")) {
        if (c.path("type").asString().equals("Ready")) return c.path("status").asString().equals("True");
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false; // being written
    }
  }

  long pid() { return process.pid(); }

  /** User + system CPU time of the process so far, in seconds (/proc/PID/stat, clock ticks of 1/100 s). */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  /** A field of /proc/PID/status as a number (VmRSS in KiB, Threads). */
  long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1).replaceAll("\\D", ""));
    }
    throw new IllegalStateException("no " + field + " in /proc/" + pid() + "/status");
  }

  double rssMiB() throws IOException { return status("VmRSS") / 1024.0; }

  long threads() throws IOException { return status("Threads"); }

  /** Open file descriptors, and how many of them are sockets (connections and listeners). */
  long[] files() throws IOException {
    long all = 0;
    long sockets = 0;
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          all++;
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) sockets++;
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    return new long[] {all, sockets};
  }

  private static final java.util.regex.Pattern FULL_GC = java.util.regex.Pattern.compile("Pause Full \\((?:Diagnostic Command|System.gc\\(\\))\\) (\\d+)([KMG])->(\\d+)([KMG])");

  /**
   * The heap in use right after a full collection the benchmark asks for (jcmd GC.run), in MiB, as the collection
   * itself logged it: reading the heap afterwards would count what the process allocated in between.
   */
  double heapAfterGcMiB() throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    int before = fullCollections().size();
    run(jcmd, Long.toString(pid()), "GC.run");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<Double> after;
    while ((after = fullCollections()).size() <= before) { // the log is written a moment after jcmd returns
      if (System.nanoTime() > deadline) throw new IllegalStateException("no full collection in " + gcLog + " after jcmd GC.run");
      Thread.sleep(20);
    }
    return after.get(after.size() - 1);
  }

  /** The heap after each full collection asked for (jcmd's "Diagnostic Command", or System.gc()) in the GC log, in MiB. */
  private List<Double> fullCollections() throws IOException {
    List<Double> sizes = new ArrayList<>();
    if (!Files.exists(gcLog)) return sizes;
    for (java.util.regex.Matcher m = FULL_GC.matcher(Files.readString(gcLog)); m.find(); ) {
      double value = Double.parseDouble(m.group(3));
      sizes.add(switch (m.group(4)) {
        case "K" -> value / 1024;
        case "G" -> value * 1024;
        default -> value;
      });
    }
    return sizes;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + ": " + out);
    return out;
  }

  /** The operator's Prometheus text. */
  String scrape() throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
