package io.openclaw.operator.controller;

import static io.openclaw.operator.testing.Checks.exec;
import static io.openclaw.operator.testing.Checks.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.runtime.HttpEndpoints;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.TestManifests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The loop itself: the manifest directory as a source, the events-fed cache, status, metrics and health. */
class ControllerIT {
  @RegisterExtension static DockerHost docker = new DockerHost();
  @TempDir Path manifests;
  @TempDir Path state;
  private final TestManifests m = new TestManifests(docker.runId());

  private OperatorHarness stack() throws Exception {
    Files.writeString(manifests.resolve("gateway.yaml"), m.gateway(""));
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlist("*.openai.com"));
    Files.writeString(manifests.resolve("policy.yaml"), m.policy(""));
    OperatorHarness op = OperatorHarness.start(docker, manifests, state);
    waitFor("every resource Ready", Duration.ofSeconds(60),
        () -> op.ready(m.gatewayKey()) && op.ready(m.policyKey()) && op.ready(m.allowlistKey()));
    return op;
  }

  private Map<String, String> ids() {
    return docker.containerNames().stream().collect(Collectors.toMap(n -> n, n -> docker.api().inspectContainer(n).orElseThrow().id()));
  }

  /** Reconciles done so far, of every kind. */
  private static double reconciles(OperatorHarness op) {
    return op.operator.metrics().registry.find("openclaw_operator_reconciles").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Test
  void filesThatAreNotManifestsAndManifestsRewrittenUnchangedCostNoReconcile() throws Exception {
    try (OperatorHarness op = stack()) {
      waitFor("the first passes settle", Duration.ofSeconds(30), () -> {
        double before = reconciles(op);
        try {
          Thread.sleep(1500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return reconciles(op) == before;
      });
      double before = reconciles(op);
      String gateway = Files.readString(manifests.resolve("gateway.yaml"));
      for (int i = 0; i < 20; i++) {
        Files.writeString(manifests.resolve("notes-" + i + ".txt"), "editor swap, log line " + i);
        Files.writeString(manifests.resolve(".gateway.yaml.swp"), "swap " + i);
        if (i % 4 == 0) op.write("gateway.yaml", gateway);
      }
      // A real change last: once it is in force, every event before it has been seen.
      String allowlist = m.allowlist("*.openai.com", "*.anthropic.com");
      op.write("egress.yaml", allowlist);
      waitFor("the changed allowlist in force", Duration.ofSeconds(30), () -> op.applied(m.allowlistKey(), allowlist));
      double spent = reconciles(op) - before;
      System.out.printf("[churn] 20 .txt writes, 20 swap-file writes, 5 unchanged rewrites and one change: %.0f reconciles%n", spent);
      assertThat(spent).as("only the changed allowlist (and the gateway it feeds) are reconciled").isLessThanOrEqualTo(4);
    }
  }

  @Test
  void runOnTheManifestsReachesReadyForEveryResource() throws Exception {
    try (OperatorHarness op = stack()) {
      for (var key : List.of(m.gatewayKey(), m.policyKey(), m.allowlistKey())) {
        assertThat(op.condition(key, "Ready")).as(key + " Ready").isEqualTo("True");
        assertThat(op.condition(key, "Reconciling")).isEqualTo("False");
        assertThat(op.condition(key, "Stalled")).isEqualTo("False");
        assertThat(op.status(key).path("observedGeneration").asLong()).isEqualTo(1);
        assertThat(op.status(key).path("hosts").get(0).path("name").asString()).isEqualTo("test-host");
      }
    }
  }

  @Test
  void anEditedManifestIsActedOnAtOnce() throws Exception {
    try (OperatorHarness op = stack()) {
      String before = docker.api().inspectContainer(m.container("cache")).orElseThrow().id();
      String edited = m.gateway("").replace("image: openclaw-standin/cache:dev\n    resources: {memory: 64Mi",
          "image: openclaw-standin/cache:dev\n    resources: {memory: 96Mi");
      assertThat(edited).isNotEqualTo(m.gateway(""));
      long t = System.nanoTime();
      op.write("gateway.yaml", edited);
      waitFor("the old cache to be stopped or gone", Duration.ofSeconds(30), () -> docker.api().inspectContainer(before)
          .map(c -> !c.running()).orElse(true));
      long acted = (System.nanoTime() - t) / 1_000_000;
      waitFor("the new cache to run with 96Mi", Duration.ofSeconds(30), () -> docker.api().inspectContainer(m.container("cache"))
          .map(c -> c.running() && c.memory() == 96L << 20).orElse(false));
      System.out.printf("[timing] manifest edit -> acted on (old cache stopped) in %d ms, new one running after %d ms%n", acted,
          (System.nanoTime() - t) / 1_000_000);
      waitFor("Ready at generation 2", Duration.ofSeconds(30), () -> op.readyAt(m.gatewayKey(), 2));
    }
  }

  @Test
  void anInvalidManifestChangesNothingAndSaysWhereItIsWrong() throws Exception {
    try (OperatorHarness op = stack()) {
      Map<String, String> before = ids();
      op.write("gateway.yaml", m.gateway("").replace("image: openclaw-standin/cache:dev", "image: openclaw-standin/cache:dev\n    imagee: typo"));
      waitFor("Stalled InvalidSpec", Duration.ofSeconds(30), () -> "True".equals(op.condition(m.gatewayKey(), "Stalled")));
      String why = op.reason(m.gatewayKey(), "Stalled");
      assertThat(why).startsWith("InvalidSpec").contains("gateway.yaml:").contains("spec.cache.imagee").contains("unknown field")
          .contains("did you mean \"image\"").contains("the last valid spec stays in force");
      op.write("egress.yaml", "apiVersion: hardening.openclaw.io/v1alpha1\nkind: EgressAllowlist\n  metadata: [broken");
      waitFor("the allowlist Stalled for its broken file", Duration.ofSeconds(30), () -> "True".equals(op.condition(m.allowlistKey(), "Stalled")));
      assertThat(op.reason(m.allowlistKey(), "Stalled")).contains("egress.yaml:").contains("not valid YAML");
      // Both statuses are written at the end of the reconciles that refused the specs: those passes changed nothing.
      assertThat(ids()).as("no container touched").isEqualTo(before);
      assertThat(docker.api().readFile(m.container("egress-proxy"), "/etc/smokescreen/acl.yaml")).isPresent();
    }
  }

  @Test
  void anEmptyDirectoryAtStartTearsNothingDown() throws Exception {
    Map<String, String> before;
    try (OperatorHarness op = stack()) {
      before = ids();
    }
    Path empty = Files.createTempDirectory("empty-manifests");
    try (OperatorHarness op = OperatorHarness.start(docker, empty, state)) {
      // The host baseline's pass (which would remove orphans, were they removed in directory mode) follows the first list.
      waitFor("the operator to be ready and to have made its host-wide pass", Duration.ofSeconds(30), () -> op.operator.ready()
          && op.operator.metrics().scrape().contains("openclaw_operator_reconciles_total{kind=\"HostBaseline\",result=\"ok\"}"));
      assertThat(ids()).isEqualTo(before);
    }
  }

  @Test
  void theEventsCacheFollowsTheHostWithoutRelisting() throws Exception {
    try (OperatorHarness op = stack()) {
      ObservedState observed = op.operator.observed();
      long relists = observed.relists();
      String name = docker.runId() + "-watched";
      exec("docker", "create", "--name", name, "--label", DockerHost.TEST_LABEL + "=" + docker.runId(), DockerHost.SANDBOX_IMAGE);
      String id = docker.api().inspectContainer(name).orElseThrow().id();
      waitFor("create seen", Duration.ofSeconds(10), () -> observed.container(id).map(ContainerView::notStarted).orElse(false));
      exec("docker", "start", name);
      waitFor("start seen", Duration.ofSeconds(10), () -> observed.container(id).map(ContainerView::running).orElse(false));
      exec("docker", "update", "--pids-limit", "77", name);
      waitFor("update seen", Duration.ofSeconds(10), () -> observed.container(id).map(c -> c.pidsLimit() == 77).orElse(false));
      exec("docker", "network", "disconnect", "bridge", name);
      waitFor("disconnect seen", Duration.ofSeconds(10), () -> observed.container(id).map(c -> !c.networks().containsKey("bridge")).orElse(false));
      exec("docker", "exec", name, "true");
      waitFor("exec seen", Duration.ofSeconds(10), () -> observed.lastExecAt(id).isPresent());
      exec("docker", "kill", name);
      waitFor("die seen", Duration.ofSeconds(10), () -> observed.container(id).map(c -> !c.running()).orElse(false));
      exec("docker", "rm", name);
      waitFor("destroy seen", Duration.ofSeconds(10), () -> observed.container(id).isEmpty());
      assertThat(observed.relists()).as("no re-list was needed").isEqualTo(relists);
    }
  }

  @Test
  void filesWrittenBeforeAStartAreTakenFromMemoryOnceThenReadAndDroppedWhenTheContainerDies() throws Exception {
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlist("*.openai.com"));
    try (OperatorHarness op = OperatorHarness.start(docker, manifests, state)) {
      waitFor("ready", Duration.ofSeconds(30), op.operator::ready);
      ObservedState observed = op.operator.observed();
      String name = docker.runId() + "-delivered";
      exec("docker", "create", "--name", name, "--label", DockerHost.TEST_LABEL + "=" + docker.runId(), DockerHost.SANDBOX_IMAGE);
      String id = docker.api().inspectContainer(name).orElseThrow().id();
      String path = "/etc/delivered.conf"; // not in the image: a read of the container finds nothing
      java.util.function.Supplier<String> read = () -> observed.readFile(id, path).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).orElse("none");

      observed.deliveredBeforeStart(id, Map.of(path, "as written".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(read.get()).as("the first ask: what was written, without a read").isEqualTo("as written");
      assertThat(read.get()).as("every later ask reads the container").isEqualTo("none");

      observed.deliveredBeforeStart(id, Map.of(path, "as written".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      exec("docker", "start", name);
      waitFor("start seen", Duration.ofSeconds(10), () -> observed.container(id).map(ContainerView::running).orElse(false));
      exec("docker", "kill", name);
      waitFor("die seen", Duration.ofSeconds(10), () -> observed.container(id).map(c -> c.state().equals("exited")).orElse(false));
      assertThat(read.get()).as("dropped when its process ended: it may have changed the file").isEqualTo("none");
    }
  }

  @Test
  void aSilentEventsStreamIsReopenedAndRelisted() throws Exception {
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlist("*.openai.com"));
    try (OperatorHarness op = OperatorHarness.start(docker, manifests, state, Duration.ofSeconds(2))) {
      waitFor("ready", Duration.ofSeconds(30), op.operator::ready);
      long reconnects = op.operator.observed().reconnects();
      long relists = op.operator.observed().relists();
      waitFor("the watchdog to reopen the stream", Duration.ofSeconds(30), () -> op.operator.observed().reconnects() > reconnects
          && op.operator.observed().relists() > relists && op.operator.observed().ready());
      String name = docker.runId() + "-after";
      exec("docker", "create", "--name", name, "--label", DockerHost.TEST_LABEL + "=" + docker.runId(), DockerHost.SANDBOX_IMAGE);
      String id = docker.api().inspectContainer(name).orElseThrow().id();
      waitFor("events still arrive", Duration.ofSeconds(10), () -> op.operator.observed().container(id).isPresent());
    }
  }

  @Test
  void healthReadinessAndMetricsAreServed() throws Exception {
    try (OperatorHarness op = stack();
        HttpEndpoints http = new HttpEndpoints(new java.net.InetSocketAddress("127.0.0.1", 0), op.operator::ready, op.operator.metrics()::scrape)) {
      exec("docker", "update", "--memory", "32m", "--memory-swap", "32m", m.container("cache"));
      waitFor("the drift to be reverted", Duration.ofSeconds(30), () -> docker.api().inspectContainer(m.container("cache"))
          .map(c -> c.memory() == 64L << 20).orElse(false));
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + http.port();
      assertThat(get(client, base + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(client, base + "/readyz").statusCode()).isEqualTo(200);
      String metrics = get(client, base + "/metrics").body();
      assertThat(metrics).contains("openclaw_operator_reconciles_total{kind=\"GatewayDeployment\",result=\"ok\"}")
          .contains("openclaw_operator_reconcile_duration_seconds_count{kind=\"SandboxPolicy\"}")
          .contains("openclaw_operator_actions_total{reason=\"component.limits\",result=\"ok\",type=\"update_limits\"} 1.0")
          .contains("openclaw_operator_queue_depth{queue=\"containers\"}")
          .contains("openclaw_operator_events_stream_reconnects_total");
    }
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
