package io.openclaw.operator.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.openclaw.operator.api.Condition;
import io.openclaw.operator.api.DomainRules;
import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentStatus;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SecretKeyRef;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.runtime.KubernetesEvents;
import io.openclaw.operator.status.KubernetesStatusWriter;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.status.StatusAssembler;
import io.openclaw.operator.testing.TestManifests;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Kubernetes source against fabric8's mock API server (CRUD mode): objects reach the store through the manifest
 * pipeline, invalid ones keep the last valid version, the finalizer guards a GatewayDeployment's teardown. Server-side
 * apply and Leases need a real server: see KubernetesApiServerIT.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesSourceTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  private static final Duration WAIT = Duration.ofSeconds(20);
  /** The mock server logs every request through java.util.logging; held here so the setting is not collected. */
  private static final java.util.logging.Logger MOCK_LOG = quiet(java.util.logging.Logger.getLogger("io.fabric8.mockwebserver"));

  private static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }
  /** Each test its own namespace: the mock server's objects outlive a test. */
  private final TestManifests m = new TestManifests("kt-" + UUID.randomUUID().toString().substring(0, 6));
  private final DesiredStore store = new DesiredStore();
  private final List<KubernetesSource> sources = new ArrayList<>();

  @AfterEach
  void stopSources() {
    sources.forEach(KubernetesSource::close);
  }

  private KubernetesSource start(String namespace) throws Exception {
    KubernetesSource source = new KubernetesSource(client, namespace, "host-a");
    sources.add(source);
    source.start(store);
    return source;
  }

  private static GenericKubernetesResource object(String yaml) {
    return Yaml.JSON.treeToValue(Yaml.MAPPER.readTree(yaml), GenericKubernetesResource.class);
  }

  private static GenericKubernetesResource create(String yaml) {
    GenericKubernetesResource o = object(yaml);
    return client.genericKubernetesResources(ClusterManifests.KINDS.get(o.getKind())).inNamespace(o.getMetadata().getNamespace())
        .resource(o).create();
  }

  /** Replaces spec with the one in {@code yaml}, as kubectl apply would. */
  private static void update(String yaml) {
    GenericKubernetesResource wanted = object(yaml);
    ResourceKey key = ResourceKey.of(wanted);
    var resource = client.genericKubernetesResources(ClusterManifests.KINDS.get(key.kind())).inNamespace(key.namespace()).withName(key.name());
    resource.edit(current -> {
      current.setAdditionalProperty("spec", wanted.getAdditionalProperties().get("spec"));
      return current;
    });
  }

  private static GenericKubernetesResource get(ResourceKey key) {
    return client.genericKubernetesResources(ClusterManifests.KINDS.get(key.kind())).inNamespace(key.namespace()).withName(key.name()).get();
  }

  private static void delete(ResourceKey key) {
    client.genericKubernetesResources(ClusterManifests.KINDS.get(key.kind())).inNamespace(key.namespace()).withName(key.name()).delete();
  }

  private DesiredStore.Entry entry(ResourceKey key) {
    return store.entry(key).orElseThrow(() -> new AssertionError(key + " is not in the store"));
  }

  private void until(String what, org.awaitility.core.ThrowingRunnable assertion) {
    long start = System.nanoTime();
    await(what).atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion);
    System.out.printf("%s: %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
  }

  private String withDomains(String... domains) {
    return m.allowlist(domains);
  }

  @Test
  void createUpdateAndDeleteOfEachKindReachTheStore() throws Exception {
    create(withDomains("*.anthropic.com"));
    KubernetesSource source = start(null);
    assertThat(store.synced()).as("synced after the initial list").isTrue();
    assertThat(entry(m.allowlistKey()).inForce().as(EgressAllowlist.class).getSpec().domains()).containsExactly("*.anthropic.com");

    create(m.gateway(""));
    create(m.policy("maxConcurrent: 3"));
    until("gateway and policy reach the store", () -> {
      assertThat(entry(m.gatewayKey()).valid()).isTrue();
      assertThat(entry(m.policyKey()).inForce().as(SandboxPolicy.class).getSpec().maxConcurrent()).isEqualTo(3);
    });
    // Defaults from the CRD schema are applied, as the API server would.
    GatewayDeployment gateway = entry(m.gatewayKey()).inForce().as(GatewayDeployment.class);
    assertThat(gateway.getSpec().foreignContainers()).isNotNull();
    assertThat(gateway.getSpec().gateway().stateDir()).isEqualTo(m.stateDir());
    assertThat(entry(m.gatewayKey()).generation()).isEqualTo(get(m.gatewayKey()).getMetadata().getGeneration());

    update(withDomains("*.anthropic.com", "*.openai.com"));
    update(m.policy("maxConcurrent: 5"));
    update(m.gateway("foreignContainers: kill"));
    until("updates of all three kinds reach the store", () -> {
      assertThat(entry(m.allowlistKey()).inForce().as(EgressAllowlist.class).getSpec().domains()).containsExactly("*.anthropic.com", "*.openai.com");
      assertThat(entry(m.policyKey()).inForce().as(SandboxPolicy.class).getSpec().maxConcurrent()).isEqualTo(5);
      assertThat(entry(m.gatewayKey()).inForce().as(GatewayDeployment.class).getSpec().foreignContainers().name()).isEqualTo("KILL");
    });
    for (ResourceKey key : List.of(m.allowlistKey(), m.policyKey(), m.gatewayKey())) {
      assertThat(entry(key).generation()).as(key + " generation is metadata.generation").isEqualTo(get(key).getMetadata().getGeneration());
    }

    delete(m.policyKey());
    delete(m.allowlistKey());
    delete(m.gatewayKey());
    until("deletions mark all three for teardown", () -> {
      assertThat(entry(m.policyKey()).deleting()).isTrue();
      assertThat(entry(m.allowlistKey()).deleting()).isTrue();
      assertThat(entry(m.gatewayKey()).deleting()).isTrue();
    });
    source.released(m.policyKey());
    source.released(m.allowlistKey());
    source.released(m.gatewayKey());
    until("released resources leave the store and the cluster", () -> {
      assertThat(store.keys()).doesNotContain(m.policyKey(), m.allowlistKey(), m.gatewayKey());
      assertThat(get(m.gatewayKey())).isNull();
    });
  }

  @Test
  void anInvalidUpdateKeepsTheLastValidVersionAndRecordsTheProblem() throws Exception {
    create(withDomains("*.anthropic.com"));
    start(m.run);
    Manifest valid = entry(m.allowlistKey()).inForce();

    // A CEL-only rule: a 1.20 server would accept this object, the operator must not.
    update(withDomains("*"));
    until("the bare wildcard is recorded as a problem", () -> assertThat(entry(m.allowlistKey()).problems())
        .extracting(Problem::message).anySatisfy(msg -> assertThat(msg).contains(DomainRules.BARE_WILDCARD)));
    assertThat(entry(m.allowlistKey()).inForce()).as("the last valid version stays in force").isSameAs(valid);
    assertThat(entry(m.allowlistKey()).valid()).isFalse();

    // A schema violation (the mock, like a server without the CRD's schema, stores anything).
    GenericKubernetesResource typo = object(m.allowlist("*.anthropic.com"));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) typo.getAdditionalProperties().get("spec");
    spec.put("domainz", List.of("evil.example"));
    update(Yaml.json(typo));
    until("the unknown field is recorded with its path", () -> assertThat(entry(m.allowlistKey()).problems())
        .anySatisfy(p -> {
          assertThat(p.field()).isEqualTo("spec.domainz");
          assertThat(p.message()).startsWith("unknown field");
        }));
    assertThat(entry(m.allowlistKey()).inForce()).isSameAs(valid);

    update(withDomains("*.openai.com"));
    until("a fixed spec is in force and the problems are gone", () -> {
      assertThat(entry(m.allowlistKey()).problems()).isEmpty();
      assertThat(entry(m.allowlistKey()).inForce().as(EgressAllowlist.class).getSpec().domains()).containsExactly("*.openai.com");
    });
  }

  @Test
  void anObjectThatWasNeverValidHasNothingInForceAndSaysWhy() throws Exception {
    create(m.gateway("")); // its EgressAllowlist does not exist
    start(m.run);
    DesiredStore.Entry e = entry(m.gatewayKey());
    assertThat(e.inForce()).isNull();
    assertThat(e.problems()).extracting(Problem::toString)
        .anySatisfy(p -> assertThat(p).contains("spec.egressProxy.allowlistRef.name").contains("no EgressAllowlist"));
  }

  @Test
  void aStatusWriteOrAFinalizerDoesNotMakeTheStoreNotifyAgain() throws Exception {
    create(withDomains("*.anthropic.com"));
    create(m.gateway(""));
    KubernetesSource source = start(m.run);
    until("the finalizer is added", () -> assertThat(get(m.gatewayKey()).getMetadata().getFinalizers()).contains(KubernetesSource.finalizer("host-a")));
    List<ResourceKey> notified = new java.util.concurrent.CopyOnWriteArrayList<>();
    store.addListener((key, before, after) -> notified.add(key));
    GenericKubernetesResource withStatus = get(m.allowlistKey());
    withStatus.setAdditionalProperty("status", Map.of("observedGeneration", 1, "domains", 1));
    long recomputes = source.recomputes();
    client.genericKubernetesResources(ClusterManifests.KINDS.get("EgressAllowlist")).inNamespace(m.run).resource(withStatus).updateStatus();
    until("the status is seen and the store recomputed from it", () -> {
      assertThat(source.statusWriter().read(m.allowlistKey())).isPresent();
      assertThat(source.recomputes()).isGreaterThan(recomputes);
    });
    assertThat(notified).as("a status write is no change of the desired state (else every write would reconcile again)").isEmpty();

    update(withDomains("*.anthropic.com", "*.openai.com"));
    until("a spec change is heard", () -> assertThat(notified).contains(m.allowlistKey()));
  }

  @Test
  void aGatewayGetsTheFinalizerWhenFirstSeenAndLosesItOnlyWhenReleased() throws Exception {
    create(withDomains("*.anthropic.com"));
    KubernetesSource source = start(m.run);
    create(m.gateway(""));
    until("the finalizer is added", () -> assertThat(get(m.gatewayKey()).getMetadata().getFinalizers()).contains(KubernetesSource.finalizer("host-a")));
    assertThat(get(m.allowlistKey()).getMetadata().getFinalizers()).as("only GatewayDeployments make things on the host").isNullOrEmpty();

    delete(m.gatewayKey());
    until("the deletion marks it for teardown", () -> assertThat(entry(m.gatewayKey()).deleting()).isTrue());
    // Seen as deleting (an update with a deletion timestamp, not a delete): the finalizer is what holds it.
    assertThat(get(m.gatewayKey())).as("held by the finalizer until released").isNotNull();
    assertThat(get(m.gatewayKey()).getMetadata().getDeletionTimestamp()).isNotNull();

    source.released(m.gatewayKey());
    until("released: the object is gone", () -> assertThat(get(m.gatewayKey())).isNull());
    assertThat(store.entry(m.gatewayKey())).isEmpty();
  }

  @Test
  void aGatewayDeletedWhileNoOperatorRanIsTornDownAtStartAndLosesTheSharedFinalizerOfEarlierVersions() throws Exception {
    create(withDomains("*.anthropic.com"));
    GenericKubernetesResource gateway = object(m.gateway(""));
    gateway.getMetadata().setFinalizers(List.of(KubernetesSource.LEGACY_FINALIZER));
    client.genericKubernetesResources(ClusterManifests.KINDS.get("GatewayDeployment")).inNamespace(m.run).resource(gateway).create();
    delete(m.gatewayKey());
    assertThat(get(m.gatewayKey()).getMetadata().getDeletionTimestamp()).isNotNull();

    KubernetesSource source = start(m.run);
    assertThat(entry(m.gatewayKey()).deleting()).as("known and marked for teardown at once").isTrue();
    assertThat(entry(m.gatewayKey()).inForce()).as("what it was, so teardown knows what it made").isNotNull();
    source.released(m.gatewayKey());
    until("released: the object is gone", () -> assertThat(get(m.gatewayKey())).isNull());
  }

  @Test
  void eachHostHoldsADeletedGatewayWithItsOwnFinalizerUntilItReleasesIt() throws Exception {
    create(withDomains("*.anthropic.com"));
    KubernetesSource a = start(m.run);
    DesiredStore storeB = new DesiredStore();
    KubernetesSource b = new KubernetesSource(client, m.run, "host-b");
    sources.add(b);
    b.start(storeB);
    create(m.gateway(""));
    until("both hosts' finalizers are added", () -> assertThat(get(m.gatewayKey()).getMetadata().getFinalizers())
        .containsExactlyInAnyOrder(KubernetesSource.finalizer("host-a"), KubernetesSource.finalizer("host-b")));

    delete(m.gatewayKey());
    until("both mark it for teardown", () -> {
      assertThat(entry(m.gatewayKey()).deleting()).isTrue();
      assertThat(storeB.entry(m.gatewayKey()).orElseThrow().deleting()).isTrue();
    });
    a.released(m.gatewayKey());
    until("host-a's finalizer is gone", () -> assertThat(get(m.gatewayKey()).getMetadata().getFinalizers())
        .containsExactly(KubernetesSource.finalizer("host-b")));
    assertThat(get(m.gatewayKey())).as("held by host-b until host-b has torn down").isNotNull();
    assertThat(store.entry(m.gatewayKey())).as("host-a is done with it").isEmpty();
    assertThat(storeB.entry(m.gatewayKey()).orElseThrow().deleting()).isTrue();

    b.released(m.gatewayKey());
    until("released by both: the object is gone", () -> assertThat(get(m.gatewayKey())).isNull());
  }

  @Test
  void aHostTheHostSelectorDoesNotSelectPutsNoFinalizerAndOneNoLongerSelectedTakesItsOff() throws Exception {
    create(withDomains("*.anthropic.com"));
    DesiredStore storeB = new DesiredStore(Map.of("zone", "b"));
    KubernetesSource b = new KubernetesSource(client, m.run, "host-b");
    sources.add(b);
    b.start(storeB);
    start(m.run); // host-a: every resource
    create(m.gateway("hostSelector: {matchLabels: {zone: b}}"));
    until("both hosts act on it", () -> assertThat(get(m.gatewayKey()).getMetadata().getFinalizers())
        .containsExactlyInAnyOrder(KubernetesSource.finalizer("host-a"), KubernetesSource.finalizer("host-b")));

    update(m.gateway("hostSelector: {matchLabels: {zone: c}}"));
    until("host-b tears down what it made there", () -> assertThat(storeB.entry(m.gatewayKey()).orElseThrow().deleting()).isTrue());
    b.released(m.gatewayKey());
    until("host-b's finalizer is gone, the object stays", () -> assertThat(get(m.gatewayKey()).getMetadata().getFinalizers())
        .containsExactly(KubernetesSource.finalizer("host-a")));
    assertThat(storeB.entry(m.gatewayKey())).isEmpty();
    Thread.sleep(500); // a recompute after the release must not put it back
    assertThat(get(m.gatewayKey()).getMetadata().getFinalizers()).containsExactly(KubernetesSource.finalizer("host-a"));
  }

  @Test
  void aFinalizerNameIsValidForAnyHostNameAndDistinctForDistinctHosts() {
    assertThat(KubernetesSource.finalizer("docker-1.example.com")).isEqualTo("hardening.openclaw.io/cleanup-docker-1.example.com");
    assertThat(KubernetesSource.finalizer("Host A:2376")).isEqualTo("hardening.openclaw.io/cleanup-Host-A-2376");
    String long1 = KubernetesSource.finalizer("h".repeat(80) + "1");
    String long2 = KubernetesSource.finalizer("h".repeat(80) + "2");
    assertThat(long1).isNotEqualTo(long2);
    for (String f : List.of(long1, long2, KubernetesSource.finalizer("trailing.-"))) {
      String name = f.substring(f.indexOf('/') + 1);
      assertThat(name).hasSizeLessThanOrEqualTo(63).matches("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    }
  }

  @Test
  void aChangedSecretThatAGatewayNamesReconcilesThatGatewayOnly() throws Exception {
    create(withDomains("*.anthropic.com"));
    create(m.gateway("").replace("stateDir: " + m.stateDir(), "stateDir: " + m.stateDir()
        + "\n    secrets: [{name: token, mountPath: /run/t, secretRef: {name: tok, key: v}}]"));
    start(m.run);
    List<ResourceKey> reconciled = new java.util.concurrent.CopyOnWriteArrayList<>();
    store.addInputListener(reconciled::add);
    client.secrets().inNamespace(m.run).resource(new SecretBuilder().withNewMetadata().withName("other").withNamespace(m.run).endMetadata()
        .addToData("v", "b2xk").build()).create();
    client.secrets().inNamespace(m.run).resource(new SecretBuilder().withNewMetadata().withName("tok").withNamespace(m.run).endMetadata()
        .addToData("v", "b2xk").build()).create();
    until("the gateway that reads it is reconciled", () -> assertThat(reconciled).contains(m.gatewayKey()));
    reconciled.clear();
    client.secrets().inNamespace(m.run).withName("tok").edit(sec -> {
      sec.setData(Map.of("v", "bmV3"));
      return sec;
    });
    until("a rotation reconciles it again", () -> assertThat(reconciled).containsOnly(m.gatewayKey()));
  }

  @Test
  void aResourceCreatedAgainBeforeReleaseIsNotReleased() throws Exception {
    create(withDomains("*.anthropic.com"));
    KubernetesSource source = start(m.run);
    delete(m.allowlistKey());
    until("deleted", () -> assertThat(entry(m.allowlistKey()).deleting()).isTrue());
    create(withDomains("*.openai.com"));
    until("created again", () -> assertThat(entry(m.allowlistKey()).deleting()).isFalse());
    source.released(m.allowlistKey()); // a late release of the old one
    assertThat(entry(m.allowlistKey()).inForce().as(EgressAllowlist.class).getSpec().domains()).containsExactly("*.openai.com");
  }

  @Test
  void aStatusWriteAppliesOnlyThisHostsEntryAndReadsEveryHostsEntry() throws Exception {
    create(withDomains("*.anthropic.com"));
    create(m.gateway(""));
    // Another host's operator already reported: Stalled there.
    GenericKubernetesResource withStatus = get(m.gatewayKey());
    Condition stalled = new Condition(Condition.STALLED, "True", "ImageUnavailable", "image missing", "2026-01-01T00:00:00Z", 1L);
    var other = new GatewayDeploymentStatus.Host("host-b", 1L, List.of(stalled), List.of());
    withStatus.setAdditionalProperty("status", Yaml.JSON.convertValue(new GatewayDeploymentStatus(1L, List.of(stalled), "0/5", List.of(other)), Map.class));
    client.genericKubernetesResources(ClusterManifests.KINDS.get("GatewayDeployment")).inNamespace(m.run).resource(withStatus).updateStatus();

    KubernetesSource source = start(m.run);
    KubernetesStatusWriter writer = (KubernetesStatusWriter) source.statusWriter();
    until("the other host's entry is read back", () -> assertThat(writer.read(m.gatewayKey())).get()
        .satisfies(s -> assertThat(s.hosts()).extracting(h -> h.name()).containsExactly("host-b")));

    // The mock has no server-side apply: answer the apply as a server would, and keep the request.
    List<Applied> applies = new java.util.concurrent.CopyOnWriteArrayList<>();
    String path = "/apis/hardening.openclaw.io/v1alpha1/namespaces/" + m.run + "/gatewaydeployments/" + m.run
        + "/status?fieldManager=openclaw-docker-operator.host-a&force=true";
    JsonNode inCluster = Yaml.tree(get(m.gatewayKey())); // read now: the reply runs on the mock's event loop
    server.expect().patch().withPath(path).andReply(200, request -> {
      String text = request.getUtf8Body(); // the body can be read once
      applies.add(new Applied(request.getHeader("Content-Type"), text));
      ObjectNode applied = (ObjectNode) Yaml.JSON.readTree(text);
      ObjectNode merged = (ObjectNode) inCluster.deepCopy();
      ObjectNode status = (ObjectNode) applied.get("status").deepCopy();
      tools.jackson.databind.node.ArrayNode hosts = status.putArray("hosts");
      merged.path("status").path("hosts").forEach(hosts::add);
      applied.path("status").path("hosts").forEach(hosts::add);
      merged.set("status", status);
      ((ObjectNode) merged.get("metadata")).put("resourceVersion", "999");
      return merged;
    }).always();

    StatusAssembler assembler = new StatusAssembler(writer, "host-a", Clock.systemUTC());
    boolean wrote = assembler.writeGateway(m.gatewayKey(), 1, Outcome.ready("all components run and conform"), List.of(), "5/5");
    assertThat(wrote).isTrue();
    assertThat(applies).hasSize(1);
    assertThat(applies.get(0).contentType()).startsWith("application/apply-patch+yaml");
    JsonNode body = Yaml.JSON.readTree(applies.get(0).body());
    assertThat(body.path("metadata").has("resourceVersion")).as("no resourceVersion in an apply").isFalse();
    assertThat(body.path("status").path("hosts")).as("only this host's entry is applied").hasSize(1);
    assertThat(body.path("status").path("hosts").get(0).path("name").asString()).isEqualTo("host-a");
    assertThat(Yaml.json(body)).as("no nulls in the body").doesNotContain("null");
    // The summary at the top covers both hosts: host-b is stalled, so the resource is.
    JsonNode topStalled = condition(body.path("status"), Condition.STALLED);
    assertThat(topStalled.path("status").asString()).isEqualTo("True");
    assertThat(topStalled.path("message").asString()).contains("[host-b]");

    assertThat(writer.read(m.gatewayKey())).get().satisfies(s ->
        assertThat(s.hosts()).extracting(h -> h.name()).containsExactly("host-b", "host-a"));
    boolean again = assembler.writeGateway(m.gatewayKey(), 1, Outcome.ready("all components run and conform"), List.of(), "5/5");
    assertThat(again).as("an unchanged status is not written again").isFalse();
    assertThat(applies).hasSize(1);
  }

  private record Applied(String contentType, String body) {}

  private static JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) if (c.path("type").asString().equals(type)) return c;
    throw new AssertionError("no " + type + " condition in " + status);
  }

  @Test
  void secretRefReadsTheDecodedValueAndNamesWhatIsMissing() throws Exception {
    client.secrets().inNamespace(m.run).resource(new SecretBuilder().withNewMetadata().withName("llm").withNamespace(m.run).endMetadata()
        .addToData("api-key", Base64.getEncoder().encodeToString("s3cr3t-value".getBytes(StandardCharsets.UTF_8))).build()).create();
    create(withDomains("*.anthropic.com"));
    KubernetesSource source = start(m.run);
    Manifest owner = entry(m.allowlistKey()).inForce();
    SecretReader secrets = source.secrets();

    assertThat(new String(secrets.secretRef(owner, new SecretKeyRef("llm", "api-key")), StandardCharsets.UTF_8)).isEqualTo("s3cr3t-value");
    assertThatThrownBy(() -> secrets.secretRef(owner, new SecretKeyRef("llm", "token")))
        .isInstanceOf(SecretReader.Unavailable.class)
        .hasMessageContaining("Secret \"llm\"").hasMessageContaining("no key \"token\"").hasMessageContaining("api-key")
        .hasMessageNotContaining("s3cr3t-value");
    assertThatThrownBy(() -> secrets.secretRef(owner, new SecretKeyRef("missing", "api-key")))
        .isInstanceOf(SecretReader.Unavailable.class)
        .hasMessageContaining("Secret \"missing\" in namespace \"" + m.run + "\" does not exist").hasMessageContaining("api-key");
    assertThatThrownBy(() -> secrets.file(owner, "relative/key.txt"))
        .isInstanceOf(SecretReader.Unavailable.class).hasMessageContaining("relative");
  }

  @Test
  void everyActionBecomesAnEventOnItsResource() throws Exception {
    create(withDomains("*.anthropic.com"));
    KubernetesSource source = start(m.run);
    try (KubernetesEvents events = new KubernetesEvents(client, source::uid, "host-a")) {
      events.event(m.allowlistKey(), "Normal", "RestartContainer", "egress-proxy: the ACL changed");
      events.event(m.allowlistKey(), "Warning", "RestartContainerFailed", "x".repeat(5000));
    }
    List<Event> recorded = client.events().v1().events().inNamespace(m.run).list().getItems();
    assertThat(recorded).hasSize(2);
    Event first = recorded.stream().filter(e -> e.getReason().equals("RestartContainer")).findFirst().orElseThrow();
    assertThat(first.getType()).isEqualTo("Normal");
    assertThat(first.getNote()).isEqualTo("egress-proxy: the ACL changed");
    assertThat(first.getReportingController()).isEqualTo(KubernetesEvents.CONTROLLER);
    assertThat(first.getReportingInstance()).isEqualTo("host-a");
    assertThat(first.getEventTime()).isNotNull();
    assertThat(first.getRegarding().getKind()).isEqualTo("EgressAllowlist");
    assertThat(first.getRegarding().getName()).isEqualTo(m.allowlistKey().name());
    assertThat(first.getRegarding().getUid()).isEqualTo(get(m.allowlistKey()).getMetadata().getUid());
    Event second = recorded.stream().filter(e -> e.getReason().equals("RestartContainerFailed")).findFirst().orElseThrow();
    assertThat(second.getNote().getBytes(StandardCharsets.UTF_8).length).as("the API server's 1 kB limit").isLessThanOrEqualTo(1024);
  }

  @Test
  void theOneShotReadSeesWhatTheSourceWouldHold() {
    create(withDomains("*.anthropic.com"));
    create(m.gateway(""));
    create(m.policy("network: host"));
    Sources.Snapshot snapshot = Sources.fromKubernetes(client, m.run);
    assertThat(snapshot.manifests()).extracting(Manifest::key).containsExactlyInAnyOrder(m.allowlistKey(), m.gatewayKey());
    assertThat(snapshot.problems()).extracting(Problem::toString)
        .anySatisfy(p -> assertThat(p).startsWith("SandboxPolicy/" + m.policyKey().name()).contains("spec.network"));
  }
}
