package io.openclaw.operator.testing;

import static io.openclaw.operator.testing.Checks.timing;
import static io.openclaw.operator.testing.Checks.waitFor;

import io.openclaw.operator.api.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The full local stack of examples/stack/ for one test run, every component the real program on the images
 * hack/stack-images.sh builds (OpenClaw's gateway, HAProxy as the socket proxy, LiteLLM, Redis, Smokescreen), run by
 * the operator in-process, plus the outside world: the fake model server on the egress network as
 * {@value #ALLOWED_HOST} (on the allowlist) and as {@value #DENIED_HOST} (not on it).
 *
 * <p>The manifests are examples/stack/ with the run's names ({@link TestManifests}: GatewayDeployment and namespace
 * {@code <run>}, networks {@code <run>-int} and {@code <run>-egr}, state under /tmp/{@code <run>}) and four changes:
 * <ul>
 *   <li>The egress network is created here, before the operator starts, so that its subnet (Docker's pick) is known:
 *   the fake model server has an address in a private range, which Smokescreen refuses unless the allowlist's
 *   {@code allowRanges} admits it, and exactly that subnet is admitted. The operator adopts a network of the right
 *   kind that carries no other owner.</li>
 *   <li>The sandbox image is the stack's, with this run's label added ({@link #sandboxImage}): a container inherits its
 *   image's labels, so every sandbox OpenClaw makes carries the run's label, though OpenClaw has no setting for
 *   labels; the SandboxPolicy selects on it (as {@link TestManifests#policy} does) and so governs this run's
 *   sandboxes only, never another test's on the shared engine.</li>
 *   <li>The upstream provider key in LiteLLM's config is unique to the run ({@link #providerKey}), so a search for it
 *   cannot be confused by a copy from elsewhere.</li>
 *   <li>{@code foreignContainers: disconnect}, the seed's, which leaves the fake servers on the egress network alone:
 *   only the internal network is the stack's own.</li>
 * </ul>
 * {@link #close} stops the operator and removes everything of the run (containers, networks, the image).
 */
public final class RealStack implements AutoCloseable {
  public static final String ALLOWED_HOST = "llm.allowed.test";
  public static final String DENIED_HOST = "llm.denied.test";
  /** The example's values that the run replaces. */
  private static final String EXAMPLE_PROVIDER_KEY = "sk-FAKE-upstream-key-not-a-secret";
  private static final String EXAMPLE_SANDBOX_IMAGE = "openclaw-stack/sandbox:local";
  /** Where per-run sandbox images go: out of hack/stack-images.sh's names. */
  private static final String RUN_IMAGE_REPOSITORY = "openclaw-e2e/sandbox";
  private static final String DOCKER = "docker";

  public final DockerHost docker;
  public final TestManifests m;
  public final String sandboxImage;
  public final String providerKey;
  public final Path manifests;
  private final Path stateDir;
  private String egressSubnet;
  private OperatorHarness op;

  private RealStack(DockerHost docker) throws IOException {
    this.docker = docker;
    this.m = new TestManifests(docker.runId());
    this.sandboxImage = RUN_IMAGE_REPOSITORY + ":" + docker.runId();
    this.providerKey = "sk-FAKE-upstream-" + docker.runId() + "-" + HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(8));
    this.manifests = Files.createTempDirectory("whole-stack-manifests");
    this.stateDir = Files.createTempDirectory("whole-stack-state");
  }

  /**
   * Starts it and waits until the operator reports all three resources Ready and the gateway and LiteLLM listen. On
   * a failure part way, what was made is removed before the exception leaves.
   */
  public static RealStack start(DockerHost docker) throws Exception {
    StackImages.requireAll();
    RealStack stack = new RealStack(docker);
    try {
      stack.startOutsideWorld();
      stack.writeManifests();
      long t = System.nanoTime();
      stack.op = OperatorHarness.start(docker, stack.manifests, stack.stateDir);
      stack.awaitReady();
      timing("the operator: the stack Ready and its programs listening", t);
      return stack;
    } catch (Throwable e) {
      stack.close();
      throw e;
    }
  }

  /** The run's sandbox image, the egress network (its subnet is Docker's pick) and the fake model servers on it. */
  private void startOutsideWorld() {
    removeStaleRunImages();
    long t = System.nanoTime();
    build(sandboxImage, StackImages.reference("sandbox"), docker.runId());
    timing("the run's sandbox image (the stack's plus a label)", t);
    t = System.nanoTime();
    Checks.exec(DOCKER, "network", "create", "--label", DockerHost.TEST_LABEL + "=" + docker.runId(), m.egress());
    egressSubnet = Checks.exec(DOCKER, "network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{end}}", m.egress()).strip().split(" ")[0];
    if (!egressSubnet.matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+")) {
      throw new IllegalStateException("no IPv4 subnet on " + m.egress() + ": " + egressSubnet);
    }
    for (String host : List.of(ALLOWED_HOST, DENIED_HOST)) startFakeModel(host);
    timing("egress network " + egressSubnet + " and the fake model servers", t);
  }

  private void awaitReady() {
    waitFor("the GatewayDeployment, SandboxPolicy and EgressAllowlist to be Ready", Duration.ofSeconds(300),
        () -> op.ready(m.gatewayKey()) && op.ready(m.policyKey()) && op.ready(m.allowlistKey()),
        () -> op.reason(m.gatewayKey(), "Ready") + " | " + op.reason(m.policyKey(), "Ready") + " | " + op.reason(m.allowlistKey(), "Ready"));
    // Ready says the containers run as specified; the programs in them take a while longer to listen. Their logs say
    // when; read once a second (each read is a docker CLI process).
    for (String[] wanted : new String[][] {{"gateway", "[gateway] ready"}, {"model-proxy", "Application startup complete"}}) {
      try {
        org.awaitility.Awaitility.await(wanted[0] + " to log \"" + wanted[1] + "\"").atMost(Duration.ofSeconds(300))
            .pollInterval(Duration.ofSeconds(1)).until(() -> logs(wanted[0]).contains(wanted[1]));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(container(wanted[0]) + " did not log \"" + wanted[1] + "\" within 300 s; its log ends: " + tail(logs(wanted[0])), e);
      }
    }
  }

  /** The egress network's subnet, which the allowlist's allowRanges admits. */
  public String egressSubnet() { return egressSubnet; }

  public OperatorHarness operator() { return op; }

  /** A component's container name, by its alias (gateway, socket-proxy, model-proxy, cache, egress-proxy). */
  public String container(String alias) { return m.container(alias); }

  public String fakeModel(String host) { return docker.runId() + "-" + host.replace('.', '-'); }

  /** A container's logs, stdout and stderr together. */
  public String logs(String alias) { return logsOf(container(alias)); }

  public String logsOf(String name) {
    Checks.Result r = Checks.run(Duration.ofSeconds(60), List.of(DOCKER, "logs", name));
    return r.stdout() + r.stderr();
  }

  /** A container's address on a network, or empty. */
  public String address(String name, String network) {
    JsonNode networks = Yaml.JSON.readTree(Checks.exec(DOCKER, "inspect", "-f", "{{json .NetworkSettings.Networks}}", name));
    return networks.path(network).path("IPAddress").asString("");
  }

  /** The networks a container is attached to. */
  public List<String> networksOf(String name) {
    JsonNode networks = Yaml.JSON.readTree(Checks.exec(DOCKER, "inspect", "-f", "{{json .NetworkSettings.Networks}}", name));
    return networks.propertyStream().map(java.util.Map.Entry::getKey).sorted().toList();
  }

  /** Runs a command inside the gateway container, as the gateway's user, with the gateway's environment. */
  public Checks.Result inGateway(Duration timeout, String... command) {
    List<String> full = new ArrayList<>(List.of(DOCKER, "exec", container("gateway")));
    full.addAll(List.of(command));
    return Checks.run(timeout, full);
  }

  private void startFakeModel(String host) {
    String name = fakeModel(host);
    // HTTPS on 443, the only port the egress proxy tunnels to (as nobody: the sysctl lets it bind there).
    Checks.exec(DOCKER, "run", "-d", "--name", name, "--label", DockerHost.TEST_LABEL + "=" + docker.runId(), "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges", "--memory", "128m", "--pids-limit", "64", "--network", m.egress(), "--network-alias", host,
        "--sysctl", "net.ipv4.ip_unprivileged_port_start=443", StackImages.reference("fake-llm"), "--port", "8080", "--tls-port", "443");
  }

  /** examples/stack/ with the run's names and the changes the class comment lists. */
  private void writeManifests() throws IOException {
    Path example = Fixtures.examples().resolve("stack");
    try (Stream<Path> files = Files.walk(example)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = manifests.resolve(example.relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    String run = docker.runId();

    ObjectNode gateway = read("gateway.yaml");
    rename(gateway, run);
    ObjectNode spec = (ObjectNode) gateway.path("spec");
    ((ObjectNode) spec.path("networks")).put("internal", m.internal()).put("egress", m.egress());
    ((ObjectNode) spec.path("gateway")).put("stateDir", m.stateDir());
    ((ObjectNode) spec.path("egressProxy").path("allowlistRef")).put("name", m.allowlistKey().name());
    spec.put("foreignContainers", "disconnect");
    write("gateway.yaml", gateway);

    ObjectNode allowlist = read("egress-allowlist.yaml");
    rename(allowlist, m.allowlistKey().name());
    ((ObjectNode) allowlist.path("spec")).putArray("allowRanges").add(egressSubnet);
    write("egress-allowlist.yaml", allowlist);

    ObjectNode policy = read("sandbox-policy.yaml");
    rename(policy, m.policyKey().name());
    ObjectNode policySpec = (ObjectNode) policy.path("spec");
    ((ObjectNode) policySpec.path("gatewayRef")).put("name", run);
    ((ObjectNode) policySpec.path("selector").path("matchLabels")).put(DockerHost.TEST_LABEL, run);
    write("sandbox-policy.yaml", policy);

    replace("secrets/openclaw.json", EXAMPLE_SANDBOX_IMAGE, sandboxImage);
    replace("secrets/litellm-config.yaml", EXAMPLE_PROVIDER_KEY, providerKey);
  }

  private ObjectNode read(String file) throws IOException { return (ObjectNode) Yaml.MAPPER.readTree(Files.readString(manifests.resolve(file))); }

  private void write(String file, ObjectNode manifest) throws IOException {
    Files.writeString(manifests.resolve(file), Yaml.MAPPER.writeValueAsString(manifest));
  }

  private void rename(ObjectNode manifest, String name) {
    ((ObjectNode) manifest.path("metadata")).put("name", name).put("namespace", docker.runId());
  }

  private void replace(String file, String from, String to) throws IOException {
    Path path = manifests.resolve(file);
    String text = Files.readString(path);
    if (!text.contains(from)) throw new IllegalStateException("examples/stack/" + file + " no longer says " + from + ": update " + getClass().getSimpleName());
    Files.writeString(path, text.replace(from, to));
  }

  /** An image FROM base with one more label, built by the daemon's own builder (no BuildKit needed). */
  private static void build(String reference, String base, String run) {
    ProcessBuilder pb = new ProcessBuilder(DOCKER, "build", "-q", "--label", DockerHost.TEST_LABEL + "=" + run, "-t", reference, "-")
        .redirectErrorStream(true);
    pb.environment().put("DOCKER_BUILDKIT", "0");
    try {
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        in.write(("FROM " + base + "\nLABEL " + DockerHost.TEST_LABEL + "=" + run + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() != 0) throw new IllegalStateException("docker build of " + reference + " failed: " + out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Run images left behind by test JVMs that died more than an hour ago (one still in use stays). */
  private static void removeStaleRunImages() {
    Instant stale = Instant.now().minus(Duration.ofHours(1));
    for (String image : Checks.exec(DOCKER, "images", "--format", "{{.Repository}}:{{.Tag}}", RUN_IMAGE_REPOSITORY).lines().toList()) {
      Checks.Result created = Checks.run(Duration.ofSeconds(30), List.of(DOCKER, "image", "inspect", "-f", "{{.Created}}", image));
      if (created.exit() == 0 && Instant.parse(created.stdout().strip()).isBefore(stale)) {
        Checks.run(Duration.ofSeconds(60), List.of(DOCKER, "rmi", image));
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  static String tail(String log) { return log.length() > 1500 ? log.substring(log.length() - 1500) : log; }

  @Override
  public void close() throws Exception {
    try {
      if (op != null) op.close();
    } finally {
      // Containers first (the sandboxes use the image), then networks, then the image.
      docker.sweep(docker.runId());
      Checks.run(Duration.ofSeconds(60), List.of(DOCKER, "rmi", sandboxImage));
      for (Path dir : List.of(manifests, stateDir)) deleteTree(dir);
    }
  }
}
