package io.openclaw.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.controller.Controller;
import io.openclaw.operator.controller.Recorder;
import io.openclaw.operator.runtime.Operator;
import io.openclaw.operator.source.KubernetesSource;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.KubeApiServer;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.Sandboxes;
import io.openclaw.operator.testing.SmokescreenImage;
import io.openclaw.operator.testing.TestEngine;
import io.openclaw.operator.testing.TestEngine.Cli;
import io.openclaw.operator.testing.TestManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The cluster out of reach: the Kubernetes API server stops answering for 30 s. The operator keeps the Docker host
 * enforced from the last spec it knows and its status catches up once the server answers; the authorization plugin
 * alone ({@code admission --kubernetes}, for an operator that runs elsewhere) keeps judging from memory throughout,
 * protects the components the operator's status names, and writes nothing to the cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesOutageIT {
  private static final String STANDIN = "openclaw-standin/";
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  private final String run = "it-" + UUID.randomUUID().toString().substring(0, 6);
  private final TestManifests m = new TestManifests(run);
  private final String host = run + "-host";
  private final String plugin = run + "-authz";
  private final Path work = Path.of("/tmp", run);
  private KubeApiServer server;
  private KubernetesClient client;
  private TestEngine engine;
  private Sandboxes sandboxes;
  private final List<AutoCloseable> running = new ArrayList<>();

  @BeforeAll
  void startServerAndEngine() throws Exception {
    Files.createDirectories(work);
    server = KubeApiServer.start();
    client = server.client();
    engine = TestEngine.start(Path.of("/tmp", run + "-engine"), List.of(STANDIN + "gateway:dev", STANDIN + "socket-proxy:dev",
        STANDIN + "model-proxy:dev", STANDIN + "cache:dev", DockerHost.SANDBOX_IMAGE, SmokescreenImage.reference()));
    sandboxes = new Sandboxes(run, m.stateDir(), engine.host);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(m.run).endMetadata().build()).create();
    server.create(m.allowlist("*.anthropic.com"));
    server.create(m.policy(""));
    server.create(m.gateway("hostBaseline: {enforcement: enforce}\n"));
  }

  @AfterAll
  void stopEverything() throws Exception {
    try {
      if (server != null) server.resume();
      for (int i = running.size() - 1; i >= 0; i--) running.get(i).close();
    } finally {
      try {
        if (engine != null) engine.close();
      } finally {
        if (server != null) server.close();
        if (Files.exists(work)) {
          try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
    }
  }

  private Controller.Options options(String stateDir) throws Exception {
    return OperatorHarness.options(host, Map.of(), Files.createDirectories(work.resolve(stateDir)), Controller.Options.STALL_AFTER, true);
  }

  private boolean readyInTheCluster(ResourceKey key) {
    JsonNode status = server.status(key);
    return "True".equals(KubeApiServer.condition(status.path("conditions"), "Ready"))
        && status.path("observedGeneration").asLong() == server.get(key).getMetadata().getGeneration();
  }

  @Test
  @Order(1)
  void theOperatorKeepsTheHostEnforcedWhileTheClusterIsAwayAndItsStatusCatchesUpAfter() throws Exception {
    Operator operator = Operator.start(new KubernetesSource(client, m.run, host), engine.endpoint(), options("operator"), Duration.ofSeconds(60),
        Recorder.EventSink.NONE, null);
    running.add(operator);
    await("Ready in the cluster").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> readyInTheCluster(m.gatewayKey()) && readyInTheCluster(m.policyKey()));

    server.pause();
    long paused = System.nanoTime();
    String breach;
    String conforming = sandboxes.nextName();
    try {
      sandboxes.run(conforming, sandboxes.conforming(conforming));
      breach = sandboxes.nextName();
      List<String> flags = new ArrayList<>(sandboxes.conforming(breach));
      flags.addAll(List.of("--security-opt", "seccomp=unconfined"));
      sandboxes.run(breach, flags);
      await(breach + " removed while the cluster is away").atMost(Duration.ofSeconds(20)).until(() -> !exists(breach));
      System.out.printf("[outage] a breaching sandbox was removed %d ms into the outage%n", (System.nanoTime() - paused) / 1_000_000);
      assertThat(engine.docker("inspect", "-f", "{{.State.Running}}", conforming).output()).as("a conforming one keeps running").isEqualTo("true");
      long left = OUTAGE.toMillis() - (System.nanoTime() - paused) / 1_000_000;
      if (left > 0) Thread.sleep(left);
    } finally {
      server.resume();
    }
    long resumed = System.nanoTime();
    await("the removal in the policy's status once the cluster answers").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> lastAction(breach).map(a -> a.path("rule").asString().equals("sandbox.unconfined")).orElse(false));
    System.out.printf("[outage] status caught up %d ms after the API server answered again%n", (System.nanoTime() - resumed) / 1_000_000);
    assertThat(readyInTheCluster(m.gatewayKey())).isTrue();
    engine.docker("rm", "-f", conforming);
  }

  @Test
  @Order(2)
  void thePluginAloneJudgesFromMemoryThroughTheOutageAndWritesNothing() throws Exception {
    // The operator now runs "elsewhere": over TLS, as the user the plugin is told; here it is simply stopped, since its
    // unix-socket requests carry no TLS user. Its status in the cluster names the components.
    for (AutoCloseable c : running) c.close();
    running.clear();
    Path socket = work.resolve("plugin.sock");
    Operator alone = Operator.admissionOnly(KubernetesSource.observing(client, m.run, host), engine.endpoint(), options("admission"),
        Duration.ofSeconds(60), new Operator.AdmissionOptions(socket, Set.of("remote-operator")));
    running.add(alone);
    engine.admissionOn(plugin, socket);
    await("the plugin ready").atMost(Duration.ofSeconds(60)).until(alone::ready);
    Map<ResourceKey, String> versions = resourceVersions();

    judgedFromMemory("with the cluster there");
    server.pause();
    long paused = System.nanoTime();
    try {
      judgedFromMemory("with the cluster away");
      long left = OUTAGE.toMillis() - (System.nanoTime() - paused) / 1_000_000;
      if (left > 0) Thread.sleep(left);
      judgedFromMemory("after " + OUTAGE.toSeconds() + " s of the cluster away");
    } finally {
      server.resume();
    }
    assertThat(resourceVersions()).as("the plugin alone wrote nothing: no finalizer, no status").isEqualTo(versions);

    // It follows the cluster again: a cap of 1 declared now holds at the next start.
    server.client().genericKubernetesResources("hardening.openclaw.io/v1alpha1", "SandboxPolicy").inNamespace(m.run)
        .withName(m.policyKey().name()).edit(p -> {
          ((Map<String, Object>) p.getAdditionalProperties().get("spec")).put("maxConcurrent", 1);
          return p;
        });
    await("maxConcurrent 1 known to the plugin").atMost(Duration.ofSeconds(60)).until(() -> alone.store().entry(m.policyKey())
        .map(e -> ((io.openclaw.operator.api.SandboxPolicy) e.inForce().resource()).getSpec().maxConcurrent() == 1).orElse(false));
    String first = sandboxes.nextName();
    assertThat(sandboxes.run(first, sandboxes.conforming(first))).matches("[0-9a-f]{64}");
    String second = sandboxes.nextName();
    Cli refused = new Cli(1, sandboxes.run(second, sandboxes.conforming(second)), Duration.ZERO);
    assertThat(refused.output()).contains("authorization denied by plugin " + plugin).contains("sandbox.max_concurrent");
    engine.admissionOff();
  }

  /** The decisions the plugin must make from memory alone, each answered well within its bound. */
  private void judgedFromMemory(String when) {
    Cli breach = engine.docker("create", "--privileged", "--name", run + "-p-" + UUID.randomUUID().toString().substring(0, 4), "--network", "none",
        DockerHost.SANDBOX_IMAGE);
    System.out.printf("[outage] %s: a privileged create refused in %d ms%n", when, breach.took().toMillis());
    assertThat(breach.output()).as(when).contains("authorization denied by plugin " + plugin).contains("container.privileged");
    Cli exec = engine.docker("exec", m.container("model-proxy"), "true");
    assertThat(exec.output()).as(when + ": the component the status names is protected").contains("admission.infrastructure");
    String name = sandboxes.nextName();
    String id = sandboxes.create(name, sandboxes.conforming(name));
    assertThat(id).as(when + ": OpenClaw's sandbox is allowed").matches("[0-9a-f]{64}");
    engine.docker("rm", "-f", name);
  }

  private Map<ResourceKey, String> resourceVersions() {
    Map<ResourceKey, String> out = new java.util.TreeMap<>(Comparator.comparing(ResourceKey::toString));
    for (ResourceKey key : List.of(m.gatewayKey(), m.policyKey(), m.allowlistKey())) out.put(key, server.get(key).getMetadata().getResourceVersion());
    return out;
  }

  private java.util.Optional<JsonNode> lastAction(String container) {
    JsonNode entry = KubeApiServer.hostEntry(server.status(m.policyKey()), host);
    for (JsonNode a : entry.path("lastActions")) if (a.path("container").asString().equals(container)) return java.util.Optional.of(a);
    return java.util.Optional.empty();
  }

  private boolean exists(String name) { return engine.docker("inspect", "-f", "{{.Id}}", name).ok(); }
}
