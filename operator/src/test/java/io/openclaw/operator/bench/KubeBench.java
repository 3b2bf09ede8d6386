package io.openclaw.operator.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.JarLaunch;
import io.openclaw.operator.testing.KubeApiServer;
import io.openclaw.operator.testing.SmokescreenImage;
import io.openclaw.operator.testing.TestEngine;
import io.openclaw.operator.testing.TestManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Kubernetes API requests one operator instance makes at steady state: a test API server (hack/kube-apiserver.sh) with
 * the project's CRDs, the benchmark's three resources in a namespace of their own, one instance (the jar, {@code run
 * --kubernetes}, leader election on) driving the stand-in stack on a Docker engine of the benchmark's own. Once every
 * resource is Ready, the API server's own counter (apiserver_request_total, by verb and resource; the non-resource
 * requests such as the benchmark's reads of /metrics left out) is read before and after a window in which nobody
 * else talks to the server. Beside it: the requests of leader election alone (the Lease), the floor of any instance.
 *
 * <p>Run through {@code hack/bench kube [--minutes 2] [--resync 1m]} (a resync a minute, so the window holds a few: at
 * the default of 5 minutes a short window may hold none).
 */
public final class KubeBench {
  private static final Pattern REQUESTS = Pattern.compile("(?m)^apiserver_request_total\\{([^}]*)\\} ([0-9.e+]+)$");

  public static void main(String[] args) throws Exception {
    double minutes = 2;
    String resync = "1m";
    Path jar = Path.of("operator/target/openclaw-docker-operator.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = Double.parseDouble(args[++i]);
        case "--resync" -> resync = args[++i];
        case "--jar" -> jar = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (known: --minutes, --resync, --jar)");
      }
    }
    String run = "it-" + UUID.randomUUID().toString().substring(0, 6);
    TestManifests m = new TestManifests(run);
    Path work = Path.of("/tmp", run);
    Path engineDir = Path.of("/tmp", run + "-engine");
    Process operator = null;
    long t = System.nanoTime();
    try (KubeApiServer server = KubeApiServer.start();
        TestEngine engine = TestEngine.start(engineDir, List.of("openclaw-standin/gateway:dev", "openclaw-standin/socket-proxy:dev",
            "openclaw-standin/model-proxy:dev", "openclaw-standin/cache:dev", DockerHost.SANDBOX_IMAGE, SmokescreenImage.reference()))) {
      System.out.printf("== kube (%s): API server %s and engine %s up in %.1f s%n", run, server.client().getKubernetesVersion().getGitVersion(),
          engine.host, (System.nanoTime() - t) / 1e9);
      server.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(run).endMetadata().build()).create();
      Files.createDirectories(Path.of(m.stateDir(), "sandboxes"));
      new ProcessBuilder("chown", "-R", "1000:1000", work.toString()).inheritIO().start().waitFor();
      server.create(m.gateway("hostBaseline: {enforcement: enforce}\n"));
      server.create(m.policy(""));
      server.create(m.allowlist("*.anthropic.com"));
      Path log = work.resolve("operator.log");
      List<String> command = new ArrayList<>(JarLaunch.command(jar));
      command.addAll(List.of("run", "--kubernetes", "-n", run, "--host-name", run + "-host", "--leader-election-namespace", run, "--state-dir",
          work.resolve("operator-state").toString(), "--http-address", "127.0.0.1:0", "--resync", resync));
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("DOCKER_HOST", engine.host);
      pb.environment().put("KUBECONFIG", server.kubeconfig().toString());
      operator = pb.start();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (!(ready(server, m.gatewayKey()) && ready(server, m.policyKey()) && ready(server, m.allowlistKey()))) {
        if (!operator.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException("the resources did not get Ready; log: " + log);
        Thread.sleep(1000);
      }
      System.out.printf("all three resources Ready %.1f s after the start; settling 30 s, then watching %.1f min%n", (System.nanoTime() - t) / 1e9,
          minutes);
      Thread.sleep(30_000);
      Map<String, Double> before = requests(server);
      long w = System.nanoTime();
      Thread.sleep((long) (minutes * 60_000));
      Map<String, Double> after = requests(server);
      double took = (System.nanoTime() - w) / 6e10;
      double total = 0;
      double lease = 0;
      Map<String, Double> by = new TreeMap<>();
      for (var e : after.entrySet()) {
        double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
        if (d <= 0) continue;
        by.put(e.getKey(), d);
        total += d;
        if (e.getKey().contains("leases")) lease += d;
      }
      System.out.printf(Locale.ROOT, "%nKubernetes API requests in %.1f min from one instance (--resync %s): %.0f (%.1f per minute), by verb and"
          + " resource:%n", took, resync, total, total / took);
      by.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %6.0f  %s%n", v, k));
      BenchResult.print("k8s.requests", total / took, "req/min", lease / took, "req/min", "leader election alone (the Lease); one instance, 3 resources");
    } finally {
      if (operator != null) {
        operator.destroy();
        if (!operator.waitFor(30, TimeUnit.SECONDS)) operator.destroyForcibly();
      }
      if (Files.exists(work)) {
        try (Stream<Path> paths = Files.walk(work)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static boolean ready(KubeApiServer server, io.openclaw.operator.api.ResourceKey key) {
    return "True".equals(KubeApiServer.condition(server.status(key).path("conditions"), "Ready"));
  }

  /** apiserver_request_total summed by verb, resource and subresource, resource requests only. */
  static Map<String, Double> requests(KubeApiServer server) {
    String text = server.client().raw("/metrics");
    Map<String, Double> by = new TreeMap<>();
    for (Matcher r = REQUESTS.matcher(text); r.find(); ) {
      String labels = r.group(1);
      String resource = label(labels, "resource");
      if (resource.isEmpty()) continue;
      String sub = label(labels, "subresource");
      by.merge(label(labels, "verb") + " " + resource + (sub.isEmpty() ? "" : "/" + sub), Double.parseDouble(r.group(2)), Double::sum);
    }
    return by;
  }

  private static String label(String labels, String name) {
    Matcher v = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
    return v.find() ? v.group(1) : "";
  }
}
