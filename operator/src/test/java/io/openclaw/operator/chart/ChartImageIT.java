package io.openclaw.operator.chart;

import static io.openclaw.operator.testing.KubeApiServer.condition;
import static io.openclaw.operator.testing.KubeApiServer.hostEntry;
import static io.openclaw.operator.testing.OperatorImage.docker;
import static io.openclaw.operator.testing.OperatorImage.inspect;
import static io.openclaw.operator.testing.OperatorImage.logs;
import static io.openclaw.operator.testing.OperatorImage.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.runtime.LeaderElection;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.Helm;
import io.openclaw.operator.testing.KubeApiServer;
import io.openclaw.operator.testing.OperatorImage;
import io.openclaw.operator.testing.TestManifests;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The chart's Deployment, installed into a real API server with the image hack/operator-image.sh built, run as its
 * pod would run: Docker plays the kubelet. The pod's image, user and groups, read-only root with the emptyDir at /tmp,
 * dropped capabilities, no privilege escalation, arguments and environment, and a service-account token mounted
 * where a pod has it. Only the Docker endpoint differs: no Docker engine here speaks TLS, so the host's socket stands
 * in for the Deployment's tcp:// host. The container takes its host's Lease and makes a GatewayDeployment Ready.
 */
class ChartImageIT {
  @RegisterExtension static DockerHost docker = new DockerHost();
  private static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  private static KubeApiServer server;
  private static KubernetesClient admin;

  private final TestManifests m = new TestManifests(docker.runId());
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

  @Test
  void theInstalledDeploymentRunsInTheBuiltImageAsItsPodWouldAndMakesAGatewayReady() throws Exception {
    String image = OperatorImage.build();
    String host = m.run + "-host";
    String release = "oco-image";
    String namespace = m.run + "-system";
    int colon = image.lastIndexOf(':');
    Path values = Files.writeString(temp.resolve("values.yaml"), """
        hosts: [{name: %s, dockerHost: 'tcp://docker.invalid:2376'}]
        image: {repository: %s, tag: %s}
        """.formatted(host, image.substring(0, colon), image.substring(colon + 1)));
    Helm.Run install = Helm.helm("install", release, Helm.CHART.toString(), "-n", namespace, "--create-namespace",
        "--kubeconfig", server.kubeconfig().toString(), "-f", values.toString());
    assertThat(install.code()).as("helm install: %s", install.err()).isZero();
    Deployment deployment = admin.apps().deployments().inNamespace(namespace).withName(release + "-openclaw-docker-operator-" + host).get();
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(image);
    assertThat(container.getCommand()).as("the image's ENTRYPOINT starts the operator").isNullOrEmpty();

    // What the kubelet would mount: the ServiceAccount's token, the server's CA, the namespace.
    Path serviceAccount = Files.createDirectories(temp.resolve("serviceaccount"));
    String token = admin.serviceAccounts().inNamespace(namespace).withName(pod.getServiceAccountName())
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
    JsonNode kubeconfig = Yaml.MAPPER.readTree(Files.readString(server.kubeconfig()));
    JsonNode cluster = kubeconfig.path("clusters").get(0).path("cluster");
    Files.writeString(serviceAccount.resolve("token"), token);
    Files.copy(Path.of(cluster.path("certificate-authority").asString()), serviceAccount.resolve("ca.crt"));
    Files.writeString(serviceAccount.resolve("namespace"), namespace);
    for (Path p : List.of(temp, serviceAccount)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String f : List.of("token", "ca.crt", "namespace")) {
      Files.setPosixFilePermissions(serviceAccount.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
    }
    URI apiServer = URI.create(cluster.path("server").asString());

    var security = container.getSecurityContext();
    String name = m.run + "-operator-pod";
    List<String> run = new ArrayList<>(List.of("run", "-d", "--name", name, "--label", DockerHost.TEST_LABEL + "=" + m.run,
        // The API server listens on loopback: the pod's network is the host's here.
        "--network", "host",
        "--user", pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup(),
        "--group-add", String.valueOf(pod.getSecurityContext().getFsGroup()),
        "--group-add", Files.getAttribute(Path.of("/var/run/docker.sock"), "unix:gid").toString(),
        "-v", serviceAccount + ":" + SERVICE_ACCOUNT_DIR + ":ro",
        "-v", "/var/run/docker.sock:/var/run/docker.sock",
        "-e", "KUBERNETES_SERVICE_HOST=" + apiServer.getHost(), "-e", "KUBERNETES_SERVICE_PORT=" + apiServer.getPort()));
    if (Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) run.add("--read-only");
    if (Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) run.addAll(List.of("--security-opt", "no-new-privileges"));
    for (String capability : security.getCapabilities().getDrop()) run.addAll(List.of("--cap-drop", capability));
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
      if (volume.getEmptyDir() != null) run.addAll(List.of("--tmpfs", mount.getMountPath() + ":rw,nosuid,size=64m"));
    }
    for (EnvVar env : container.getEnv()) {
      // The one substitution: the host's socket for the Deployment's TLS endpoint.
      if (env.getName().equals("DOCKER_HOST")) run.addAll(List.of("-e", "DOCKER_HOST=unix:///var/run/docker.sock"));
      else if (!env.getName().startsWith("DOCKER_TLS") && !env.getName().equals("DOCKER_CERT_PATH")) run.addAll(List.of("-e", env.getName() + "=" + env.getValue()));
    }
    run.add(image);
    // The host's network is shared by everyone on this machine: a free port instead of the chart's fixed one.
    container.getArgs().forEach(a -> run.add(a.startsWith("--http-address=") ? "--http-address=127.0.0.1:" + freePort() : a));
    System.out.println("the pod, as docker runs it: docker " + String.join(" ", run).replace(token, "<token>"));

    try {
      long t = System.nanoTime();
      Helm.Run started = docker(run.toArray(String[]::new));
      assertThat(started.code()).as("docker run: %s", started.err()).isZero();
      String lease = LeaderElection.leaseName(host);
      until(name, "the container holds its host's Lease", Duration.ofMinutes(2), () -> {
        Lease l = admin.leases().inNamespace(namespace).withName(lease).get();
        assertThat(l).isNotNull();
        assertThat(l.getSpec().getHolderIdentity()).isNotBlank();
      });
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(m.run).endMetadata().build()).create();
      server.create(m.allowlist("*.anthropic.com"));
      server.create(m.policy(""));
      server.create(m.gateway(""));
      until(name, "Ready in the GatewayDeployment's status", Duration.ofMinutes(3), () -> {
        JsonNode s = server.status(m.gatewayKey());
        assertThat(condition(hostEntry(s, host).path("conditions"), "Ready")).isEqualTo("True");
      });
      System.out.printf("docker run to a Ready GatewayDeployment: %d ms%n", (System.nanoTime() - t) / 1_000_000);
      assertThat(logs(name)).doesNotContainIgnoringCase("forbidden");

      server.delete(m.gatewayKey());
      until(name, "teardown done and the finalizer removed", Duration.ofMinutes(2), () -> assertThat(server.get(m.gatewayKey())).isNull());
      Helm.Run stopped = docker("stop", "-t", "60", name);
      assertThat(stopped.code()).isZero();
      System.out.println("stopped, exit code " + inspect(name, "{{.State.ExitCode}}"));
      assertThat(logs(name)).contains("releasing the lease");
    } finally {
      docker("rm", "-f", "-v", name); // -v: the image's state VOLUME, an anonymous volume, goes with it
    }
  }

  private static void until(String container, String what, Duration timeout, ThrowingRunnable assertion) {
    long t = System.nanoTime();
    await(what).atMost(timeout).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      if (!running(container)) fail("the operator's container stopped:\n" + logs(container));
      assertion.run();
    });
    System.out.printf("%s: %d ms%n", what, (System.nanoTime() - t) / 1_000_000);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
