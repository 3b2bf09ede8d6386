package io.openclaw.operator.image;

import static io.openclaw.operator.testing.OperatorImage.inspect;
import static io.openclaw.operator.testing.OperatorImage.logs;
import static io.openclaw.operator.testing.OperatorImage.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.cli.Main;
import io.openclaw.operator.source.ManifestLoader;
import io.openclaw.operator.status.FileStatusWriter;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.Helm;
import io.openclaw.operator.testing.OperatorImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The operator image, built offline by hack/operator-image.sh from the Dockerfile, run the way deploy/compose.yaml runs
 * it on a Docker host (on-host mode): the socket, the host's root read-only at /host, the manifests read-only, the state
 * directory, user 65532 with the socket's group, a read-only root filesystem with a tmpfs /tmp, no capabilities. On a
 * copy of examples/local/ whose names are this run's (the engine is shared), every resource becomes Ready; removing
 * the manifests tears the stack down; then the operator container goes. Runs after `package` (failsafe): it needs the jar.
 */
class OperatorImageIT {
  @RegisterExtension static DockerHost docker = new DockerHost();
  private static final String DOCKER = OperatorImage.DOCKER;
  private static final String STATE_IN_IMAGE = "/var/lib/openclaw-docker-operator";
  private static final String MANIFESTS_IN_IMAGE = "/etc/openclaw-docker-operator/manifests";
  private static final int IMAGE_UID = 65532;

  @TempDir Path temp;

  @Test
  void theBuiltImageRunsTheLocalExamplesOnTheHostUntilEveryResourceIsReadyAndTearsThemDown() throws Exception {
    String run = docker.runId();
    String image = OperatorImage.build();

    Path manifests = temp.resolve("manifests");
    Path state = temp.resolve("state");
    int hostPort = freePort();
    List<ResourceKey> keys = copyLocalExamples(manifests, run, hostPort);
    Files.createDirectories(state);
    Files.setAttribute(state, "unix:uid", IMAGE_UID);
    Files.setAttribute(state, "unix:gid", IMAGE_UID);
    // The image's user must reach both through the temporary directory (created 0700).
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    String socketGroup = Files.getAttribute(Path.of("/var/run/docker.sock"), "unix:gid").toString();

    String operator = run + "-operator";
    List<String> command = new ArrayList<>(List.of(DOCKER, "run", "-d", "--name", operator, "--label", DockerHost.TEST_LABEL + "=" + run,
        "--user", IMAGE_UID + ":" + IMAGE_UID, "--group-add", socketGroup,
        "--read-only", "--tmpfs", "/tmp:rw,nosuid,size=64m", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
        "-v", "/var/run/docker.sock:/var/run/docker.sock",
        "-v", "/:/host:ro",
        "-v", manifests + ":" + MANIFESTS_IN_IMAGE + ":ro",
        "-v", state + ":" + STATE_IN_IMAGE,
        image)); // no command: the image's default is on-host mode (run --manifests ... --host-root /host)
    FileStatusWriter status = new FileStatusWriter(state);
    try {
      long started = System.nanoTime();
      Helm.Run start = Helm.run(command);
      assertThat(start.code()).as("docker run: %s", start.err()).isZero();

      try {
        await("every resource Ready in the mounted state directory").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
            .until(() -> {
              if (!running(operator)) fail("the operator container stopped:\n" + logs(operator));
              return keys.stream().allMatch(k -> "True".equals(condition(status, k, "Ready")));
            });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        StringBuilder statuses = new StringBuilder();
        for (ResourceKey k : keys) statuses.append(k).append(": ").append(status.read(k).map(Object::toString).orElse("(none)")).append('\n');
        throw new AssertionError(e.getMessage() + "\n" + statuses + "operator's log:\n" + logs(operator), e);
      }
      System.out.printf("image %s: container start to all %d resources Ready: %d ms%n", image, keys.size(), (System.nanoTime() - started) / 1_000_000);

      String logs = logs(operator);
      assertThat(logs).as("bind sources resolved through the host's root, not the container's")
          .contains("bind sources: symlinks resolved inside /host");
      for (ResourceKey key : keys) {
        assertThat(Files.getAttribute(status.fileOf(key), "unix:uid")).as("%s written by the image's user", key).isEqualTo(IMAGE_UID);
      }
      String address = inspect(operator, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://" + address + ":9464/readyz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as("/readyz on 0.0.0.0:9464 inside the container").isEqualTo(200);
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://" + address + ":9464/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("openclaw_operator_queue_depth");
      assertThat(stackContainers(run)).as("the stack the operator made").hasSizeGreaterThanOrEqualTo(5);

      // Removing the manifests tears down what was loaded, then the operator stops on SIGTERM.
      long teardown = System.nanoTime();
      try (Stream<Path> files = Files.list(manifests)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) Files.delete(f);
      }
      await("the operator removes the stack").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
          .until(() -> stackContainers(run).isEmpty() && stackNetworks(run).isEmpty());
      System.out.printf("stack torn down by the operator in %d ms%n", (System.nanoTime() - teardown) / 1_000_000);
      long stop = System.nanoTime();
      Helm.Run stopped = Helm.run(List.of(DOCKER, "stop", "-t", "60", operator));
      assertThat(stopped.code()).as("docker stop: %s", stopped.err()).isZero();
      System.out.printf("operator container stopped in %d ms, exit code %s%n", (System.nanoTime() - stop) / 1_000_000,
          inspect(operator, "{{.State.ExitCode}}"));
      assertThat(logs(operator)).contains("stopping: finishing in-flight reconciles");
    } finally {
      Helm.run(List.of(DOCKER, "rm", "-f", "-v", operator));
    }
    assertThat(Helm.run(List.of(DOCKER, "inspect", operator)).code()).as("the operator container is gone").isNotZero();
  }

  // ---- examples/local/, renamed for this run

  /**
   * examples/local/ (manifests and secret files) with every name that reaches the shared engine made this run's:
   * resource names (so containers are "<run>-openclaw-gateway" and so on), networks, the gateway's state directory
   * and the ingress proxy's published port. Returns the keys of the resources, and proves the copy validates and
   * keeps none of the fixed names.
   */
  private static List<ResourceKey> copyLocalExamples(Path target, String run, int hostPort) throws IOException {
    Path source = Fixtures.examples().resolve("local");
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path p : paths.toList()) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
          continue;
        }
        String text = Files.readString(p);
        if (p.toString().endsWith(".yaml") && p.getParent().equals(source)) text = rename(text, run, hostPort);
        Files.writeString(to, text);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
    ManifestLoader.Result loaded = ManifestLoader.load(List.of(target));
    assertThat(loaded.problems().stream().filter(io.openclaw.operator.api.validation.Problem::isError).toList())
        .as("the renamed copy validates").isEmpty();
    assertThat(Main.execute("validate", target.toString())).as("validate on the renamed copy").isZero();
    List<ResourceKey> keys = loaded.manifests().stream().map(Manifest::resource).map(ResourceKey::of).toList();
    assertThat(keys).extracting(ResourceKey::kind).containsExactlyInAnyOrder("GatewayDeployment", "SandboxPolicy", "EgressAllowlist");
    assertThat(keys).allSatisfy(k -> assertThat(k.name()).startsWith(run + "-"));
    try (Stream<Path> files = Files.list(target)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        String text = Files.readString(f);
        Matcher fixed = Pattern.compile("(?<![\\w-])(openclaw-net|egress-net|ingress-net|/var/lib/openclaw-local|18443)").matcher(text);
        List<String> left = new ArrayList<>();
        while (fixed.find()) left.add(fixed.group());
        assertThat(left).as("fixed names left in %s", f.getFileName()).isEmpty();
      }
    }
    return keys;
  }

  private static String rename(String yaml, String run, int hostPort) {
    String out = yaml.replaceAll("(?m)^(\\s*name: )(openclaw|openclaw-sandboxes|llm-providers)\\s*$", "$1" + run + "-$2");
    out = out.replaceAll("\\{name: (openclaw|llm-providers)}", "{name: " + run + "-$1}");
    out = out.replaceAll("(?<![\\w-])(openclaw-net|egress-net|ingress-net)(?![\\w-])", run + "-$1");
    out = out.replace("/var/lib/openclaw-local", "/tmp/" + run + "/gateway-state");
    return out.replace("hostPort: 18443", "hostPort: " + hostPort);
  }

  // ---- what the engine and the status files say

  private static String condition(FileStatusWriter status, ResourceKey key, String type) {
    Path file = status.fileOf(key);
    if (!Files.exists(file)) return "";
    JsonNode conditions;
    try {
      conditions = Yaml.MAPPER.readTree(Files.readString(file)).path("status").path("conditions");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (JsonNode c : conditions) if (c.path("type").asString().equals(type)) return c.path("status").asString();
    return "";
  }

  private static List<String> stackContainers(String run) {
    return lines(Helm.run(List.of(DOCKER, "ps", "-a", "--filter", "name=^/" + run + "-openclaw-", "--format", "{{.Names}}")).out());
  }

  private static List<String> stackNetworks(String run) {
    return lines(Helm.run(List.of(DOCKER, "network", "ls", "--filter", "name=^" + run + "-", "--format", "{{.Name}}")).out());
  }

  private static List<String> lines(String text) { return text.lines().filter(l -> !l.isBlank()).toList(); }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
