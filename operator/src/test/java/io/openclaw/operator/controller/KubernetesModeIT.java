package io.openclaw.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.cli.Main;
import io.openclaw.operator.runtime.KubernetesEvents;
import io.openclaw.operator.runtime.LeaderElection;
import io.openclaw.operator.runtime.Operator;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.source.KubernetesSource;
import io.openclaw.operator.status.KubernetesStatusWriter;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.status.StatusAssembler;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.KubeApiServer;
import io.openclaw.operator.testing.TestManifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes mode against a real API server (1.20, started by hack/kube-apiserver.sh): what fabric8's mock cannot
 * show — server-side apply with one field manager per host, a finalizer holding a deleted object, Lease-based leader
 * election — and the whole operator end to end on the real Docker engine.
 */
class KubernetesModeIT {
  @RegisterExtension static DockerHost docker = new DockerHost();

  private static KubeApiServer server;
  private static Path kubeconfig;
  private static KubernetesClient client;

  private final TestManifests m = new TestManifests(docker.runId() + "-" + UUID.randomUUID().toString().substring(0, 4));
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeAll
  static void startApiServer() throws Exception {
    server = KubeApiServer.start();
    kubeconfig = server.kubeconfig();
    client = server.client();
  }

  @AfterAll
  static void stopApiServer() throws Exception {
    if (server != null) server.close();
  }

  @org.junit.jupiter.api.AfterEach
  void closeWhatTheTestStarted() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    Path stateDir = Path.of("/tmp", m.run); // the gateway's state directory on the host, when a test ran one
    if (Files.exists(stateDir)) {
      try (Stream<Path> paths = Files.walk(stateDir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  // ---- helpers

  private void namespace() {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(m.run).endMetadata().build()).create();
  }

  private static GenericKubernetesResource create(String yaml) { return server.create(yaml); }

  private static GenericKubernetesResource get(ResourceKey key) { return server.get(key); }

  private static void delete(ResourceKey key) { server.delete(key); }

  private static JsonNode status(ResourceKey key) { return server.status(key); }

  private static JsonNode hostEntry(JsonNode status, String host) { return KubeApiServer.hostEntry(status, host); }

  private static String condition(JsonNode conditions, String type) { return KubeApiServer.condition(conditions, type); }

  private KubernetesSource source(String host, DesiredStore store) throws Exception {
    KubernetesSource source = new KubernetesSource(client, m.run, host);
    cleanup.add(source);
    source.start(store);
    return source;
  }

  private static long until(String what, Duration timeout, ThrowingRunnable assertion) {
    long t = System.nanoTime();
    await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).untilAsserted(assertion);
    long ms = (System.nanoTime() - t) / 1_000_000;
    System.out.printf("%s: %d ms%n", what, ms);
    return ms;
  }

  // ---- (a) server-side apply: one field manager per host

  @Test
  void twoHostsStatusWritersEachOwnTheirEntryAndBothSurvive() throws Exception {
    namespace();
    create(m.allowlist("*.anthropic.com"));
    create(m.gateway(""));
    KubernetesStatusWriter a = (KubernetesStatusWriter) source("host-a", new DesiredStore()).statusWriter();
    KubernetesStatusWriter b = (KubernetesStatusWriter) source("host-b", new DesiredStore()).statusWriter();
    StatusAssembler hostA = new StatusAssembler(a, "host-a", Clock.systemUTC());
    StatusAssembler hostB = new StatusAssembler(b, "host-b", Clock.systemUTC());
    ResourceKey key = m.gatewayKey();

    assertThat(hostA.writeGateway(key, 1, Outcome.ready("all components run and conform"), List.of(), "5/5")).isTrue();
    until("host-b's watch sees host-a's entry", Duration.ofSeconds(30), () ->
        assertThat(b.read(key)).get().satisfies(s -> assertThat(s.hosts()).extracting(h -> h.name()).contains("host-a")));
    assertThat(hostB.writeGateway(key, 1, Outcome.stalled("ImageUnavailable", "image x is not present"), List.of(), "0/5")).isTrue();
    until("host-a's watch sees host-b's entry", Duration.ofSeconds(30), () ->
        assertThat(a.read(key)).get().satisfies(s -> assertThat(s.hosts()).extracting(h -> h.name()).contains("host-b")));
    // host-a writes again; its body carries only its own entry, so a list that were replaced whole would lose host-b.
    assertThat(hostA.writeGateway(key, 1, Outcome.reconciling("Progressing", "applied 1 change(s)"), List.of(), "4/5")).isTrue();

    JsonNode s = status(key);
    assertThat(s.path("hosts")).extracting(h -> h.path("name").asString()).containsExactlyInAnyOrder("host-a", "host-b");
    assertThat(condition(hostEntry(s, "host-a").path("conditions"), "Reconciling")).isEqualTo("True");
    assertThat(condition(hostEntry(s, "host-b").path("conditions"), "Stalled")).isEqualTo("True");
    assertThat(condition(s.path("conditions"), "Stalled")).as("the summary: stalled on one host is stalled").isEqualTo("True");

    List<ManagedFieldsEntry> managers = get(key).getMetadata().getManagedFields();
    for (String host : List.of("host-a", "host-b")) {
      ManagedFieldsEntry own = managers.stream().filter(e -> e.getManager().equals(KubernetesStatusWriter.fieldManager(host))).findFirst()
          .orElseThrow(() -> new AssertionError("no field manager for " + host + " in " + managers));
      assertThat(own.getOperation()).isEqualTo("Apply");
      String fields = Yaml.json(own.getFieldsV1());
      assertThat(fields).as(host + " owns its entry").contains("{\\\"name\\\":\\\"" + host + "\\\"}");
      String other = host.equals("host-a") ? "host-b" : "host-a";
      assertThat(fields).as(host + " does not own the other's entry").doesNotContain("{\\\"name\\\":\\\"" + other + "\\\"}");
    }
    assertThat(hostA.writeGateway(key, 1, Outcome.reconciling("Progressing", "applied 1 change(s)"), List.of(), "4/5"))
        .as("nothing new: not written").isFalse();
  }

  // ---- (b) the finalizer holds a deleted GatewayDeployment until its teardown is done

  @Test
  void aDeletedGatewayDeploymentStaysUntilReleasedAndIsThenGone() throws Exception {
    namespace();
    create(m.allowlist("*.anthropic.com"));
    DesiredStore store = new DesiredStore();
    KubernetesSource source = source("host-a", store);
    create(m.gateway(""));
    until("the finalizer is added", Duration.ofSeconds(30), () ->
        assertThat(get(m.gatewayKey()).getMetadata().getFinalizers()).contains(KubernetesSource.FINALIZER));

    delete(m.gatewayKey());
    until("the deletion reaches the store", Duration.ofSeconds(30), () -> assertThat(store.entry(m.gatewayKey()).orElseThrow().deleting()).isTrue());
    // The store saw an update with a deletion timestamp, not a delete: the finalizer is what holds it.
    GenericKubernetesResource held = get(m.gatewayKey());
    assertThat(held).as("still there after the delete reached the store: the finalizer holds it").isNotNull();
    assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();

    source.released(m.gatewayKey());
    until("released: the server removes it", Duration.ofSeconds(30), () -> assertThat(get(m.gatewayKey())).isNull());
    assertThat(store.entry(m.gatewayKey())).isEmpty();
  }

  // ---- (c) leader election

  @Test
  void ofTwoElectorsForOneHostExactlyOneLeadsAndTheOtherTakesOverWhenItStops() throws Exception {
    namespace();
    String host = m.run + "-host";
    AtomicInteger leaders = new AtomicInteger();
    List<LeaderElection> electors = new ArrayList<>();
    for (String id : List.of("replica-1", "replica-2")) {
      LeaderElection e = new LeaderElection(client, m.run, host, id, LeaderElection.Timing.DEFAULT);
      cleanup.add(e);
      electors.add(e);
      e.start(leaders::incrementAndGet, leaders::decrementAndGet);
    }
    until("one elector leads", Duration.ofSeconds(60), () -> assertThat(electors.stream().filter(LeaderElection::leading).count()).isEqualTo(1));
    // The leader renews at least twice (two retry periods at least) while the other keeps trying and must keep failing.
    java.util.Set<String> renewals = new java.util.HashSet<>();
    until("the leader renews twice", Duration.ofSeconds(60), () -> {
      renewals.add(String.valueOf(client.leases().inNamespace(m.run).withName(LeaderElection.leaseName(host)).get().getSpec().getRenewTime()));
      assertThat(renewals).hasSizeGreaterThanOrEqualTo(3);
    });
    assertThat(electors.stream().filter(LeaderElection::leading).count()).as("exactly one leads").isEqualTo(1);
    assertThat(leaders.get()).as("exactly one runs its controller").isEqualTo(1);
    LeaderElection leader = electors.stream().filter(LeaderElection::leading).findFirst().orElseThrow();
    LeaderElection standby = electors.stream().filter(e -> e != leader).findFirst().orElseThrow();
    Lease lease = client.leases().inNamespace(m.run).withName(LeaderElection.leaseName(host)).get();
    assertThat(lease).as("Lease " + LeaderElection.leaseName(host)).isNotNull();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leader.identityName());
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);

    long t = System.nanoTime();
    leader.close();
    until("the standby takes over after the leader stopped", Duration.ofSeconds(60), () -> assertThat(standby.leading()).isTrue());
    System.out.printf("takeover after a clean stop: %d ms (lease 15 s, retry 2 s)%n", (System.nanoTime() - t) / 1_000_000);
    assertThat(leader.leading()).isFalse();
    assertThat(leaders.get()).isEqualTo(1);
    assertThat(client.leases().inNamespace(m.run).withName(LeaderElection.leaseName(host)).get().getSpec().getHolderIdentity())
        .isEqualTo(standby.identityName());
  }

  @Test
  void runStopsAndExitsNonZeroWhenItLosesTheLease() throws Exception {
    namespace();
    String host = m.run + "-run";
    String lease = LeaderElection.leaseName(host);
    System.setProperty("kubeconfig", kubeconfig.toString());
    CompletableFuture<Integer> run;
    try {
      run = CompletableFuture.supplyAsync(() -> Main.execute("run", "--kubernetes", "-n", m.run, "--host-name", host,
          "--leader-election-namespace", m.run, "--http-address", "127.0.0.1:0"));
      until("run holds the lease", Duration.ofSeconds(60), () -> {
        Lease l = client.leases().inNamespace(m.run).withName(lease).get();
        assertThat(l).isNotNull();
        assertThat(l.getSpec().getHolderIdentity()).isNotBlank();
      });
    } finally {
      System.clearProperty("kubeconfig");
    }
    String firstRenewal = String.valueOf(client.leases().inNamespace(m.run).withName(lease).get().getSpec().getRenewTime());
    until("run renews the lease: it leads and its controller runs", Duration.ofSeconds(60), () ->
        assertThat(String.valueOf(client.leases().inNamespace(m.run).withName(lease).get().getSpec().getRenewTime())).isNotEqualTo(firstRenewal));
    assertThat(run).as("still running while it leads").isNotDone();

    // Another instance takes the lease (as after a partition): the old leader must stop acting and exit.
    long t = System.nanoTime();
    client.leases().inNamespace(m.run).withName(lease).edit(l -> {
      l.getSpec().setHolderIdentity("another-instance");
      l.getSpec().setRenewTime(ZonedDateTime.now());
      return l;
    });
    int code = run.get(90, TimeUnit.SECONDS);
    System.out.printf("run exited %d, %d ms after losing the lease%n", code, (System.nanoTime() - t) / 1_000_000);
    assertThat(code).as("non-zero, so a supervisor restarts it").isEqualTo(1);
  }

  // ---- the operator end to end: cluster → Docker host → status and Events in the cluster

  @Test
  void aGatewayDeploymentInTheClusterRunsOnTheHostAndDeletingItRemovesOnlyWhatItMade() throws Exception {
    namespace();
    String bystander = m.run + "-bystander";
    io.openclaw.operator.testing.Checks.exec("docker", "create", "--name", bystander, "--label", DockerHost.TEST_LABEL + "=" + docker.runId(),
        DockerHost.SANDBOX_IMAGE);
    String secret = "sk-test-" + m.run + "-do-not-leak-0123456789abcdef";
    client.secrets().inNamespace(m.run).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("gateway")
        .endMetadata().addToData("token", java.util.Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))).build()).create();
    create(m.allowlist("*.anthropic.com"));
    create(m.gateway("").replace("stateDir: " + m.stateDir(), "stateDir: " + m.stateDir()
        + "\n    secrets: [{name: token, mountPath: /run/secrets/openclaw/token, secretRef: {name: gateway, key: token}}]"));
    String host = "it-host";
    KubernetesSource source = new KubernetesSource(client, m.run, host);
    KubernetesEvents events = new KubernetesEvents(client, source::uid, host);
    Operator operator = Operator.start(source, docker.endpoint(),
        new Controller.Options(host, java.util.Map.of(), Duration.ofMinutes(5), 2, 4, Clock.systemUTC(), Files.createTempDirectory("it-operator-state"), java.nio.file.Path.of("/"), true, "test", null), Duration.ofSeconds(60), events);
    cleanup.add(events);
    cleanup.add(operator);

    until("Ready in the cluster's status", Duration.ofSeconds(120), () -> {
      JsonNode s = status(m.gatewayKey());
      assertThat(condition(hostEntry(s, host).path("conditions"), "Ready")).isEqualTo("True");
      assertThat(condition(s.path("conditions"), "Ready")).isEqualTo("True");
    });
    assertThat(docker.containerNames()).contains(m.container("gateway"), m.container("egress-proxy"), bystander);
    byte[] inside = docker.api().readFile(m.container("gateway"), "/run/secrets/openclaw/token").orElseThrow();
    assertThat(new String(inside, StandardCharsets.UTF_8)).as("the Secret's key, decoded, as a file").isEqualTo(secret);
    assertThat(io.openclaw.operator.testing.Checks.exec("docker", "exec", m.container("gateway"), "ls", "-ln", "/run/secrets/openclaw/token"))
        .as("mode 0600, owned by the gateway's user").startsWith("-rw-------").contains(" 1000 ");
    assertThat(Yaml.json(get(m.gatewayKey()))).as("the object and its status").doesNotContain(secret);
    until("the EgressAllowlist's status reports this host", Duration.ofSeconds(60), () ->
        assertThat(hostEntry(status(m.allowlistKey()), host).isMissingNode()).isFalse());
    List<Event> recorded = client.events().v1().events().inNamespace(m.run).list().getItems();
    assertThat(recorded).as("no Event carries the secret").noneMatch(e -> Yaml.json(e).contains(secret));
    assertThat(recorded).as("an Event for every action").anySatisfy(e -> {
      assertThat(e.getRegarding().getName()).isEqualTo(m.gatewayKey().name());
      assertThat(e.getRegarding().getUid()).isEqualTo(get(m.gatewayKey()).getMetadata().getUid());
      assertThat(e.getReason()).isEqualTo("CreateContainer");
    });

    delete(m.gatewayKey());
    until("teardown done and the object gone", Duration.ofSeconds(120), () -> {
      assertThat(get(m.gatewayKey())).isNull();
      assertThat(docker.containerNames()).containsExactly(bystander);
      assertThat(docker.api().inspectNetwork(m.internal())).isEmpty();
    });
    assertThat(docker.api().inspectContainer(bystander)).as("a container it did not make").isPresent();
  }
}
