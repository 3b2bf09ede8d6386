package io.openclaw.operator.chart;

import static io.openclaw.operator.testing.KubeApiServer.condition;
import static io.openclaw.operator.testing.KubeApiServer.hostEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.openclaw.operator.cli.Main;
import io.openclaw.operator.runtime.KubernetesEvents;
import io.openclaw.operator.runtime.LeaderElection;
import io.openclaw.operator.source.KubernetesSource;
import io.openclaw.operator.testing.CapturedLog;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.Helm;
import io.openclaw.operator.testing.KubeApiServer;
import io.openclaw.operator.testing.TestManifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The chart installed by Helm into a real API server (1.31, RBAC on), and its RBAC is enough: the operator's own
 * `run`, with the very arguments of the installed Deployment, authenticated as the chart's ServiceAccount (a token),
 * runs a GatewayDeployment end to end on the real Docker engine — watches, finalizer, Secret, status of all three
 * kinds, Events, its host's Lease — and nothing is forbidden on the way. ChartIT proves the rules are no more.
 * (No kubelet runs here: the Deployment's pods never start, the operator runs in this JVM.)
 */
class ChartInstallIT {
  @RegisterExtension static DockerHost docker = new DockerHost();

  private static KubeApiServer server;
  private static KubernetesClient admin;

  private final TestManifests m = new TestManifests(docker.runId() + "-" + UUID.randomUUID().toString().substring(0, 4));
  @TempDir Path temp;

  @BeforeAll
  static void startApiServer() throws Exception {
    server = KubeApiServer.start();
    admin = server.client();
  }

  @AfterAll
  static void stopApiServer() throws Exception {
    if (server != null) server.close();
  }

  /** The gateway's state directory on the host: DockerHost removes /tmp/<runId> only, and this run adds a suffix. */
  @AfterEach
  void removeTheStateDirectory() throws Exception {
    Path stateDir = Path.of("/tmp", m.run);
    if (!Files.exists(stateDir)) return;
    try (Stream<Path> paths = Files.walk(stateDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** All namespaces (a ClusterRole), or watchNamespace (a Role in that namespace only). */
  @ParameterizedTest(name = "watching one namespace: {0}")
  @ValueSource(booleans = {false, true})
  void runAsTheChartsServiceAccountReconcilesEndToEndAndIsNeverForbidden(boolean oneNamespace) throws Exception {
    String host = m.run + "-host";
    String release = oneNamespace ? "oco-ns" : "oco-all"; // apart: a ClusterRole is named after its release
    String releaseNamespace = m.run + "-system";
    Path values = Files.writeString(temp.resolve("values.yaml"), "hosts: [{name: " + host + ", dockerHost: 'tcp://docker.invalid:2376'}]\n"
        + (oneNamespace ? "watchNamespace: " + m.run + "\n" : ""));
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(m.run).endMetadata().build()).create();
    // A real install: the kubeVersion constraint, every object through the server's validation, the NOTES.
    long t = System.nanoTime();
    Helm.Run install = Helm.helm("install", release, Helm.CHART.toString(), "-n", releaseNamespace, "--create-namespace",
        "--kubeconfig", server.kubeconfig().toString(), "-f", values.toString());
    assertThat(install.code()).as("helm install: %s%s", install.out(), install.err()).isZero();
    System.out.printf("helm install into the API server: %d ms%n", (System.nanoTime() - t) / 1_000_000);
    String fullname = release + "-openclaw-docker-operator";
    assertThat(install.out()).as("NOTES").contains("Deployment " + fullname + "-" + host + ", Secret " + fullname + "-" + host + "-docker-tls");
    if (oneNamespace) {
      assertThat(admin.rbac().roles().inNamespace(m.run).withName(fullname).get()).as("a Role in the watched namespace").isNotNull();
      assertThat(admin.rbac().clusterRoles().withName(fullname).get()).as("no ClusterRole").isNull();
    } else {
      assertThat(admin.rbac().clusterRoles().withName(fullname).get()).as("a ClusterRole").isNotNull();
    }
    Deployment deployment = admin.apps().deployments().inNamespace(releaseNamespace).withName(fullname + "-" + host).get();
    assertThat(deployment).as("the host's Deployment, as installed").isNotNull();
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    String serviceAccount = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    String token = admin.serviceAccounts().inNamespace(releaseNamespace).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
    Path kubeconfig = server.kubeconfigWithToken(token, temp.resolve("kubeconfig"));
    try (KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
      assertThatThrownBy(() -> asOperator.pods().inNamespace(releaseNamespace).list())
          .as("the token is the ServiceAccount's, held to its RBAC").isInstanceOfSatisfying(KubernetesClientException.class,
              e -> assertThat(e.getCode()).isEqualTo(403));
    }

    String secret = "sk-test-" + m.run + "-do-not-leak-0123456789abcdef";
    admin.secrets().inNamespace(m.run).resource(new SecretBuilder().withNewMetadata().withName("gateway").endMetadata()
        .addToData("token", Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))).build()).create();
    server.create(m.allowlist("*.anthropic.com"));
    server.create(m.policy(""));
    server.create(m.gateway("").replace("stateDir: " + m.stateDir(), "stateDir: " + m.stateDir()
        + "\n    secrets: [{name: token, mountPath: /run/secrets/openclaw/token, secretRef: {name: gateway, key: token}}]"));

    // The chart's arguments as they are, but for the address: a test listens on loopback, on a free port.
    List<String> args = container.getArgs().stream().map(a -> a.startsWith("--http-address=") ? "--http-address=127.0.0.1:0" : a).toList();
    assertThat(args).contains("--kubernetes", "--host-name=" + host, "--leader-election-namespace=" + releaseNamespace);
    String lease = LeaderElection.leaseName(host);
    CompletableFuture<Integer> run;
    try (CapturedLog log = CapturedLog.attach()) {
      System.setProperty("kubeconfig", kubeconfig.toString());
      try {
        run = CompletableFuture.supplyAsync(() -> Main.execute(args.toArray(String[]::new)));
        until("run holds its host's Lease", Duration.ofSeconds(60), () -> {
          Lease l = admin.leases().inNamespace(releaseNamespace).withName(lease).get();
          assertThat(l).isNotNull();
          assertThat(l.getSpec().getHolderIdentity()).isNotBlank();
        });
      } finally {
        System.clearProperty("kubeconfig");
      }

      until("Ready in the GatewayDeployment's status (watch, Secret, status patch)", Duration.ofSeconds(120), () -> {
        JsonNode s = server.status(m.gatewayKey());
        assertThat(condition(hostEntry(s, host).path("conditions"), "Ready")).isEqualTo("True");
        assertThat(condition(s.path("conditions"), "Ready")).isEqualTo("True");
      });
      byte[] inside = docker.api().readFile(m.container("gateway"), "/run/secrets/openclaw/token").orElseThrow();
      assertThat(new String(inside, StandardCharsets.UTF_8)).as("the Secret, read with the ServiceAccount's get").isEqualTo(secret);
      until("the other kinds' status reports this host", Duration.ofSeconds(60), () -> {
        assertThat(hostEntry(server.status(m.allowlistKey()), host).isMissingNode()).isFalse();
        assertThat(hostEntry(server.status(m.policyKey()), host).isMissingNode()).isFalse();
      });
      assertThat(server.get(m.gatewayKey()).getMetadata().getFinalizers()).as("this host's finalizer added (update)")
          .contains(KubernetesSource.finalizer(host));
      until("an Event for an action (create)", Duration.ofSeconds(30), () ->
          assertThat(admin.events().v1().events().inNamespace(m.run).list().getItems()).anySatisfy(e -> {
            assertThat(e.getReportingController()).isEqualTo(KubernetesEvents.CONTROLLER);
            assertThat(e.getRegarding().getName()).isEqualTo(m.gatewayKey().name());
          }));
      ZonedDateTime renewed = admin.leases().inNamespace(releaseNamespace).withName(lease).get().getSpec().getRenewTime();
      until("the Lease is renewed (patch)", Duration.ofSeconds(30), () ->
          assertThat(admin.leases().inNamespace(releaseNamespace).withName(lease).get().getSpec().getRenewTime()).isAfter(renewed));

      server.delete(m.gatewayKey());
      until("teardown done and the finalizer removed (update): the object is gone", Duration.ofSeconds(120), () -> {
        assertThat(server.get(m.gatewayKey())).isNull();
        assertThat(docker.api().inspectContainer(m.container("gateway"))).isEmpty();
      });
      assertThat(run).as("still running").isNotDone();
      assertThat(log.text()).as("nothing was refused by RBAC").doesNotContainIgnoringCase("forbidden");
    }

    // Stop it the way KubernetesModeIT does: another holder takes the Lease, and run exits.
    admin.leases().inNamespace(releaseNamespace).withName(lease).edit(l -> {
      l.getSpec().setHolderIdentity("another-instance");
      l.getSpec().setRenewTime(ZonedDateTime.now());
      return l;
    });
    assertThat(run.get(90, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @org.junit.jupiter.api.Test
  void installWithTheDefaultValuesStopsWithTheClearMessageAndInstallsNothing() {
    String release = "oco-defaults";
    Helm.Run install = Helm.helm("install", release, Helm.CHART.toString(), "-n", "default", "--kubeconfig", server.kubeconfig().toString());
    assertThat(install.code()).as("helm install without a Docker host").isNotZero();
    assertThat(install.err()).contains("INSTALLATION FAILED").contains(ChartIT.NO_HOST);
    System.out.println("helm install with the default values: " + install.err().strip());
    assertThat(admin.secrets().inNamespace("default").withLabel("owner", "helm").withLabel("name", release).list().getItems())
        .as("no release recorded").isEmpty();
    assertThat(admin.apps().deployments().inNamespace("default").list().getItems()).as("nothing installed").isEmpty();
  }

  /**
   * README's CRD upgrade path, on a release whose CRDs Helm installed from crds/ (here: created before the install, so
   * Helm skipped crds/ as it does for existing CRDs): crds.manage is refused until the CRDs carry Helm's ownership
   * metadata, then adopts them; they carry resource-policy keep, and uninstalling leaves them and their resources.
   */
  @org.junit.jupiter.api.Test
  void crdsMoveUnderTheReleaseByTheReadmesStepsAndOutliveItsUninstall() throws Exception {
    String release = "oco-crds";
    String namespace = m.run + "-crds";
    Path values = Files.writeString(temp.resolve("values.yaml"), "hosts: [{name: " + m.run + "-crds, dockerHost: 'tcp://docker.invalid:2376'}]\n");
    List<String> kubeconfig = List.of("--kubeconfig", server.kubeconfig().toString());
    // Servers before 1.25 do not know x-kubernetes-validations; the README says to skip Helm's client-side schema check there.
    List<String> oldServer = serverMinor() < 25 ? List.of("--disable-openapi-validation") : List.of();
    Helm.Run install = helm(List.of("install", release, Helm.CHART.toString(), "-n", namespace, "--create-namespace", "-f", values.toString()), kubeconfig);
    assertThat(install.code()).as("helm install: %s", install.err()).isZero();
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(m.run).endMetadata().build()).create();
    server.create(m.allowlist("*.anthropic.com"));

    List<String> upgrade = new java.util.ArrayList<>(List.of("upgrade", release, Helm.CHART.toString(), "-n", namespace, "--reuse-values",
        "--set", "crds.manage=true"));
    upgrade.addAll(oldServer);
    Helm.Run refused = helm(upgrade, kubeconfig);
    assertThat(refused.code()).as("CRDs without Helm's ownership metadata are not adopted silently").isNotZero();
    assertThat(refused.err()).contains("invalid ownership metadata");

    for (String kind : List.of("gatewaydeployments", "sandboxpolicies", "egressallowlists")) {
      // README: kubectl label ... app.kubernetes.io/managed-by=Helm; kubectl annotate ... meta.helm.sh/release-name, -namespace
      admin.apiextensions().v1().customResourceDefinitions().withName(kind + ".hardening.openclaw.io").edit(crd -> {
        crd.getMetadata().getLabels().put("app.kubernetes.io/managed-by", "Helm");
        if (crd.getMetadata().getAnnotations() == null) crd.getMetadata().setAnnotations(new java.util.HashMap<>());
        crd.getMetadata().getAnnotations().put("meta.helm.sh/release-name", release);
        crd.getMetadata().getAnnotations().put("meta.helm.sh/release-namespace", namespace);
        return crd;
      });
    }
    long t = System.nanoTime();
    Helm.Run adopted = helm(upgrade, kubeconfig);
    assertThat(adopted.code()).as("helm upgrade --set crds.manage=true: %s", adopted.err()).isZero();
    System.out.printf("helm upgrade adopting the CRDs: %d ms%n", (System.nanoTime() - t) / 1_000_000);
    for (String kind : List.of("gatewaydeployments", "sandboxpolicies", "egressallowlists")) {
      var crd = admin.apiextensions().v1().customResourceDefinitions().withName(kind + ".hardening.openclaw.io").get();
      assertThat(crd.getMetadata().getAnnotations()).as(kind).containsEntry("helm.sh/resource-policy", "keep");
      assertThat(crd.getMetadata().getLabels()).as(kind).containsEntry("helm.sh/chart", "openclaw-docker-operator-" + chartVersion());
    }

    Helm.Run uninstall = helm(List.of("uninstall", release, "-n", namespace), kubeconfig);
    assertThat(uninstall.code()).as("helm uninstall: %s", uninstall.err()).isZero();
    assertThat(uninstall.out() + uninstall.err()).contains("kept due to the resource policy");
    for (String kind : List.of("gatewaydeployments", "sandboxpolicies", "egressallowlists")) {
      assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(kind + ".hardening.openclaw.io").get()).as(kind + " kept").isNotNull();
    }
    assertThat(server.get(m.allowlistKey())).as("a resource of a kept CRD survives the uninstall").isNotNull();
    // Later installs (other tests) create no CRDs: Helm skips crds/ for CRDs that exist, whoever owns them.
  }

  /** What users turn on in a cluster, as the server takes it: the NetworkPolicy (API server looked up), roles for people. */
  @org.junit.jupiter.api.Test
  void networkPolicyAndRolesForPeopleAreWhatTheServerEnforces() throws Exception {
    String release = "oco-extras";
    String namespace = m.run + "-extras";
    String host = m.run + "-extras";
    // A server with its endpoint reconciler off has no Endpoints default/kubernetes: give it one, as a cluster has
    // (a documentation address: the server refuses loopback in Endpoints).
    if (admin.endpoints().inNamespace("default").withName("kubernetes").get() == null) {
      admin.endpoints().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.EndpointsBuilder().withNewMetadata().withName("kubernetes")
          .endMetadata().addNewSubset().addNewAddress().withIp("192.0.2.1").endAddress().addNewPort().withName("https").withPort(6443)
          .withProtocol("TCP").endPort().endSubset().build()).create();
    }
    Path values = Files.writeString(temp.resolve("values.yaml"), """
        hosts: [{name: %s, dockerHost: 'tcp://192.0.2.10:2376'}]
        networkPolicy: {enabled: true}
        metrics: {service: {enabled: true}}
        """.formatted(host));
    Helm.Run install = helm(List.of("install", release, Helm.CHART.toString(), "-n", namespace, "--create-namespace", "-f", values.toString()),
        List.of("--kubeconfig", server.kubeconfig().toString()));
    assertThat(install.code()).as("helm install: %s", install.err()).isZero();
    String fullname = release + "-openclaw-docker-operator";
    var policy = admin.network().v1().networkPolicies().inNamespace(namespace).withName(fullname + "-" + host).get();
    assertThat(policy).as("the NetworkPolicy, accepted").isNotNull();
    assertThat(policy.getSpec().getEgress()).extracting(e -> e.getTo().get(0).getIpBlock().getCidr())
        .as("the API server from Endpoints default/kubernetes at install time, then the Docker host").containsExactly("192.0.2.1/32", "192.0.2.10/32");

    // The aggregation into view/edit is the controller-manager's (not running here): the roles themselves, bound directly.
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(m.run).endMetadata().build()).create();
    for (String[] binding : List.of(new String[] {"viewer", fullname + "-view"}, new String[] {"editor", fullname + "-edit"},
        new String[] {"editor", fullname + "-view"})) {
      admin.rbac().roleBindings().inNamespace(m.run).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder().withNewMetadata()
          .withName(binding[0] + "-" + binding[1]).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
          .withName(binding[1]).endRoleRef().addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(binding[0])
          .endSubject().build()).create();
    }
    String resource = m.allowlist("*.openai.com");
    try (KubernetesClient viewer = as("viewer"); KubernetesClient editor = as("editor")) {
      var kind = io.openclaw.operator.source.ClusterManifests.KINDS.get("EgressAllowlist");
      io.fabric8.kubernetes.api.model.GenericKubernetesResource object = io.openclaw.operator.api.Yaml.JSON.treeToValue(
          io.openclaw.operator.api.Yaml.MAPPER.readTree(resource), io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
      assertThatThrownBy(() -> viewer.genericKubernetesResources(kind).inNamespace(m.run).resource(object).create())
          .as("view cannot create").isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      editor.genericKubernetesResources(kind).inNamespace(m.run).resource(object).create();
      assertThat(viewer.genericKubernetesResources(kind).inNamespace(m.run).list().getItems()).as("view lists").hasSize(1);
      assertThatThrownBy(() -> editor.genericKubernetesResources(kind).inNamespace(m.run).withName(object.getMetadata().getName()).subresource("status")
          .edit(o -> o)).as("edit does not write status").isInstanceOf(KubernetesClientException.class);
      editor.genericKubernetesResources(kind).inNamespace(m.run).withName(object.getMetadata().getName()).delete();
      assertThatThrownBy(() -> viewer.secrets().inNamespace(m.run).list()).as("nothing beyond the three kinds")
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  // ---- helpers

  private static Helm.Run helm(List<String> args, List<String> kubeconfig) {
    List<String> all = new java.util.ArrayList<>(args);
    all.addAll(kubeconfig);
    long t = System.nanoTime();
    Helm.Run run = Helm.helm(all.toArray(String[]::new));
    System.out.printf("helm %s: %d ms, exit %d%n", args.get(0), (System.nanoTime() - t) / 1_000_000, run.code());
    return run;
  }

  /** The admin's kubeconfig, impersonating {@code user} (no groups): what RBAC gives that user alone. */
  private static KubernetesClient as(String user) throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
    config.setImpersonateUsername(user);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static int serverMinor() { return Integer.parseInt(admin.getKubernetesVersion().getMinor().replaceAll("[^0-9].*", "")); }

  private static String chartVersion() throws java.io.IOException {
    return io.openclaw.operator.api.Yaml.MAPPER.readTree(Files.readString(Helm.CHART.resolve("Chart.yaml"))).path("version").asString();
  }

  private static void until(String what, Duration timeout, ThrowingRunnable assertion) {
    long t = System.nanoTime();
    await(what).atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(assertion);
    System.out.printf("%s: %d ms%n", what, (System.nanoTime() - t) / 1_000_000);
  }
}
