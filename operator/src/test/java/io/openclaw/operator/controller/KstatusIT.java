package io.openclaw.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.runtime.KubernetesEvents;
import io.openclaw.operator.runtime.Operator;
import io.openclaw.operator.source.ClusterManifests;
import io.openclaw.operator.source.KubernetesSource;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.KubeApiServer;
import io.openclaw.operator.testing.Kstatus;
import io.openclaw.operator.testing.TestManifests;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * What Flux and kpt make of our resources: kstatus (sigs.k8s.io/cli-utils' {@code status.Compute}, run by
 * hack/kstatus.sh) of each version of a GatewayDeployment the API server hands out, through its life in Kubernetes
 * mode — a real API server (hack/kube-apiserver.sh), the operator on the real Docker engine. kstatus's rules, in its
 * order: a deletionTimestamp is Terminating; status.observedGeneration other than metadata.generation is InProgress;
 * Reconciling=True is InProgress, Stalled=True is Failed; Ready=True is Current, Ready=False InProgress; an object
 * with none of these is Current. So the truth per step: created but not yet seen by the operator, InProgress (the
 * CRDs default status.observedGeneration to 0 for this); reconciling, InProgress; ready, Current; a spec change not
 * yet observed, InProgress; an invalid spec, which only a change of the spec can fix, Failed; an image the host does
 * not have and cannot pull, which needs someone to load it or change the reference, Failed; deleting, Terminating.
 */
class KstatusIT {
  @RegisterExtension static DockerHost docker = new DockerHost();

  private static KubeApiServer server;
  private static KubernetesClient client;

  private final TestManifests m = new TestManifests(docker.runId() + "-" + UUID.randomUUID().toString().substring(0, 4));
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  /** Every version of the GatewayDeployment the watch delivered, in order, as JSON. */
  private final List<String> versions = new CopyOnWriteArrayList<>();
  private final List<String> table = new ArrayList<>();

  @BeforeAll
  static void startApiServer() throws Exception {
    server = KubeApiServer.start();
    client = server.client();
  }

  @AfterAll
  static void stopApiServer() throws Exception {
    if (server != null) server.close();
  }

  @AfterEach
  void closeWhatTheTestStarted() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    if (!table.isEmpty()) {
      System.out.printf("%nkstatus of GatewayDeployment %s on %s:%n%-16s | %-9s | %-56s | %s%n", m.run, client.getKubernetesVersion().getGitVersion(),
          "step", "gen/obs", "conditions (True ones, reason)", "kstatus");
      table.forEach(System.out::println);
      System.out.println();
    }
  }

  @Test
  void eachStepOfAGatewayDeploymentsLifeReadsAsKstatusDefinesIt() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(m.run).endMetadata().build()).create();
    Watch watch = client.genericKubernetesResources(ClusterManifests.KINDS.get("GatewayDeployment")).inNamespace(m.run)
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, GenericKubernetesResource resource) { versions.add(Yaml.json(resource)); }

          @Override
          public void onClose(WatcherException cause) { }
        });
    cleanup.add(watch::close);
    server.create(m.allowlist("*.anthropic.com"));
    server.create(m.policy(""));
    server.create(m.gateway(""));

    // created: nobody has looked at it yet
    for (ResourceKey key : List.of(m.gatewayKey(), m.policyKey(), m.allowlistKey())) {
      step("created", Yaml.json(server.get(key)), "InProgress");
    }

    String host = "it-kstatus";
    KubernetesSource source = new KubernetesSource(client, m.run, host);
    KubernetesEvents events = new KubernetesEvents(client, source::uid, host);
    Operator operator = Operator.start(source, docker.endpoint(),
        // A missing image is retried as Reconciling for stallAfter, then reported Stalled: a short one here.
        io.openclaw.operator.testing.OperatorHarness.options(host, Map.of(), java.nio.file.Files.createTempDirectory(docker.runId() + "-operator-state"),
            Duration.ofSeconds(5), false),
        Duration.ofSeconds(60), events, null);
    cleanup.add(events);
    cleanup.add(operator);

    step("reconciling", version("Reconciling=True", 1, observed(1).and(holds("Reconciling", ""))), "InProgress");
    step("ready", version("Ready=True", 1, observed(1).and(holds("Ready", ""))), "Current");
    for (ResourceKey key : List.of(m.policyKey(), m.allowlistKey())) {
      await(key + " Ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        JsonNode o = Yaml.tree(server.get(key));
        return observed(o.at("/metadata/generation").asLong()).and(holds("Ready", "")).test(o);
      });
      step("ready", Yaml.json(server.get(key)), "Current");
    }

    // invalid spec: a memory limit below Docker's 6 MiB passes the schema, not the operator's rules
    edit(g -> g.replace("resources: {memory: 256Mi, cpus: \"0.5\", pidsLimit: 128}", "resources: {memory: 1Mi, cpus: \"0.5\", pidsLimit: 128}"));
    step("spec changed", version("generation 2, observed 1", 2, observed(1)), "InProgress");
    step("invalid spec", version("Stalled=True, InvalidSpec", 2, observed(2).and(holds("Stalled", "InvalidSpec"))), "Failed");

    // image missing: valid again, but nothing can provide the gateway's image
    edit(g -> g.replace("resources: {memory: 1Mi", "resources: {memory: 256Mi").replace("image: openclaw-standin/gateway:dev", "image: 127.0.0.1:1/missing:0"));
    step("image missing, retrying", version("Reconciling=True, ProgressingWithRetry", 3, observed(3).and(holds("Reconciling", "ProgressingWithRetry"))),
        "InProgress");
    step("image missing", version("Stalled=True, ImageUnavailable", 3, observed(3).and(holds("Stalled", "ImageUnavailable"))), "Failed");

    server.delete(m.gatewayKey());
    // (setting the deletionTimestamp raises the generation: 4 now)
    step("deleting", version("deletionTimestamp", 4, o -> o.at("/metadata/deletionTimestamp").isString()), "Terminating");
    await("the GatewayDeployment is gone").atMost(Duration.ofSeconds(120)).until(() -> server.get(m.gatewayKey()) == null);
  }

  // ---- helpers

  /** A merge patch of the whole spec, so the operator's status writes in between cause no conflict. */
  private void edit(java.util.function.UnaryOperator<String> change) {
    JsonNode spec = Yaml.MAPPER.readTree(change.apply(m.gateway(""))).path("spec");
    client.genericKubernetesResources(ClusterManifests.KINDS.get("GatewayDeployment")).inNamespace(m.run).withName(m.gatewayKey().name())
        .patch(PatchContext.of(PatchType.JSON_MERGE), Yaml.json(Yaml.JSON.createObjectNode().set("spec", spec)));
  }

  /** Condition {@code type} is True, with {@code reason} unless that is empty. */
  private static Predicate<JsonNode> holds(String type, String reason) {
    return o -> {
      for (JsonNode c : o.at("/status/conditions")) {
        if (c.path("type").asString().equals(type) && c.path("status").asString().equals("True")
            && (reason.isEmpty() || c.path("reason").asString().equals(reason))) return true;
      }
      return false;
    };
  }

  private static Predicate<JsonNode> observed(long generation) {
    return o -> o.at("/status/observedGeneration").isNumber() && o.at("/status/observedGeneration").asLong() == generation;
  }

  /** The first version the watch delivered with this generation that matches; waits up to two minutes for it. */
  private String version(String what, long generation, Predicate<JsonNode> matching) {
    long t = System.nanoTime();
    String[] found = new String[1];
    await("a version of the GatewayDeployment with " + what + " (generation " + generation + ")").atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100)).until(() -> {
          Optional<String> v = versions.stream().filter(json -> {
            JsonNode o = Yaml.JSON.readTree(json);
            return o.at("/metadata/generation").asLong() == generation && matching.test(o);
          }).findFirst();
          v.ifPresent(json -> found[0] = json);
          return v.isPresent();
        });
    System.out.printf("%s: %d ms%n", what, (System.nanoTime() - t) / 1_000_000);
    return found[0];
  }

  private static String abbreviated(String text) { return text.length() <= 110 ? text : text.substring(0, 107) + "..."; }

  /** kstatus of this version must be {@code expected}; the row goes into the table printed after the test. */
  private void step(String step, String json, String expected) {
    JsonNode o = Yaml.JSON.readTree(json);
    Kstatus.Result kstatus = Kstatus.of(json);
    List<String> held = new ArrayList<>();
    for (JsonNode c : o.at("/status/conditions")) {
      if (c.path("status").asString().equals("True")) held.add(c.path("type").asString() + " (" + c.path("reason").asString() + ")");
    }
    String object = o.path("kind").asString().replaceAll("[a-z]", "");
    String gen = o.at("/metadata/generation").asLong() + "/" + (o.at("/status/observedGeneration").isMissingNode() ? "-" : o.at("/status/observedGeneration").asLong());
    table.add(String.format("%-16s | %-9s | %-56s | %s", step + (object.equals("GD") ? "" : " (" + object + ")"), gen,
        held.isEmpty() ? "none" : String.join(", ", held), abbreviated(kstatus.toString())));

    assertThat(kstatus.status()).as("kstatus of %s %s when %s: %s", o.path("kind").asString(), o.at("/metadata/name").asString(), step, kstatus)
        .isEqualTo(expected);
  }
}
