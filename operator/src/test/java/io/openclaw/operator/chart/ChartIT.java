package io.openclaw.operator.chart;

import static io.openclaw.operator.testing.Helm.helm;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Condition;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.runtime.LeaderElection;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.Helm;
import io.openclaw.operator.testing.Helm.Rendered;
import io.openclaw.operator.testing.Helm.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Helm chart charts/openclaw-docker-operator, rendered by a real Helm 3 (hack/helm.sh) and read back: what
 * the cluster would get. Its Argo CD health checks run in real Lua interpreters (hack/lua.sh) against status
 * written the way the operator writes it.
 */
class ChartIT {
  private static final Path ROOT = Fixtures.repoRoot();
  private static final Path CHART = Helm.CHART;
  private static final String RELEASE = "oco";
  private static final String NAMESPACE = "openclaw-system";
  private static final String FULLNAME = "oco-openclaw-docker-operator";

  /** The least a user must give: one Docker host. */
  private static final String ONE_HOST = """
      hosts: [{name: docker-host, dockerHost: 'tcp://10.0.0.7:2376'}]
      """;

  /** Two hosts over TLS, one namespace watched, a standby for one host, metrics on. */
  private static final String TWO_HOSTS = """
      image: {repository: registry.example/platform/openclaw-docker-operator, tag: "1.2.3"}
      hosts:
        - name: edge-1
          dockerHost: tcp://edge-1.internal:2376
          tlsSecret: edge-1-docker-client
          labels: {region: eu-west, tier: edge}
          replicas: 2
        - name: lab
          dockerHost: tcp://10.0.0.7:2376
      watchNamespace: openclaw
      leaderElection: {namespace: openclaw-leases}
      resync: 2m
      http: {port: 9500}
      metrics: {service: {enabled: true}}
      """;

  @TempDir Path temp;

  // ---- Helm

  @Test
  void helmLintNamesTheMissingDockerHostAndPassesWithOneOrTwoHosts() {
    // Lint reports a template's `fail` and goes on (Helm's lint mode); `helm template` and `helm install` stop there.
    Run plain = helm("lint", CHART.toString());
    assertThat(plain.out() + plain.err()).as("helm lint with the defaults").contains(NO_HOST);
    Run oneHost = helm("lint", CHART.toString(), "--strict", "-f", values(ONE_HOST).toString());
    assertThat(oneHost.code()).as("helm lint --strict with one host:\n" + oneHost.out()).isZero();
    assertThat(oneHost.out()).contains("1 chart(s) linted, 0 chart(s) failed");
    Run twoHosts = helm("lint", CHART.toString(), "--strict", "-f", values(TWO_HOSTS).toString());
    assertThat(twoHosts.code()).as("helm lint --strict with two hosts:\n" + twoHosts.out()).isZero();
  }

  /** What `helm install` and `helm template` say when no Docker host is given: there is no default to fall back on. */
  static final String NO_HOST = "no Docker host given: this release needs at least one (there is no default). Set hosts, e.g. "
      + "--set 'hosts[0].name=edge-1' --set 'hosts[0].dockerHost=tcp://10.0.0.7:2376'";

  @Test
  void theDefaultValuesRenderNothingAndNameTheMissingDockerHost() {
    Run run = helm("template", RELEASE, CHART.toString(), "-n", NAMESPACE);
    assertThat(run.code()).isNotZero();
    assertThat(run.out()).as("no manifest at all").isEmpty();
    assertThat(run.err()).contains(NO_HOST);
    assertThat(Helm.CHART.resolve("values.yaml")).content().doesNotContain("docker-host.example").contains("\nhosts: []\n");
  }

  @Test
  void oneHostRendersOneHardenedOperatorReachingItOverTlsWithTheImageOfTheAppVersion() {
    Rendered r = render("-f", values(ONE_HOST).toString());
    assertThat(r.kinds()).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRole", "ClusterRole", "ClusterRoleBinding", "Role",
        "RoleBinding", "Deployment");

    JsonNode deployment = r.one("Deployment", FULLNAME + "-docker-host");
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    assertThat(pod.path("serviceAccountName").asString()).isEqualTo(FULLNAME);
    JsonNode container = only(pod.path("containers"));
    assertThat(container.path("image").asString()).as("no registry assumed; the tag is the appVersion, which hack/operator-image.sh tags")
        .isEqualTo("openclaw-docker-operator:" + appVersion());
    assertThat(container.has("command")).as("the image's ENTRYPOINT starts the operator").isFalse();
    assertThat(strings(container.path("args"))).containsExactly("run", "--kubernetes", "--host-name=docker-host",
        "--leader-election-namespace=" + NAMESPACE, "--http-address=0.0.0.0:9464", "--resync=5m");
    assertThat(env(container)).containsExactlyInAnyOrderEntriesOf(Map.of("DOCKER_HOST", "tcp://10.0.0.7:2376",
        "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/etc/openclaw-docker-operator/docker-tls"));

    assertHardened(pod);
    assertProbesOnTheHttpAddress(container);
    assertTlsSecretMounted(pod, container, FULLNAME + "-docker-host-docker-tls");
    assertThat(r.one("ServiceAccount", FULLNAME).path("metadata").path("namespace").asString()).isEqualTo(NAMESPACE);
  }

  @Test
  void twoHostsRenderOneDeploymentEachWithItsOwnHostNameLabelsAndTlsSecret() {
    Rendered r = render("-f", values(TWO_HOSTS).toString());
    assertThat(r.all("Deployment")).extracting(d -> d.path("metadata").path("name").asString())
        .containsExactlyInAnyOrder(FULLNAME + "-edge-1", FULLNAME + "-lab");

    JsonNode edge = r.one("Deployment", FULLNAME + "-edge-1");
    assertThat(edge.path("spec").path("replicas").asInt()).as("a warm standby for edge-1").isEqualTo(2);
    JsonNode edgePod = edge.path("spec").path("template").path("spec");
    JsonNode edgeContainer = only(edgePod.path("containers"));
    assertThat(edgeContainer.path("image").asString()).isEqualTo("registry.example/platform/openclaw-docker-operator:1.2.3");
    assertThat(strings(edgeContainer.path("args"))).containsExactly("run", "--kubernetes", "--host-name=edge-1",
        "--host-label=region=eu-west", "--host-label=tier=edge", "--namespace=openclaw",
        "--leader-election-namespace=openclaw-leases", "--http-address=0.0.0.0:9500", "--resync=2m");
    assertThat(env(edgeContainer)).containsEntry("DOCKER_HOST", "tcp://edge-1.internal:2376").containsEntry("DOCKER_TLS_VERIFY", "1");
    assertHardened(edgePod);
    assertProbesOnTheHttpAddress(edgeContainer);
    assertTlsSecretMounted(edgePod, edgeContainer, "edge-1-docker-client");

    JsonNode lab = r.one("Deployment", FULLNAME + "-lab");
    assertThat(lab.path("spec").path("replicas").asInt()).isEqualTo(1);
    JsonNode labPod = lab.path("spec").path("template").path("spec");
    JsonNode labContainer = only(labPod.path("containers"));
    assertThat(strings(labContainer.path("args"))).contains("--host-name=lab").noneMatch(a -> a.startsWith("--host-label"));
    assertThat(env(labContainer)).containsEntry("DOCKER_HOST", "tcp://10.0.0.7:2376");
    assertTlsSecretMounted(labPod, labContainer, FULLNAME + "-lab-docker-tls");

    // Each Deployment selects only its own host's pods, while the metrics Service scrapes them all.
    JsonNode edgeSelector = edge.path("spec").path("selector").path("matchLabels");
    JsonNode labSelector = lab.path("spec").path("selector").path("matchLabels");
    assertThat(edgeSelector).isNotEqualTo(labSelector);
    assertThat(edgeSelector.path("hardening.openclaw.io/docker-host").asString()).isEqualTo("edge-1");
    assertThat(edge.path("spec").path("template").path("metadata").path("labels").path("hardening.openclaw.io/docker-host").asString())
        .isEqualTo("edge-1");
    JsonNode service = r.one("Service", FULLNAME + "-metrics");
    Map<String, String> serviceSelector = fields(service.path("spec").path("selector"));
    assertThat(fields(edgeSelector)).containsAllEntriesOf(serviceSelector);
    assertThat(fields(labSelector)).containsAllEntriesOf(serviceSelector);
    assertThat(fields(service.path("metadata").path("annotations"))).containsAllEntriesOf(Map.of(
        "prometheus.io/scrape", "true", "prometheus.io/port", "9500", "prometheus.io/path", "/metrics"));
    assertThat(only(service.path("spec").path("ports")).path("targetPort").asString()).isEqualTo("http");
  }

  @Test
  void rbacGrantsExactlyWhatTheOperatorUsesClusterWideByDefault() {
    Rendered r = render("-f", values(ONE_HOST).toString());
    JsonNode role = r.one("ClusterRole", FULLNAME);
    assertThat(role.path("rules")).isEqualTo(OPERATOR_RULES);
    JsonNode binding = r.one("ClusterRoleBinding", FULLNAME);
    assertThat(binding.path("roleRef")).isEqualTo(yaml("{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: " + FULLNAME + "}"));
    assertThat(binding.path("subjects")).isEqualTo(yaml("[{kind: ServiceAccount, name: " + FULLNAME + ", namespace: " + NAMESPACE + "}]"));
    assertLeaseRole(r, NAMESPACE, List.of("docker-host"));
  }

  @Test
  void watchingOneNamespaceGrantsARoleThereAndNoClusterRole() {
    Rendered r = render("-f", values(TWO_HOSTS).toString());
    assertThat(r.all("ClusterRole")).as("only the roles for people, which grant the operator nothing")
        .extracting(c -> c.path("metadata").path("name").asString()).containsExactlyInAnyOrder(FULLNAME + "-view", FULLNAME + "-edit");
    assertThat(r.kinds()).doesNotContain("ClusterRoleBinding");
    JsonNode role = r.one("Role", FULLNAME);
    assertThat(role.path("metadata").path("namespace").asString()).isEqualTo("openclaw");
    assertThat(role.path("rules")).isEqualTo(OPERATOR_RULES);
    JsonNode binding = r.one("RoleBinding", FULLNAME);
    assertThat(binding.path("metadata").path("namespace").asString()).isEqualTo("openclaw");
    assertThat(binding.path("roleRef").path("kind").asString()).isEqualTo("Role");
    assertThat(binding.path("subjects")).isEqualTo(yaml("[{kind: ServiceAccount, name: " + FULLNAME + ", namespace: " + NAMESPACE + "}]"));
    assertLeaseRole(r, "openclaw-leases", List.of("edge-1", "lab"));
  }

  @Test
  void aBadHostEntryFailsTheRenderNamingTheEntryAndField() {
    Map<String, String> cases = Map.of(
        "hosts: [{name: Edge_1, dockerHost: 'tcp://a:2376'}]", "hosts[0].name \"Edge_1\" is not a DNS label",
        "hosts: [{name: a, dockerHost: 'unix:///var/run/docker.sock'}]", "hosts[0].dockerHost \"unix:///var/run/docker.sock\" must be tcp://HOST:PORT",
        "hosts: [{name: a, dockerHost: 'tcp://a:2376'}, {name: a, dockerHost: 'tcp://b:2376'}]", "hosts[1].name \"a\" is given twice",
        "hosts: []", NO_HOST,
        "{hosts: [{name: a, dockerHost: 'tcp://edge.internal:2376'}], networkPolicy: {enabled: true, apiServer: {cidrs: [10.1.0.1/32]}}}",
        "hosts[0] (a): dockerHost \"tcp://edge.internal:2376\" names its host, and a NetworkPolicy cannot: give hosts[0].cidr",
        "{hosts: [{name: a, dockerHost: 'tcp://10.0.0.7:2376'}], networkPolicy: {enabled: true}}",
        "networkPolicy.enabled: the API server's addresses are unknown",
        "{hosts: [{name: a, dockerHost: 'tcp://10.0.0.7:2376'}], image: {repository: ''}}", "image.repository: String length must be greater than or equal to 1");
    for (Map.Entry<String, String> c : new TreeMap<>(cases).entrySet()) {
      Run run = helm("template", RELEASE, CHART.toString(), "-n", NAMESPACE, "-f", values(c.getKey()).toString());
      assertThat(run.code()).as("values %s must not render", c.getKey()).isNotZero();
      assertThat(run.err()).as("values %s", c.getKey()).contains(c.getValue());
    }
  }

  // ---- CRDs

  @Test
  void theChartsCrdsAreTheRepositorysCrdsByteForByte() throws IOException {
    Map<String, String> top = filesIn(ROOT.resolve("crds"));
    Map<String, String> chart = filesIn(CHART.resolve("crds"));
    assertThat(top).as("crds/").hasSize(3);
    assertThat(chart.keySet()).as("charts/openclaw-docker-operator/crds holds the same files as crds/; run hack/update-crds.sh")
        .containsExactlyInAnyOrderElementsOf(top.keySet());
    for (String name : top.keySet()) {
      assertThat(chart.get(name)).as("charts/openclaw-docker-operator/crds/" + name + " differs from crds/" + name + "; run hack/update-crds.sh")
          .isEqualTo(top.get(name));
    }
    Rendered withCrds = render("-f", values(ONE_HOST).toString(), "--include-crds");
    assertThat(withCrds.all("CustomResourceDefinition")).extracting(c -> c.path("metadata").path("name").asString())
        .containsExactlyInAnyOrder("gatewaydeployments.hardening.openclaw.io", "sandboxpolicies.hardening.openclaw.io",
            "egressallowlists.hardening.openclaw.io");
  }

  // ---- Argo CD

  @Test
  void argoCdHealthChecksReadTheKstatusTrioAsTheOperatorWritesIt() throws IOException {
    // Delivered as files the user merges into Argo CD's own argocd-cm: the argocd-cm patch and the argo-cd chart's values.
    Map<String, String> scripts = withAliasesResolved(CHART.resolve("argocd/health-checks.yaml"), "data");
    assertThat(scripts.keySet()).containsExactlyInAnyOrder("resource.customizations.health.hardening.openclaw.io_GatewayDeployment",
        "resource.customizations.health.hardening.openclaw.io_SandboxPolicy", "resource.customizations.health.hardening.openclaw.io_EgressAllowlist");
    Map<String, String> argoCdChartValues = withAliasesResolved(CHART.resolve("argocd/argo-cd-values.yaml"), "configs", "cm");
    assertThat(argoCdChartValues).as("argocd/argo-cd-values.yaml carries the same scripts as argocd/health-checks.yaml").isEqualTo(scripts);

    Map<String, String> expected = new TreeMap<>();
    expected.put("ready", "Healthy\nall components run and conform");
    expected.put("oldGeneration", "Progressing\nwaiting for the operator to observe generation 3 (status is of generation 2)");
    expected.put("stalled", "Degraded\nInvalidSpec: spec.egressProxy.allowlistRef: EgressAllowlist \"missing\" does not exist");
    expected.put("reconciling", "Progressing\nProgressing: applied 2 change(s)");
    expected.put("noStatus", "Progressing\nwaiting for the operator to report status");
    expected.put("deleting", "Progressing\nbeing deleted: the operator is removing what it made on its Docker hosts");
    long t = System.nanoTime();
    int runs = 0;
    for (Map.Entry<String, String> script : scripts.entrySet()) {
      String kind = script.getKey().substring(script.getKey().indexOf('_') + 1);
      Map<String, ObjectNode> samples = samples(kind);
      for (String lua : List.of("5.1", "5.4")) {
        for (String sample : expected.keySet()) {
          assertThat(health(lua, script.getValue(), samples.get(sample)))
              .as("%s health of a %s sample under Lua %s", kind, sample, lua).isEqualTo(expected.get(sample));
          runs++;
        }
      }
    }
    System.out.printf("%d Argo CD health evaluations (3 kinds x 6 samples x Lua 5.1, 5.4) in %d ms%n", runs, (System.nanoTime() - t) / 1_000_000);
  }

  @Test
  void theReleaseNeverRendersArgoCdsOwnConfigMapWhateverIsTurnedOn() {
    Rendered r = render("-f", values(TWO_HOSTS).toString(), "--set", "crds.manage=true", "--set", "metrics.serviceMonitor.enabled=true",
        "--set", "networkPolicy.enabled=true", "--set", "networkPolicy.apiServer.cidrs[0]=10.1.0.1/32", "--set", "hosts[0].cidr=10.20.0.7/32");
    assertThat(r.kinds()).doesNotContain("ConfigMap");
    assertThat(r.documents()).noneMatch(d -> d.path("metadata").path("name").asString().startsWith("argocd"));
  }

  // ---- values.schema.json

  @Test
  void theSchemaRefusesAMisspeltOrMistypedValueAndNamesIt() {
    Map<String, String> cases = Map.of(
        "hosts: [{name: a, dockerhost: 'tcp://10.0.0.7:2376'}]", "hosts.0: Additional property dockerhost is not allowed",
        "{hosts: [{name: a, dockerHost: 'tcp://10.0.0.7:2376'}], replicas: two}", "replicas: Invalid type. Expected: integer, given: string",
        "{hosts: [{name: a, dockerHost: 'tcp://10.0.0.7:2376'}], argocd: {healthChecks: {configMap: {enabled: true}}}}",
        "Additional property argocd is not allowed",
        "{hosts: [{name: a, dockerHost: 'tcp://10.0.0.7:2376'}], resync: soon}", "resync: Does not match pattern");
    for (Map.Entry<String, String> c : new TreeMap<>(cases).entrySet()) {
      Run run = helm("template", RELEASE, CHART.toString(), "-n", NAMESPACE, "-f", values(c.getKey()).toString());
      assertThat(run.code()).as("values %s must not render", c.getKey()).isNotZero();
      assertThat(run.err()).as("values %s", c.getKey()).contains("values don't meet the specifications of the schema").contains(c.getValue());
    }
  }

  // ---- CRDs as templates

  @Test
  void managedCrdsAreTheChartsCrdFilesKeptOnUninstall() throws IOException {
    Rendered r = render("-f", values(ONE_HOST).toString(), "--set", "crds.manage=true");
    Map<String, JsonNode> files = new TreeMap<>();
    for (Map.Entry<String, String> f : filesIn(CHART.resolve("crds")).entrySet()) {
      JsonNode crd = yaml(f.getValue());
      files.put(crd.path("metadata").path("name").asString(), crd);
    }
    List<JsonNode> rendered = r.all("CustomResourceDefinition");
    assertThat(rendered).extracting(c -> c.path("metadata").path("name").asString()).containsExactlyInAnyOrderElementsOf(files.keySet());
    for (JsonNode crd : rendered) {
      String name = crd.path("metadata").path("name").asString();
      assertThat(crd.path("metadata").path("annotations").path("helm.sh/resource-policy").asString()).as(name).isEqualTo("keep");
      assertThat(crd.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asString()).as(name).isEqualTo("Helm");
      assertThat(plain(crd.path("spec"))).as("%s: the spec of crds/%s", name, name).isEqualTo(plain(files.get(name).path("spec")));
      assertThat(crd.path("apiVersion")).isEqualTo(files.get(name).path("apiVersion"));
    }
    assertThat(render("-f", values(ONE_HOST).toString()).kinds()).as("crds/ only, by default").doesNotContain("CustomResourceDefinition");
  }

  // ---- NetworkPolicy, ServiceMonitor, roles for people

  @Test
  void aNetworkPolicyPerHostLetsOutOnlyTheApiServerAndThatHostsDockerApi() {
    Rendered r = render("-f", values(TWO_HOSTS).toString(), "--set", "networkPolicy.enabled=true",
        "--set", "networkPolicy.apiServer.cidrs[0]=10.96.0.1/32", "--set", "networkPolicy.apiServer.cidrs[1]=172.18.0.2/32",
        "--set", "hosts[0].cidr=10.20.0.7/32",
        "--set-json", "networkPolicy.ingressFrom=[{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"monitoring\"}}}]");
    String apiServer = """
        - to: [{ipBlock: {cidr: 10.96.0.1/32}}, {ipBlock: {cidr: 172.18.0.2/32}}]
          ports: [{port: 443, protocol: TCP}, {port: 6443, protocol: TCP}]
        """;
    JsonNode edge = r.one("NetworkPolicy", FULLNAME + "-edge-1").path("spec");
    assertThat(edge.path("podSelector").path("matchLabels").path("hardening.openclaw.io/docker-host").asString()).isEqualTo("edge-1");
    assertThat(strings(edge.path("policyTypes"))).containsExactly("Ingress", "Egress");
    assertThat(plain(edge.path("egress"))).as("edge-1 is a name: its cidr, and DNS to resolve it").isEqualTo(plain(yaml(apiServer + """
        - to: [{ipBlock: {cidr: 10.20.0.7/32}}]
          ports: [{port: 2376, protocol: TCP}]
        - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
          ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
        """)));
    assertThat(plain(edge.path("ingress"))).isEqualTo(yaml("""
        - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
          ports: [{port: http, protocol: TCP}]
        """));
    JsonNode lab = r.one("NetworkPolicy", FULLNAME + "-lab").path("spec");
    assertThat(plain(lab.path("egress"))).as("lab is an address: no DNS").isEqualTo(plain(yaml(apiServer + """
        - to: [{ipBlock: {cidr: 10.0.0.7/32}}]
          ports: [{port: 2376, protocol: TCP}]
        """)));
    JsonNode quiet = render("-f", values(ONE_HOST).toString(), "--set", "networkPolicy.enabled=true",
        "--set", "networkPolicy.apiServer.cidrs[0]=10.96.0.1/32").one("NetworkPolicy", FULLNAME + "-docker-host").path("spec");
    assertThat(quiet.path("ingress").isArray() && quiet.path("ingress").isEmpty()).as("no ingressFrom: no ingress at all").isTrue();
  }

  @Test
  void aServiceMonitorScrapesTheMetricsServiceItTurnsOn() {
    Rendered r = render("-f", values(ONE_HOST).toString(), "--set", "metrics.serviceMonitor.enabled=true",
        "--set", "metrics.serviceMonitor.labels.release=prometheus");
    JsonNode monitor = r.one("ServiceMonitor", FULLNAME);
    assertThat(monitor.path("apiVersion").asString()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.path("metadata").path("labels").path("release").asString()).isEqualTo("prometheus");
    JsonNode service = r.one("Service", FULLNAME + "-metrics");
    assertThat(fields(service.path("metadata").path("labels"))).containsAllEntriesOf(fields(monitor.path("spec").path("selector").path("matchLabels")));
    assertThat(strings(monitor.path("spec").path("namespaceSelector").path("matchNames"))).containsExactly(NAMESPACE);
    JsonNode endpoint = only(monitor.path("spec").path("endpoints"));
    assertThat(endpoint.path("port").asString()).isEqualTo(only(service.path("spec").path("ports")).path("name").asString());
    assertThat(endpoint.path("path").asString()).isEqualTo("/metrics");
    assertThat(render("-f", values(ONE_HOST).toString()).kinds()).doesNotContain("ServiceMonitor", "Service");
  }

  @Test
  void theThreeKindsJoinKubernetesViewAndEditRoles() {
    Rendered r = render("-f", values(ONE_HOST).toString());
    JsonNode view = r.one("ClusterRole", FULLNAME + "-view");
    assertThat(fields(view.path("metadata").path("labels"))).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true")
        .doesNotContainKeys("rbac.authorization.k8s.io/aggregate-to-edit");
    assertThat(only(view.path("rules"))).isEqualTo(yaml("""
        apiGroups: [hardening.openclaw.io]
        resources: [gatewaydeployments, sandboxpolicies, egressallowlists, gatewaydeployments/status, sandboxpolicies/status, egressallowlists/status]
        verbs: [get, list, watch]
        """));
    JsonNode edit = r.one("ClusterRole", FULLNAME + "-edit");
    assertThat(fields(edit.path("metadata").path("labels"))).containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true");
    assertThat(only(edit.path("rules"))).as("no /status: status is the operator's").isEqualTo(yaml("""
        apiGroups: [hardening.openclaw.io]
        resources: [gatewaydeployments, sandboxpolicies, egressallowlists]
        verbs: [create, update, patch, delete, deletecollection]
        """));
    assertThat(render("-f", values(ONE_HOST).toString(), "--set", "rbac.aggregateToDefaultRoles=false").all("ClusterRole"))
        .extracting(c -> c.path("metadata").path("name").asString()).containsExactly(FULLNAME);
  }

  // ---- what every rendering must show

  /** What the operator's calls need, no more; ChartInstallIT proves they are enough. */
  private static final JsonNode OPERATOR_RULES = yaml("""
      - apiGroups: [hardening.openclaw.io]
        resources: [gatewaydeployments, sandboxpolicies, egressallowlists]
        verbs: [get, list, watch]
      - apiGroups: [hardening.openclaw.io]
        resources: [gatewaydeployments]
        verbs: [update]
      - apiGroups: [hardening.openclaw.io]
        resources: [gatewaydeployments/status, sandboxpolicies/status, egressallowlists/status]
        verbs: [patch]
      - apiGroups: [""]
        resources: [secrets]
        verbs: [get, list, watch]
      - apiGroups: [events.k8s.io]
        resources: [events]
        verbs: [create, patch]
      """);

  /** Leases: create anywhere in the namespace, get/patch only the hosts' own, named as the operator names them. */
  private static void assertLeaseRole(Rendered r, String namespace, List<String> hosts) {
    JsonNode role = r.one("Role", FULLNAME + "-leader-election");
    assertThat(role.path("metadata").path("namespace").asString()).isEqualTo(namespace);
    StringBuilder names = new StringBuilder();
    for (String host : hosts) names.append(names.length() == 0 ? "" : ", ").append(LeaderElection.leaseName(host));
    assertThat(role.path("rules")).isEqualTo(yaml("""
        - apiGroups: [coordination.k8s.io]
          resources: [leases]
          verbs: [create]
        - apiGroups: [coordination.k8s.io]
          resources: [leases]
          resourceNames: [%s]
          verbs: [get, patch]
        """.formatted(names)));
    JsonNode binding = r.one("RoleBinding", FULLNAME + "-leader-election");
    assertThat(binding.path("metadata").path("namespace").asString()).isEqualTo(namespace);
    assertThat(binding.path("roleRef").path("name").asString()).isEqualTo(FULLNAME + "-leader-election");
    assertThat(binding.path("subjects")).isEqualTo(yaml("[{kind: ServiceAccount, name: " + FULLNAME + ", namespace: " + NAMESPACE + "}]"));
  }

  private static void assertHardened(JsonNode pod) {
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asString()).isEqualTo("RuntimeDefault");
    JsonNode sc = only(pod.path("containers")).path("securityContext");
    assertThat(sc.path("runAsNonRoot").asBoolean()).as("runAsNonRoot").isTrue();
    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as("readOnlyRootFilesystem").isTrue();
    assertThat(sc.path("allowPrivilegeEscalation").isBoolean() && !sc.path("allowPrivilegeEscalation").asBoolean())
        .as("allowPrivilegeEscalation: false").isTrue();
    assertThat(strings(sc.path("capabilities").path("drop"))).containsExactly("ALL");
    assertThat(sc.path("capabilities").has("add")).isFalse();
    assertThat(sc.path("privileged").asBoolean(false)).isFalse();
    assertThat(sc.path("seccompProfile").path("type").asString()).isEqualTo("RuntimeDefault");
    assertThat(pod.path("hostNetwork").asBoolean(false) || pod.path("hostPID").asBoolean(false)).isFalse();
    // The one writable place a read-only root leaves the JVM.
    assertThat(volume(pod, mount(only(pod.path("containers")), "/tmp").path("name").asString()).has("emptyDir")).isTrue();
    JsonNode resources = only(pod.path("containers")).path("resources");
    assertThat(resources.path("requests").path("memory").asString()).isNotEmpty();
    assertThat(resources.path("limits").path("memory").asString()).isNotEmpty();
  }

  /** Liveness /healthz and readiness /readyz on the port --http-address listens on, on every interface. */
  private static void assertProbesOnTheHttpAddress(JsonNode container) {
    String address = strings(container.path("args")).stream().filter(a -> a.startsWith("--http-address=")).findFirst().orElseThrow()
        .substring("--http-address=".length());
    assertThat(address).startsWith("0.0.0.0:");
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    JsonNode http = only(container.path("ports"));
    assertThat(http.path("containerPort").asInt()).isEqualTo(port);
    for (String[] probe : List.of(new String[] {"livenessProbe", "/healthz"}, new String[] {"readinessProbe", "/readyz"})) {
      JsonNode get = container.path(probe[0]).path("httpGet");
      assertThat(get.path("path").asString()).as(probe[0]).isEqualTo(probe[1]);
      assertThat(get.path("port").asString()).as(probe[0] + " port").isEqualTo(http.path("name").asString());
    }
  }

  /** DOCKER_CERT_PATH is a read-only mount of exactly ca.pem, cert.pem and key.pem from the host's Secret, mode 0440. */
  private static void assertTlsSecretMounted(JsonNode pod, JsonNode container, String secretName) {
    String certPath = env(container).get("DOCKER_CERT_PATH");
    JsonNode mount = mount(container, certPath);
    assertThat(mount.path("readOnly").asBoolean()).as("the cert mount is read-only").isTrue();
    JsonNode secret = volume(pod, mount.path("name").asString()).path("secret");
    assertThat(secret.path("secretName").asString()).isEqualTo(secretName);
    assertThat(secret.path("defaultMode").asInt()).as("0440").isEqualTo(0440);
    assertThat(secret.path("items")).isEqualTo(yaml("[{key: ca.pem, path: ca.pem}, {key: cert.pem, path: cert.pem}, {key: key.pem, path: key.pem}]"));
  }

  // ---- Argo CD samples: status as the operator's own Outcome renders it

  private static Map<String, ObjectNode> samples(String kind) {
    Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    Map<String, ObjectNode> out = new TreeMap<>();
    out.put("ready", object(kind, 3, 3L, Outcome.ready("all components run and conform").conditions(3, null, clock)));
    out.put("oldGeneration", object(kind, 3, 2L, Outcome.ready("all components run and conform").conditions(2, null, clock)));
    out.put("stalled", object(kind, 3, 3L, Outcome.stalled("InvalidSpec",
        "spec.egressProxy.allowlistRef: EgressAllowlist \"missing\" does not exist").conditions(3, null, clock)));
    out.put("reconciling", object(kind, 3, 3L, Outcome.reconciling("Progressing", "applied 2 change(s)").conditions(3, null, clock)));
    out.put("noStatus", object(kind, 1, null, null));
    ObjectNode deleting = object(kind, 3, 3L, Outcome.ready("all components run and conform").conditions(3, null, clock));
    ((ObjectNode) deleting.path("metadata")).put("deletionTimestamp", "2026-01-02T03:05:00Z");
    out.put("deleting", deleting);
    return out;
  }

  private static ObjectNode object(String kind, long generation, Long observedGeneration, List<Condition> conditions) {
    ObjectNode o = Yaml.JSON.createObjectNode();
    o.put("apiVersion", "hardening.openclaw.io/v1alpha1");
    o.put("kind", kind);
    o.putObject("metadata").put("name", "openclaw").put("namespace", "openclaw").put("generation", generation);
    if (conditions != null) {
      ObjectNode status = o.putObject("status");
      status.put("observedGeneration", observedGeneration);
      status.set("conditions", Yaml.tree(conditions));
    }
    return o;
  }

  /** Runs a health script the way Argo CD does (a chunk with a global {@code obj}, returning {@code hs}). */
  private String health(String luaVersion, String script, JsonNode object) throws IOException {
    Path file = Files.createTempFile(temp, "health-", ".lua");
    Files.writeString(file, "obj = " + io.openclaw.operator.testing.Health.luaTable(object) + "\nlocal hs = (function()\n" + script + "\nend)()\nio.write(hs.status, \"\\n\", hs.message or \"\")\n");
    Run run = Helm.run(List.of(ROOT.resolve("hack/lua.sh").toString(), luaVersion, file.toString()));
    assertThat(run.code()).as("lua%s: %s", luaVersion, run.err()).isZero();
    return run.out();
  }

  // ---- plumbing

  private static String appVersion() {
    try {
      return yaml(Files.readString(CHART.resolve("Chart.yaml"))).path("appVersion").asString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Rendered render(String... extra) {
    return Helm.template(RELEASE, NAMESPACE, extra);
  }

  private Path values(String yaml) {
    try {
      return Files.writeString(Files.createTempFile(temp, "values-", ".yaml"), yaml);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode yaml(String text) { return Yaml.MAPPER.readTree(text); }

  /**
   * The same tree whichever reader made it, numbers by value: trees from Helm's output and from text compare, and Helm's
   * fromYaml/toYaml writing the CRD files' 1.0 as 1 changes nothing a schema means.
   */
  private static JsonNode plain(JsonNode node) {
    if (node.isNumber()) return Yaml.JSON.getNodeFactory().numberNode(node.decimalValue().stripTrailingZeros());
    if (node.isObject()) {
      ObjectNode out = Yaml.JSON.createObjectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) out.set(e.getKey(), plain(e.getValue()));
      return out;
    }
    if (node.isArray()) {
      tools.jackson.databind.node.ArrayNode out = Yaml.JSON.createArrayNode();
      for (JsonNode e : node) out.add(plain(e));
      return out;
    }
    return node;
  }

  /**
   * The string fields of a YAML map, with `key: *anchor` resolved to the text of `other: &anchor |` as kubectl's and
   * Helm's readers resolve it (Jackson reads an alias as the anchor's name).
   */
  private static Map<String, String> withAliasesResolved(Path file, String... path) throws IOException {
    String text = Files.readString(file);
    JsonNode node = yaml(text);
    for (String p : path) node = node.path(p);
    Map<String, String> out = fields(node);
    Map<String, String> anchored = new TreeMap<>();
    java.util.regex.Matcher anchors = java.util.regex.Pattern.compile("(?m)^\\s*(\\S+): &(\\w+) ").matcher(text);
    while (anchors.find()) anchored.put(anchors.group(2), anchors.group(1));
    java.util.regex.Matcher aliases = java.util.regex.Pattern.compile("(?m)^\\s*(\\S+): \\*(\\w+)\\s*$").matcher(text);
    while (aliases.find()) {
      assertThat(anchored).as("%s: anchor of the alias *%s", file.getFileName(), aliases.group(2)).containsKey(aliases.group(2));
      out.put(aliases.group(1), out.get(anchored.get(aliases.group(2))));
    }
    return out;
  }

  private static Map<String, String> filesIn(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) out.put(f.getFileName().toString(), Files.readString(f));
    }
    return out;
  }

  private static JsonNode only(JsonNode array) {
    assertThat(array.size()).as("exactly one element in %s", array).isEqualTo(1);
    return array.get(0);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : array) out.add(e.asString());
    return out;
  }

  private static Map<String, String> fields(JsonNode object) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) out.put(e.getKey(), e.getValue().asString());
    return out;
  }

  private static Map<String, String> env(JsonNode container) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode e : container.path("env")) out.put(e.path("name").asString(), e.path("value").asString());
    return out;
  }

  private static JsonNode mount(JsonNode container, String path) {
    for (JsonNode m : container.path("volumeMounts")) if (m.path("mountPath").asString().equals(path)) return m;
    throw new AssertionError("no volume mounted at " + path + " in " + container.path("volumeMounts"));
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode v : pod.path("volumes")) if (v.path("name").asString().equals(name)) return v;
    throw new AssertionError("no volume " + name + " in " + pod.path("volumes"));
  }
}
