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
import java.util.Map;
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
 * Kubernetes mode against a real API server (1.31, started by hack/kube-apiserver.sh): what fabric8's mock cannot
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

  /** A whole operator for one Docker host name (all on the one test engine), with Events; closed after the test. */
  private final class Running implements AutoCloseable {
    final String host;
    final Operator operator;
    final KubernetesEvents events;
    private boolean closed;

    Running(String host, Path stateDir, Map<String, String> labels) throws Exception {
      this.host = host;
      KubernetesSource source = new KubernetesSource(client, m.run, host);
      this.events = new KubernetesEvents(client, source::uid, host);
      this.operator = Operator.start(source, docker.endpoint(), io.openclaw.operator.testing.OperatorHarness.options(host, labels, stateDir,
          Controller.Options.STALL_AFTER, true), Duration.ofSeconds(60), events, null);
      cleanup.add(this);
    }

    /** Stops it as a SIGTERM would: nothing of it acts any more. */
    @Override
    public void close() throws Exception {
      if (closed) return;
      closed = true;
      operator.close();
      events.close();
    }
  }

  private static String reason(JsonNode conditions, String type) {
    for (JsonNode c : conditions) if (c.path("type").asString().equals(type)) return c.path("reason").asString();
    return "";
  }

  private static String message(JsonNode conditions, String type) {
    for (JsonNode c : conditions) if (c.path("type").asString().equals(type)) return c.path("message").asString();
    return "";
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
    assertThat(hostB.writeGateway(key, 1, Outcome.stalled("Conflict", "network x belongs to y"), List.of(), "0/5")).isTrue();
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
        assertThat(get(m.gatewayKey()).getMetadata().getFinalizers()).contains(KubernetesSource.finalizer("host-a")));

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

  // ---- (b2) several hosts: the summary waits for every host's generation; each host's finalizer holds a deletion

  @Test
  void theSummaryIsReadyOnlyOnceEveryHostReportsTheCurrentGenerationAndAHostThatLeavesWithdrawsItsEntry() throws Exception {
    namespace();
    ResourceKey key = m.allowlistKey();
    create(m.allowlist("*.anthropic.com"));
    Running a = new Running("host-a", Files.createTempDirectory(docker.runId() + "-state-a"), Map.of());
    Running b = new Running("host-b", Files.createTempDirectory(docker.runId() + "-state-b"), Map.of());
    until("both hosts report generation 1 and the summary is Ready", Duration.ofSeconds(60), () -> {
      JsonNode s = status(key);
      for (String h : List.of("host-a", "host-b")) {
        assertThat(hostEntry(s, h).path("observedGeneration").asLong()).isEqualTo(1);
        assertThat(condition(hostEntry(s, h).path("conditions"), "Ready")).isEqualTo("True");
      }
      assertThat(condition(s.path("conditions"), "Ready")).isEqualTo("True");
    });

    b.close(); // host-b's operator is down while the spec changes
    server.client().genericKubernetesResources(io.openclaw.operator.source.ClusterManifests.KINDS.get("EgressAllowlist")).inNamespace(m.run)
        .withName(key.name()).edit(o -> {
          ((Map<String, Object>) o.getAdditionalProperties().get("spec")).put("domains", List.of("*.anthropic.com", "*.openai.com"));
          return o;
        });
    long generation = get(key).getMetadata().getGeneration();
    assertThat(generation).isEqualTo(2);
    until("host-a reports generation 2, Ready there", Duration.ofSeconds(60), () -> {
      JsonNode entry = hostEntry(status(key), "host-a");
      assertThat(entry.path("observedGeneration").asLong()).isEqualTo(2);
      assertThat(condition(entry.path("conditions"), "Ready")).isEqualTo("True");
    });
    Thread.sleep(2000); // long enough for a wrong summary to show
    JsonNode waiting = status(key);
    System.out.printf("host-b down, generation 2: host-a at %d, host-b at %d; summary Ready=%s Reconciling=%s (%s: %s)%n",
        hostEntry(waiting, "host-a").path("observedGeneration").asLong(), hostEntry(waiting, "host-b").path("observedGeneration").asLong(),
        condition(waiting.path("conditions"), "Ready"), condition(waiting.path("conditions"), "Reconciling"),
        reason(waiting.path("conditions"), "Reconciling"), message(waiting.path("conditions"), "Reconciling"));
    assertThat(waiting.path("observedGeneration").asLong()).isEqualTo(2);
    assertThat(condition(waiting.path("conditions"), "Ready")).as("host-b still runs generation 1").isEqualTo("False");
    assertThat(condition(waiting.path("conditions"), "Reconciling")).isEqualTo("True");
    assertThat(reason(waiting.path("conditions"), "Reconciling")).isEqualTo(io.openclaw.operator.status.StatusReason.WAITING_FOR_HOSTS.word);
    assertThat(message(waiting.path("conditions"), "Reconciling")).contains("host-b (generation 1)");
    assertThat(condition(waiting.path("conditions"), "Stalled")).isEqualTo("False");

    long t = System.nanoTime();
    new Running("host-b", Files.createTempDirectory(docker.runId() + "-state-b"), Map.of());
    until("host-b back: both at generation 2 and the summary Ready", Duration.ofSeconds(60), () -> {
      JsonNode s = status(key);
      assertThat(hostEntry(s, "host-b").path("observedGeneration").asLong()).isEqualTo(2);
      assertThat(condition(s.path("conditions"), "Ready")).isEqualTo("True");
      assertThat(s.path("conditions").get(0).path("observedGeneration").asLong()).isEqualTo(2);
    });
    System.out.printf("summary Ready %d ms after host-b's operator started again%n", (System.nanoTime() - t) / 1_000_000);

    // host-b no longer selected: it withdraws its entry, and the summary stands on host-a alone.
    server.client().genericKubernetesResources(io.openclaw.operator.source.ClusterManifests.KINDS.get("EgressAllowlist")).inNamespace(m.run)
        .withName(key.name()).edit(o -> {
          ((Map<String, Object>) o.getAdditionalProperties().get("spec")).put("hostSelector",
              Map.of("matchLabels", Map.of(io.openclaw.operator.api.HostScoped.HOST_NAME_LABEL, "host-a")));
          return o;
        });
    until("host-b's entry is withdrawn; Ready at generation 3 on host-a", Duration.ofSeconds(60), () -> {
      JsonNode s = status(key);
      assertThat(s.path("hosts")).extracting(h -> h.path("name").asString()).containsExactly("host-a");
      assertThat(hostEntry(s, "host-a").path("observedGeneration").asLong()).isEqualTo(3);
      assertThat(condition(s.path("conditions"), "Ready")).isEqualTo("True");
      assertThat(s.path("observedGeneration").asLong()).isEqualTo(3);
    });
  }

  @Test
  void eachHostsFinalizerHoldsADeletedGatewayDeploymentUntilThatHostHasTornDownEvenOneThatWasDownAndLostItsState() throws Exception {
    namespace();
    create(m.allowlist("*.anthropic.com"));
    create(m.gateway(""));
    ResourceKey key = m.gatewayKey();
    Running a = new Running("host-a", Files.createTempDirectory(docker.runId() + "-state-a"), Map.of());
    until("host-a runs the stack: Ready there", Duration.ofSeconds(120), () ->
        assertThat(condition(hostEntry(status(key), "host-a").path("conditions"), "Ready")).isEqualTo("True"));
    List<String> stack = List.of(m.container("gateway"), m.container("socket-proxy"), m.container("egress-proxy"));
    assertThat(docker.containerNames()).containsAll(stack);
    a.close(); // host-a's operator goes down (and, below, comes back without its state directory)

    // host-b acts on the same resource. On this one test engine the names are host-a's, so host-b reports a conflict;
    // on a host of its own it would run its own stack. What matters here: it holds the resource with its own finalizer.
    Running b = new Running("host-b", Files.createTempDirectory(docker.runId() + "-state-b"), Map.of());
    until("both hosts' finalizers on it", Duration.ofSeconds(60), () -> assertThat(get(key).getMetadata().getFinalizers())
        .containsExactlyInAnyOrder(KubernetesSource.finalizer("host-a"), KubernetesSource.finalizer("host-b")));
    until("host-b reports", Duration.ofSeconds(60), () -> assertThat(hostEntry(status(key), "host-b").isMissingNode()).isFalse());

    delete(key);
    until("host-b has torn down (nothing of its own) and let go", Duration.ofSeconds(60), () ->
        assertThat(get(key).getMetadata().getFinalizers()).containsExactly(KubernetesSource.finalizer("host-a")));
    Thread.sleep(2000);
    GenericKubernetesResource held = get(key);
    assertThat(held).as("held by host-a's finalizer while host-a's operator is down").isNotNull();
    assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(docker.containerNames()).as("host-b removed nothing it did not create").containsAll(stack);
    assertThat(hostEntry(status(key), "host-a").path("components").findValuesAsString("containerId"))
        .as("host-a's entry still names its containers").hasSizeGreaterThanOrEqualTo(5);
    b.close();

    long t = System.nanoTime();
    new Running("host-a", Files.createTempDirectory(docker.runId() + "-state-a-new"), Map.of()); // a fresh state directory: ownership from status
    until("host-a back: its containers removed, its finalizer removed, the object gone", Duration.ofSeconds(120), () -> {
      assertThat(get(key)).isNull();
      assertThat(docker.containerNames()).doesNotContainAnyElementsOf(stack);
    });
    System.out.printf("host-a's teardown and release after it started again: %d ms%n", (System.nanoTime() - t) / 1_000_000);
  }

  @Test
  void containersOfAGatewayDeploymentThatWentAwayWhileItsHostWasDownAreRemovedWhenItStarts() throws Exception {
    namespace();
    create(m.allowlist("*.anthropic.com"));
    create(m.gateway(""));
    ResourceKey key = m.gatewayKey();
    Path state = Files.createTempDirectory(docker.runId() + "-state-a");
    Running a = new Running("host-a", state, Map.of());
    until("host-a runs the stack", Duration.ofSeconds(120), () ->
        assertThat(condition(hostEntry(status(key), "host-a").path("conditions"), "Ready")).isEqualTo("True"));
    a.close();
    // Gone for good while host-a was down: deleted, and its finalizer taken off by hand.
    delete(key);
    server.client().genericKubernetesResources(io.openclaw.operator.source.ClusterManifests.KINDS.get("GatewayDeployment")).inNamespace(m.run)
        .withName(key.name()).edit(o -> {
          o.getMetadata().setFinalizers(List.of());
          return o;
        });
    until("the object is gone", Duration.ofSeconds(30), () -> assertThat(get(key)).isNull());
    assertThat(docker.containerNames()).contains(m.container("gateway"));

    long t = System.nanoTime();
    new Running("host-a", state, Map.of());
    until("host-a removes what it recorded for the resource, networks too", Duration.ofSeconds(120), () -> {
      assertThat(docker.containerNames()).doesNotContain(m.container("gateway"), m.container("socket-proxy"), m.container("egress-proxy"));
      assertThat(docker.api().inspectNetwork(m.internal())).isEmpty();
    });
    System.out.printf("leftovers of a resource gone while its host was down, removed %d ms after the start%n", (System.nanoTime() - t) / 1_000_000);
  }

  @Test
  void aKillLoopIsOneEventWithASeriesCountNotAnEventPerKill() throws Exception {
    namespace();
    create(m.allowlist("*.anthropic.com"));
    KubernetesSource source = source("host-a", new DesiredStore());
    int kills = 500;
    long t = System.nanoTime();
    KubernetesEvents events = new KubernetesEvents(client, source::uid, "host-a", Duration.ofMillis(500));
    for (int i = 0; i < kills; i++) events.event(m.allowlistKey(), "Warning", "KillContainer", "sandbox-" + i + ": sandbox.mounts");
    events.event(m.allowlistKey(), "Normal", "Ready", "Ready again (was ActionFailed): all good");
    Thread.sleep(1500); // a flush or two while the loop would go on
    for (int i = 0; i < kills; i++) events.event(m.allowlistKey(), "Warning", "KillContainer", "sandbox-" + i + ": sandbox.mounts");
    events.close();
    List<Event> recorded = client.events().v1().events().inNamespace(m.run).list().getItems();
    System.out.printf("%d kills and one transition: %d Event(s), %d API write(s) in %d ms%n", 2 * kills, recorded.size(), events.writes(),
        (System.nanoTime() - t) / 1_000_000);
    assertThat(recorded).hasSize(2);
    Event kill = recorded.stream().filter(e -> e.getReason().equals("KillContainer")).findFirst().orElseThrow();
    assertThat(kill.getType()).isEqualTo("Warning");
    assertThat(kill.getNote()).as("the first one's note").isEqualTo("sandbox-0: sandbox.mounts");
    assertThat(kill.getSeries()).isNotNull();
    assertThat(kill.getSeries().getCount()).isEqualTo(2 * kills);
    assertThat(kill.getSeries().getLastObservedTime()).isNotNull();
    Event ready = recorded.stream().filter(e -> e.getReason().equals("Ready")).findFirst().orElseThrow();
    assertThat(ready.getType()).isEqualTo("Normal");
    assertThat(ready.getSeries()).as("said once").isNull();
    assertThat(events.writes()).as("two creates and a few count updates, not one write per kill").isLessThanOrEqualTo(6);
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
        io.openclaw.operator.testing.OperatorHarness.options(host, java.util.Map.of(), java.nio.file.Files.createTempDirectory(docker.runId() + "-operator-state")),
        Duration.ofSeconds(60), events, null);
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
    until("an Event for the transition to Ready", Duration.ofSeconds(30), () ->
        assertThat(client.events().v1().events().inNamespace(m.run).list().getItems()).anySatisfy(e -> {
          assertThat(e.getRegarding().getName()).isEqualTo(m.gatewayKey().name());
          assertThat(e.getReason()).isEqualTo("Ready");
          assertThat(e.getType()).isEqualTo("Normal");
        }));

    // The Secret rotates: the new value is in the container within seconds (watched, not the 5-minute resync).
    String rotated = "sk-test-" + m.run + "-rotated-fedcba9876543210";
    String gatewayId = docker.api().inspectContainer(m.container("gateway")).orElseThrow().id();
    long t = System.nanoTime();
    client.secrets().inNamespace(m.run).withName("gateway").edit(sec -> {
      sec.setData(java.util.Map.of("token", java.util.Base64.getEncoder().encodeToString(rotated.getBytes(StandardCharsets.UTF_8))));
      return sec;
    });
    until("the rotated Secret's value is in the gateway", Duration.ofSeconds(60), () -> assertThat(
        new String(docker.api().readFile(m.container("gateway"), "/run/secrets/openclaw/token").orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo(rotated));
    System.out.printf("Kubernetes mode: rotated Secret delivered into the gateway %d ms after the update%n", (System.nanoTime() - t) / 1_000_000);
    assertThat(docker.api().inspectContainer(m.container("gateway")).orElseThrow().id()).as("redelivered and restarted, not recreated")
        .isEqualTo(gatewayId);
    until("Ready again after the redelivery", Duration.ofSeconds(60), () ->
        assertThat(condition(hostEntry(status(m.gatewayKey()), host).path("conditions"), "Ready")).isEqualTo("True"));
    assertThat(Yaml.json(get(m.gatewayKey()))).doesNotContain(rotated);

    delete(m.gatewayKey());
    until("teardown done and the object gone", Duration.ofSeconds(120), () -> {
      assertThat(get(m.gatewayKey())).isNull();
      assertThat(docker.containerNames()).containsExactly(bystander);
      assertThat(docker.api().inspectNetwork(m.internal())).isEmpty();
    });
    assertThat(docker.api().inspectContainer(bystander)).as("a container it did not make").isPresent();
  }
}
