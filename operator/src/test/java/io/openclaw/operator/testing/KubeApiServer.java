package io.openclaw.operator.testing;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.source.ClusterManifests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real Kubernetes API server (RBAC on) with the project's CRDs, started by hack/kube-apiserver.sh in a temporary
 * directory and stopped, pids and files, by {@link #close}. {@link #client} is cluster-admin. The version is the
 * script's: 1.31 by default, 1.20 with KUBE_VERSION=1.20 (the old server, where CEL rules are dropped).
 */
public final class KubeApiServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(20); // a first run builds the apiserver (5-7 min on 2 idle cores)
  /** The first version that enforces the CRDs' CEL rules (x-kubernetes-validations, GA in 1.29, on by default since 1.25). */
  private static final int CEL_SINCE_MINOR = 25;

  private final Path dir;
  private final Path kubeconfig;
  private final KubernetesClient client;

  private KubeApiServer(Path dir, Path kubeconfig, KubernetesClient client) {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.client = client;
  }

  /** Starts a server and establishes the CRDs of crds/; fails the test with the script's log when it cannot. */
  public static KubeApiServer start() throws Exception {
    Path script = script();
    if (!Files.isExecutable(script)) fail("cannot start a Kubernetes API server: " + script + " is missing (is -Drepo.root right?)");
    Path dir = Files.createTempDirectory("kube-apiserver-");
    long t = System.nanoTime();
    Process p = new ProcessBuilder(script.toString(), "start", dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try {
        p.getInputStream().transferTo(out);
      } catch (IOException ignored) {
        // the process ended
      }
    });
    reader.start();
    if (!p.waitFor(START_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
      p.destroy();
      fail("hack/kube-apiserver.sh start did not finish within " + START_TIMEOUT.toMinutes() + " min; CI must run `hack/kube-apiserver.sh build` first");
    }
    reader.join();
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    if (p.exitValue() != 0 || lines.length == 0 || !Files.exists(Path.of(lines[lines.length - 1]))) {
      fail("cannot start a Kubernetes API server: " + script + " start " + dir + " exited with " + p.exitValue()
          + " (its log is above; CI must run `hack/kube-apiserver.sh build` beforehand)");
    }
    Path kubeconfig = Path.of(lines[lines.length - 1]);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    System.out.printf("API server %s ready in %d ms%n", client.getKubernetesVersion().getGitVersion(), (System.nanoTime() - t) / 1_000_000);
    KubeApiServer server = new KubeApiServer(dir, kubeconfig, client);
    server.applyCrds();
    return server;
  }

  /** The admin's kubeconfig. */
  public Path kubeconfig() { return kubeconfig; }

  /** Cluster-admin (system:masters). */
  public KubernetesClient client() { return client; }

  /** A kubeconfig for the same server that authenticates with {@code token} instead of the admin's certificate. */
  public Path kubeconfigWithToken(String token, Path file) throws IOException {
    JsonNode admin = Yaml.MAPPER.readTree(Files.readString(kubeconfig));
    JsonNode cluster = admin.path("clusters").get(0).path("cluster");
    ObjectNode config = Yaml.JSON.createObjectNode();
    config.put("apiVersion", "v1").put("kind", "Config").put("current-context", "token");
    config.putArray("clusters").addObject().put("name", "test").set("cluster", cluster);
    config.putArray("users").addObject().put("name", "token").putObject("user").put("token", token);
    config.putArray("contexts").addObject().put("name", "token").putObject("context").put("cluster", "test").put("user", "token");
    Files.writeString(file, Yaml.write(config));
    return file;
  }

  // ---- the project's resources, as cluster-admin

  public GenericKubernetesResource create(String yaml) {
    GenericKubernetesResource o = Yaml.JSON.treeToValue(Yaml.MAPPER.readTree(yaml), GenericKubernetesResource.class);
    return client.genericKubernetesResources(ClusterManifests.KINDS.get(o.getKind())).inNamespace(o.getMetadata().getNamespace()).resource(o).create();
  }

  public GenericKubernetesResource get(ResourceKey key) {
    return client.genericKubernetesResources(ClusterManifests.KINDS.get(key.kind())).inNamespace(key.namespace()).withName(key.name()).get();
  }

  public void delete(ResourceKey key) {
    client.genericKubernetesResources(ClusterManifests.KINDS.get(key.kind())).inNamespace(key.namespace()).withName(key.name()).delete();
  }

  /** The resource's status, or a missing node when the resource is gone. */
  public JsonNode status(ResourceKey key) {
    GenericKubernetesResource o = get(key);
    return o == null ? Yaml.JSON.missingNode() : Yaml.tree(o).path("status");
  }

  /** One host's entry of status.hosts[], or a missing node. */
  public static JsonNode hostEntry(JsonNode status, String host) {
    for (JsonNode h : status.path("hosts")) if (h.path("name").asString().equals(host)) return h;
    return Yaml.JSON.missingNode();
  }

  /** A condition's status ("True", "False"), or "" when there is no such condition. */
  public static String condition(JsonNode conditions, String type) {
    for (JsonNode c : conditions) if (c.path("type").asString().equals(type)) return c.path("status").asString();
    return "";
  }

  /** The server's minor version (31 for v1.31.14). */
  public int minorVersion() {
    return Integer.parseInt(client.getKubernetesVersion().getMinor().replaceAll("[^0-9]", ""));
  }

  /** Whether this server compiles and enforces the CRDs' CEL rules. */
  public boolean enforcesCel() { return minorVersion() >= CEL_SINCE_MINOR; }

  /** Exit code, stdout and stderr of one kubectl run. */
  public record Run(int exit, String out, String err) {}

  /** The kubectl that goes with this server (hack/kube-apiserver.sh kubectl DIR ARGS), as cluster-admin. */
  public Run kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(script().toString(), "kubectl", dir.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "kubectl-", ".out");
    Path err = Files.createTempFile(dir, "kubectl-", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("kubectl " + String.join(" ", args) + " did not finish within 2 min");
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * As the README says: {@code kubectl apply --server-side -f crds/}, validated, so every CEL rule has to compile.
   * A server before 1.25 drops the rules, and its kubectl refuses the field: there the CRDs go in through the API.
   */
  private void applyCrds() throws Exception {
    long t = System.nanoTime();
    Path crds = Fixtures.repoRoot().resolve("crds");
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(crds)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        CustomResourceDefinition crd = Yaml.JSON.treeToValue(Yaml.MAPPER.readTree(Files.readString(file)), CustomResourceDefinition.class);
        names.add(crd.getMetadata().getName());
        if (!enforcesCel()) client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    }
    if (enforcesCel()) {
      Run apply = kubectl("apply", "--server-side", "-f", crds.toString());
      if (apply.exit() != 0) fail("kubectl apply --server-side -f crds/ failed on " + client.getKubernetesVersion().getGitVersion() + ":\n" + apply.err());
    }
    for (String name : names) {
      await("CRD " + name + " established").atMost(Duration.ofSeconds(60)).until(() -> {
        var status = client.apiextensions().v1().customResourceDefinitions().withName(name).get().getStatus();
        return status != null && status.getConditions() != null
            && status.getConditions().stream().anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
      });
    }
    System.out.printf("CRDs %s established in %d ms%n", enforcesCel() ? "(kubectl apply --server-side, CEL compiled)" : "(CEL dropped)",
        (System.nanoTime() - t) / 1_000_000);
  }

  /** The API server stops answering (SIGSTOP: connections hang, as in a network partition); etcd keeps running. */
  public void pause() throws Exception { signal("pause"); }

  /** It answers again (SIGCONT). */
  public void resume() throws Exception { signal("resume"); }

  private void signal(String what) throws Exception {
    Process p = new ProcessBuilder(script().toString(), what, dir.toString()).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) fail("hack/kube-apiserver.sh " + what + " " + dir + " failed");
  }

  @Override
  public void close() throws Exception {
    client.close();
    new ProcessBuilder(script().toString(), "stop", dir.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static Path script() { return Fixtures.repoRoot().resolve("hack/kube-apiserver.sh"); }
}
