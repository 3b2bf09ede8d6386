package io.openclaw.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openclaw.operator.runtime.Operator;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.Sandboxes;
import io.openclaw.operator.testing.SmokescreenImage;
import io.openclaw.operator.testing.TestEngine.Cli;
import io.openclaw.operator.testing.TestEngine;
import io.openclaw.operator.testing.TestManifests;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator as the authorization plugin of a real dockerd (one of the test's own, hack/test-dockerd.sh, turned on
 * with hack/admission.sh as a user would): what the planners would kill never exists, the cap holds under concurrent
 * starts, the stack's containers are out of everyone else's reach, and a plugin that is gone fails every request until
 * it returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionIT {
  private static final String SOCKET_PROXY_IMAGE = "openclaw-stack/socket-proxy:local";
  private static final String STANDIN = "openclaw-standin/";

  private final String run = "it-" + UUID.randomUUID().toString().substring(0, 6);
  private final TestManifests m = new TestManifests(run);
  private final String plugin = run + "-authz";
  private final Path work = Path.of("/tmp", run);
  private final Path pluginSocket = work.resolve("plugin.sock");
  private final Path stateDir = work.resolve("operator-state");
  private TestEngine engine;
  private OperatorHarness operator;
  private Sandboxes sandboxes;
  private Map<String, String> stackIds;

  @BeforeAll
  void startEngineOperatorAndPlugin() throws Exception {
    Files.createDirectories(work.resolve("manifests"));
    Files.createDirectories(Path.of(m.stateDir()));
    // The gateway (uid 1000) writes what it saw through the socket proxy into its state directory.
    new ProcessBuilder("chown", "-R", "1000:1000", Path.of(m.stateDir()).getParent().toString()).start().waitFor();
    engine = TestEngine.start(Path.of("/tmp", run + "-engine"), List.of(STANDIN + "gateway:dev", STANDIN + "model-proxy:dev",
        STANDIN + "cache:dev", DockerHost.SANDBOX_IMAGE, SmokescreenImage.reference(), SOCKET_PROXY_IMAGE));
    sandboxes = new Sandboxes(run, m.stateDir(), engine.host);
    Files.writeString(work.resolve("manifests/gateway.yaml"), m.gateway("""
        hostBaseline: {enforcement: enforce}
        """).replace(STANDIN + "socket-proxy:dev", SOCKET_PROXY_IMAGE)
        .replace("    stateDir: " + m.stateDir(), "    stateDir: " + m.stateDir() + "\n    command: [/bin/sh, -c, " + quoted(attackScript()) + "]"));
    Files.writeString(work.resolve("manifests/policy.yaml"), m.policy(""));
    Files.writeString(work.resolve("manifests/allowlist.yaml"), m.allowlist("*.anthropic.com"));
    operator = OperatorHarness.start(engine.endpoint(), work.resolve("manifests"), stateDir, new Operator.AdmissionOptions(pluginSocket, Set.of()));
    engine.admissionOn(plugin, pluginSocket);
    await("the stack Ready with the plugin on").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> operator.ready(m.gatewayKey()) && operator.ready(m.policyKey()));
    stackIds = stackIds();
  }

  @AfterAll
  void removeEverything() throws Exception {
    // The plugin off first (a stopped operator would fail every request), then the operator (at work while the engine's
    // containers are removed, it recreated them as the daemon went away), then the engine.
    try {
      if (engine != null) engine.admissionOff();
      if (operator != null) operator.close();
    } finally {
      try {
        if (engine != null) engine.close();
      } finally {
        Fixtures.deleteTree(work);
      }
    }
  }

  // ---- create

  /** Baseline breaches of a container nobody labelled: the shapes of the seed's threat chain. */
  static Stream<Arguments> baselineBreaches() {
    return Stream.of(
        Arguments.of("privileged", List.of("--privileged"), "container.privileged"),
        Arguments.of("an added capability", List.of("--cap-add", "SYS_ADMIN"), "container.cap_add"),
        Arguments.of("the Docker socket", List.of("-v", "/var/run/docker.sock:/var/run/docker.sock"), "container.docker_socket_mount"),
        Arguments.of("the host's /etc", List.of("-v", "/etc:/host-etc:ro"), "container.sensitive_mount"),
        Arguments.of("the host's root (and the Docker socket in it)", List.of("-v", "/:/host"), "container.docker_socket_mount"),
        Arguments.of("the host's PID namespace", List.of("--pid", "host"), "container.host_namespace"),
        Arguments.of("the host's network", List.of("--network", "host"), "container.host_namespace"),
        Arguments.of("the host's IPC namespace", List.of("--ipc", "host"), "container.host_namespace"),
        Arguments.of("seccomp unconfined", List.of("--security-opt", "seccomp=unconfined"), "container.unconfined"),
        Arguments.of("AppArmor unconfined", List.of("--security-opt", "apparmor=unconfined"), "container.unconfined"),
        Arguments.of("a host device", List.of("--device", "/dev/mem"), "container.devices"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("baselineBreaches")
  @Order(1)
  void anUnlabelledContainerBreachingTheBaselineIsNeverCreated(String shape, List<String> flags, String rule) {
    String name = run + "-bare-" + UUID.randomUUID().toString().substring(0, 4);
    List<String> args = new ArrayList<>(List.of("create", "--name", name, "--label", DockerHost.TEST_LABEL + "=" + run));
    args.addAll(flags);
    args.add(DockerHost.SANDBOX_IMAGE);
    assertRefused(engine.docker(args.toArray(String[]::new)), rule, shape);
    assertThat(exists(name)).as("a container refused at create does not exist").isFalse();
  }

  /** Isolation breaches of a sandbox: OpenClaw's shape with one thing changed. */
  static Stream<Arguments> sandboxBreaches() {
    return Stream.of(
        Arguments.of("a network", (Edit) (s, f) -> replace(f, "--network", "none", "bridge"), "sandbox.network"),
        Arguments.of("capabilities kept", (Edit) (s, f) -> Sandboxes.without(f, "--cap-drop", true), "sandbox.capabilities"),
        Arguments.of("privileges it may gain", (Edit) (s, f) -> Sandboxes.without(f, "--security-opt", true), "sandbox.no_new_privileges"),
        Arguments.of("the whole sandbox root", (Edit) (s, f) -> add(f, "-v", s.sandboxRoot() + ":/all"), "sandbox.mounts"),
        Arguments.of("another session's workspace", (Edit) (s, f) -> add(f, "-v", s.sandboxRoot() + "/sbx-other:/other"), "sandbox.mounts"),
        Arguments.of("a published port", (Edit) (s, f) -> add(f, "-p", "18080:80"), "sandbox.network"),
        Arguments.of("seccomp unconfined", (Edit) (s, f) -> add(f, "--security-opt", "seccomp=unconfined"), "sandbox.unconfined"),
        Arguments.of("the host's PID namespace", (Edit) (s, f) -> add(f, "--pid", "host"), "sandbox.host_namespace"));
  }

  interface Edit {
    List<String> apply(Sandboxes s, List<String> flags);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sandboxBreaches")
  @Order(2)
  void aSandboxBreachingItsPolicyIsNeverCreated(String shape, Edit edit, String rule) {
    String name = sandboxes.nextName();
    Cli cli = new Cli(1, sandboxes.create(name, edit.apply(sandboxes, sandboxes.conforming(name))), Duration.ZERO);
    assertRefused(cli, rule, shape);
    assertThat(cli.output()).as("the message names the policy, and the openclaw.json key to change where OpenClaw has one")
        .contains("(" + m.policyKey()).containsAnyOf("agents.defaults.sandbox", "OpenClaw never asks for this");
    assertThat(exists(name)).isFalse();
    await("the denial in the policy's status").atMost(Duration.ofSeconds(30)).until(() -> {
      for (var host : operator.status(m.policyKey()).path("hosts")) {
        for (var action : host.path("lastActions")) {
          if (action.path("container").asString().equals(name)) return action.path("action").asString().equals("deny") && action.path("rule").asString().equals(rule);
        }
      }
      return false;
    });
  }

  @Test
  @Order(3)
  void openClawShapedSandboxesAreCreatedAndStarted() {
    String name = sandboxes.nextName();
    String id = sandboxes.run(name, sandboxes.conforming(name));
    assertThat(id).as("docker run of OpenClaw's shape: private workspace rw, skills ro, tmpfs, --init").matches("[0-9a-f]{64}");
    assertThat(engine.docker("inspect", "-f", "{{.State.Running}}", name).output()).isEqualTo("true");
  }

  @Test
  @Order(4)
  void aStrangerMayNotJoinTheStacksInternalNetwork() {
    String name = run + "-stranger";
    assertRefused(engine.docker("create", "--name", name, "--label", DockerHost.TEST_LABEL + "=" + run, "--network", m.internal(),
        DockerHost.SANDBOX_IMAGE), "network.foreign_container", "created on the internal network");
    assertThat(engine.docker("create", "--name", name, "--network", "none", "--label", DockerHost.TEST_LABEL + "=" + run,
        DockerHost.SANDBOX_IMAGE).ok()).as("the same container without the network is fine").isTrue();
    assertRefused(engine.docker("network", "connect", m.internal(), name), "network.foreign_container", "connected later");
  }

  // ---- update, exec

  @Test
  @Order(5)
  void anUpdatePastTheCapsIsRefusedAndOneWithinThemAllowed() {
    String name = sandboxes.nextName();
    sandboxes.run(name, sandboxes.conforming(name));
    assertRefused(engine.docker("update", "--memory", "2g", "--memory-swap", "2g", name), "sandbox.memory", "2 GiB");
    assertRefused(engine.docker("update", "--cpus", "4", name), "sandbox.cpus", "4 CPUs");
    assertRefused(engine.docker("update", "--pids-limit", "4096", name), "sandbox.pids", "4096 PIDs");
    assertThat(engine.docker("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}", name).output())
        .as("the limits are the caps still").isEqualTo((1L << 30) + " 1000000000 512");
    assertThat(engine.docker("update", "--memory", "512m", "--memory-swap", "512m", name).ok()).as("lowering is fine").isTrue();
  }

  @Test
  @Order(6)
  void aPrivilegedExecIsRefusedAndAPlainOneAllowed() {
    String name = sandboxes.nextName();
    sandboxes.run(name, sandboxes.conforming(name));
    assertRefused(engine.docker("exec", "--privileged", name, "id"), "admission.privileged_exec", "privileged exec");
    Cli plain = engine.docker("exec", name, "echo", "hello");
    assertThat(plain.ok()).as(plain.output()).isTrue();
    assertThat(plain.output()).isEqualTo("hello");
  }

  @Test
  @Order(7)
  void theStacksContainersAreOutOfEveryoneElsesReach() {
    String model = m.container("model-proxy");
    String egress = m.container("egress-proxy");
    assertRefused(engine.docker("exec", model, "true"), "admission.infrastructure", "exec into the model proxy");
    assertRefused(engine.docker("cp", model + ":/etc/passwd", "-"), "admission.infrastructure", "archive of the model proxy");
    assertRefused(engine.docker("export", model), "admission.infrastructure", "export of the model proxy");
    assertRefused(engine.docker("kill", egress), "admission.infrastructure", "kill of the egress proxy");
    assertRefused(engine.docker("stop", egress), "admission.infrastructure", "stop of the egress proxy");
    assertRefused(engine.docker("rm", "-f", egress), "admission.infrastructure", "removal of the egress proxy");
    assertRefused(engine.docker("network", "disconnect", "-f", m.internal(), model), "admission.infrastructure", "disconnect");
    assertRefused(engine.docker("create", "--name", m.container("cache"), DockerHost.SANDBOX_IMAGE), "belongs to a component of "
        + m.gatewayKey(), "a container squatting a component's name");
    assertThat(stackIds()).as("the stack is as it was").isEqualTo(stackIds);
  }

  // ---- raw requests the CLI never sends

  @Test
  @Order(8)
  void aCreateWithABodyOverOneMebibyteIsRefused() {
    String name = run + "-huge";
    String body = "{\"Image\":\"" + DockerHost.SANDBOX_IMAGE + "\",\"Labels\":{\"" + DockerHost.TEST_LABEL + "\":\"" + run + "\",\"pad\":\""
        + "x".repeat(1100 * 1024) + "\"},\"HostConfig\":{\"CapAdd\":[\"SYS_ADMIN\"]}}";
    Cli cli = engine.curl("POST", "/v1.41/containers/create?name=" + name, body);
    assertThat(cli.status()).as(cli.output().substring(0, Math.min(400, cli.output().length()))).isEqualTo(403);
    assertThat(cli.output()).contains("authorization denied by plugin " + plugin).contains("admission.body_unreadable");
    assertThat(exists(name)).isFalse();
  }

  @Test
  @Order(9)
  void aStartThatCouldChangeTheContainerIsRefused() {
    String name = sandboxes.nextName();
    String id = sandboxes.create(name, sandboxes.conforming(name));
    Cli old = engine.curl("POST", "/v1.23/containers/" + id + "/start", "{\"CapAdd\":[\"SYS_ADMIN\"],\"Binds\":[\"/var/run/docker.sock:/s\"]}");
    assertThat(old.status()).as(old.output()).isEqualTo(403);
    assertThat(old.output()).contains("admission.api_version");
    Cli withBody = engine.curl("POST", "/v1.41/containers/" + id + "/start", "{\"CapAdd\":[\"SYS_ADMIN\"]}");
    assertThat(withBody.status()).as(withBody.output()).isEqualTo(403);
    assertThat(withBody.output()).contains("admission.start_body");
    assertThat(engine.docker("inspect", "-f", "{{.State.Running}} {{.HostConfig.CapAdd}}", name).output()).isEqualTo("false []");
    assertThat(engine.docker("start", name).ok()).as("the plain start of the same container is fine").isTrue();
  }

  // ---- from inside the gateway

  @Test
  @Order(10)
  void fromInsideTheGatewayTheModelProxyCannotBeReadThroughTheSocketProxy() throws Exception {
    Path state = Path.of(m.stateDir());
    Files.writeString(state.resolve("attack.go"), m.container("model-proxy") + " " + m.container("gateway") + "\n");
    await("the gateway's requests through the socket proxy").atMost(Duration.ofSeconds(60)).until(() -> Files.exists(state.resolve("attack.done")));
    List<String> lines = Files.readAllLines(state.resolve("attack.out"));
    Map<String, String> answers = new java.util.LinkedHashMap<>();
    for (String line : lines) {
      int space = line.indexOf(' ');
      answers.merge(line.substring(0, space), line.substring(space + 1), (a, b) -> a + " " + b);
    }
    assertThat(answers.get("list")).as("the socket proxy passes the gateway's requests: %s", lines).containsPattern("^HTTP/1\\.[01] 200");
    assertThat(answers.get("self-exec")).as("the gateway may exec into itself: %s", lines).containsPattern("^HTTP/1\\.[01] 201");
    assertThat(answers.get("exec")).as("exec into the model proxy: %s", lines).containsPattern("^HTTP/1\\.[01] 403")
        .contains("authorization denied by plugin " + plugin).contains("admission.infrastructure");
    assertThat(answers.get("archive")).as("archive of the model proxy's secrets: %s", lines).containsPattern("^HTTP/1\\.[01] 403")
        .contains("admission.infrastructure");
    // What a prompt-injected gateway would make next: the socket proxy passes container creates, the plugin refuses these.
    assertThat(answers.get("privileged")).as("a privileged container through the socket proxy: %s", lines).containsPattern("^HTTP/1\\.[01] 403")
        .contains("authorization denied by plugin " + plugin).contains("container.privileged");
    assertThat(answers.get("socket")).as("a socket-mounting container through the socket proxy: %s", lines).containsPattern("^HTTP/1\\.[01] 403")
        .contains("container.docker_socket_mount");
    for (String name : List.of(run + "-injected-privileged", run + "-injected-socket")) {
      assertThat(engine.docker("inspect", name).ok()).as("%s was never created", name).isFalse();
    }
  }

  // ---- the cap

  @Test
  @Order(11)
  void twentyConcurrentStartsUnderACapOfEightNeverRunMoreThanEight() throws Exception {
    removeSandboxes();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String name = sandboxes.nextName();
      assertThat(sandboxes.create(name, sandboxes.conforming(name))).matches("[0-9a-f]{64}");
      names.add(name);
    }
    // Counted twice: the daemon's own start/die events in order, and a list of running sandboxes sampled continuously.
    Process events = new ProcessBuilder("docker", "-H", engine.host, "events", "--filter", "label=openclaw.sandbox=1", "--filter", "event=start",
        "--filter", "event=die", "--format", "{{.Status}} {{.ID}}").redirectErrorStream(true).start();
    AtomicInteger maxByEvents = new AtomicInteger();
    Set<String> runningByEvents = ConcurrentHashMap.newKeySet();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          String[] f = line.split(" ");
          if (f[0].equals("start")) runningByEvents.add(f[1]);
          else runningByEvents.remove(f[1]);
          maxByEvents.accumulateAndGet(runningByEvents.size(), Math::max);
        }
      } catch (IOException ignored) {
        // the process was stopped
      }
    });
    reader.start();
    Set<String> stack = new HashSet<>(stackIds.values().stream().map(v -> v.split(" ")[0]).toList());
    AtomicBoolean sampling = new AtomicBoolean(true);
    AtomicInteger maxBySampling = new AtomicInteger();
    AtomicInteger samples = new AtomicInteger();
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        long running = engine.api().listContainers().stream().filter(s -> "running".equals(s.state()) && !stack.contains(s.id())).count();
        maxBySampling.accumulateAndGet((int) running, Math::max);
        samples.incrementAndGet();
      }
    });
    sampler.start();
    Thread.sleep(500); // the events stream is attached
    ExecutorService starters = Executors.newFixedThreadPool(20);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Cli>> starts = new ArrayList<>();
    for (String name : names) {
      starts.add(starters.submit(() -> {
        go.await();
        return engine.docker("start", name);
      }));
    }
    go.countDown();
    List<Cli> results = new ArrayList<>();
    for (Future<Cli> f : starts) results.add(f.get());
    starters.shutdown();
    Thread.sleep(1000); // the last events arrive, the operator has seen them
    sampling.set(false);
    sampler.join();
    events.destroy();
    reader.join();

    long started = results.stream().filter(Cli::ok).count();
    List<Cli> refused = results.stream().filter(c -> !c.ok()).toList();
    System.out.printf("[cap] 20 concurrent starts: %d started, %d refused; most running by events %d, by %d samples %d%n", started,
        refused.size(), maxByEvents.get(), samples.get(), maxBySampling.get());
    assertThat(started).as("exactly the cap's worth started").isEqualTo(8);
    assertThat(refused).allSatisfy(c -> assertThat(c.output()).contains("authorization denied by plugin " + plugin).contains("sandbox.max_concurrent"));
    assertThat(maxByEvents.get()).as("never more than 8 running, by the daemon's events").isEqualTo(8);
    assertThat(maxBySampling.get()).as("never more than 8 running, sampled").isLessThanOrEqualTo(8);
    assertThat(samples.get()).as("the sampler ran throughout").isGreaterThan(3);
  }

  // ---- failure

  @Test
  @Order(20)
  void withThePluginGoneEveryRequestFailsUntilItReturns() throws Exception {
    operator.close();
    operator = null;
    Cli down = engine.docker(Duration.ofSeconds(120), "ps", "-q");
    System.out.printf("[admission] with the plugin gone, docker ps failed after %d ms: %s%n", down.took().toMillis(), down.output());
    assertThat(down.ok()).as("fails closed: the daemon refuses what it cannot ask about").isFalse();
    assertThat(down.output()).contains(plugin);
    assertThat(down.took()).as("after the daemon's retries (about 32 s)").isGreaterThan(Duration.ofSeconds(15));

    operator = OperatorHarness.start(engine.endpoint(), work.resolve("manifests"), stateDir, new Operator.AdmissionOptions(pluginSocket, Set.of()));
    await("requests pass again").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> engine.docker("ps", "-q").ok());
    await("Ready again").atMost(Duration.ofSeconds(90)).until(() -> operator.ready(m.gatewayKey()));
    assertThat(stackIds()).as("the stack was not touched while the plugin was gone").isEqualTo(stackIds);
    assertRefused(engine.docker("create", "--privileged", "--name", run + "-after", DockerHost.SANDBOX_IMAGE), "container.privileged",
        "privileged, after the return");
  }

  // ---- helpers

  private void assertRefused(Cli cli, String rule, String shape) {
    assertThat(cli.ok()).as(shape + " must be refused: " + cli.output()).isFalse();
    assertThat(cli.output()).as(shape).contains("authorization denied by plugin " + plugin + ":").contains(rule);
  }

  private boolean exists(String name) { return engine.docker("inspect", "-f", "{{.Id}}", name).ok(); }

  /** The stack's containers by name, with their ids. */
  private Map<String, String> stackIds() {
    Map<String, String> ids = new java.util.TreeMap<>();
    for (String component : List.of("gateway", "socket-proxy", "model-proxy", "cache", "egress-proxy")) {
      ids.put(component, engine.docker("inspect", "-f", "{{.Id}} {{.State.Running}}", m.container(component)).output());
    }
    return ids;
  }

  private void removeSandboxes() {
    Cli ids = engine.docker("ps", "-aq", "--filter", "label=openclaw.sandbox=1");
    Set<String> all = new HashSet<>(List.of(ids.output().split("\\s+")));
    all.remove("");
    if (!all.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f"));
      args.addAll(all);
      assertThat(engine.docker(args.toArray(String[]::new)).ok()).isTrue();
    }
  }

  /**
   * What the gateway runs instead of the stand-in: once the test names the model proxy in attack.go, it asks the socket
   * proxy (its DOCKER_HOST) for a list, an exec into itself, an exec into the model proxy and an archive of the model
   * proxy's secrets, and writes each answer's status line and message to attack.out.
   */
  private String attackScript() {
    String state = m.stateDir();
    return String.join("\n",
        "hp=${DOCKER_HOST#tcp://}; h=${hp%:*}; p=${hp##*:}",
        "ask() { printf '%s %s HTTP/1.0\\r\\nHost: docker\\r\\nContent-Type: application/json\\r\\nContent-Length: %s\\r\\n\\r\\n%s' \"$2\" \"$3\" \"${#4}\" \"$4\""
            + " | nc -w 10 $h $p > " + state + "/answer 2>&1; echo \"$1 $(head -n 1 " + state + "/answer | tr -d '\\r') $(tail -n 1 " + state + "/answer)\" >> " + state + "/attack.out; }",
        "until [ -f " + state + "/attack.go ]; do sleep 0.5; done",
        "read model self < " + state + "/attack.go",
        "ask list GET /containers/json ''",
        "ask self-exec POST /containers/$self/exec '{\"Cmd\":[\"true\"]}'",
        "ask exec POST /containers/$model/exec '{\"AttachStdout\":true,\"Cmd\":[\"cat\",\"/proc/1/environ\"]}'",
        "ask archive GET '/containers/'$model'/archive?path=/run/secrets' ''",
        "ask privileged POST '/containers/create?name=" + run + "-injected-privileged' '{\"Image\":\"" + DockerHost.SANDBOX_IMAGE
            + "\",\"HostConfig\":{\"Privileged\":true}}'",
        "ask socket POST '/containers/create?name=" + run + "-injected-socket' '{\"Image\":\"" + DockerHost.SANDBOX_IMAGE
            + "\",\"HostConfig\":{\"Binds\":[\"/var/run/docker.sock:/var/run/docker.sock\"]}}'",
        "touch " + state + "/attack.done",
        "exec sleep infinity");
  }

  /** A YAML double-quoted scalar. */
  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private static List<String> replace(List<String> flags, String flag, String from, String to) {
    List<String> out = new ArrayList<>(flags);
    int i = out.indexOf(flag);
    if (i >= 0 && out.get(i + 1).equals(from)) out.set(i + 1, to);
    return out;
  }

  private static List<String> add(List<String> flags, String flag, String value) {
    List<String> out = new ArrayList<>(flags);
    out.add(flag);
    out.add(value);
    return out;
  }
}
