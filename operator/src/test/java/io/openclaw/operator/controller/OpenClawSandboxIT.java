package io.openclaw.operator.controller;

import static io.openclaw.operator.testing.Checks.timing;
import static io.openclaw.operator.testing.Checks.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.transport.DockerHttpClient;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.FakeModel;
import io.openclaw.operator.testing.OpenClawCli;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.TestManifests;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The real OpenClaw (hack/openclaw.sh's pinned release) makes its sandboxes on the engine while the operator runs on
 * it. OpenClaw runs embedded agent turns ({@code openclaw agent --local}) against a fake OpenAI-compatible model
 * ({@link FakeModel}) whose reply calls the {@code exec} tool, with the openclaw.json the operator delivered into the
 * gateway container plus only what a turn on this host needs (the model provider, the workspace path, the stand-in
 * sandbox image). The sandboxes carry this run's label (see {@link OpenClawCli}), which the policy's selector requires.
 *
 * <p>The rendered config leaves OpenClaw's sandbox scope at its default, {@code agent}: one sandbox per agent and
 * agent workspace, whose {@code openclaw.sessionKey} label is that scope ({@code agent:main:workspace:<hash>}), not
 * the conversation's session key. Each turn here has its own state directory (an embedded turn locks it) and its own
 * agent workspace, so each makes its own sandbox.
 */
class OpenClawSandboxIT {
  @RegisterExtension static DockerHost docker = new DockerHost().keepStackBetweenTests();
  /** One turn takes about a minute on this 2-core machine (20 s of it CPU); ten at once share the cores. */
  private static final long TURN_TIMEOUT_SECONDS = 1200;
  private static final SecureRandom RANDOM = new SecureRandom();

  static TestManifests m;
  static Path work;
  static String sandboxRoot;
  static String policyBase;
  static OperatorHarness op;
  static FakeModel model;
  static OpenClawCli openclaw;
  /** openclaw.json as the operator delivered it into the gateway container. */
  static JsonNode delivered;

  @BeforeAll
  static void start() throws Exception {
    m = new TestManifests(docker.runId());
    // Under /tmp/<run>, which DockerHost removes after the class: OpenClaw's state, workspaces and sandbox workspaces.
    work = Files.createDirectories(Path.of("/tmp", docker.runId(), "openclaw"));
    sandboxRoot = work.resolve("sandboxes").toString();
    policyBase = "enforcement: enforce\nmounts: {sandboxRoot: " + sandboxRoot + "}\n";
    long t = System.nanoTime();
    openclaw = OpenClawCli.install(work, DockerHost.TEST_LABEL, docker.runId());
    timing("hack/openclaw.sh path (installs on first use)", t);
    System.out.println("[openclaw] " + openclaw.version() + "; container sentinel hidden from it: " + OpenClawCli.hostLooksLikeAContainer());
    model = new FakeModel();

    Path manifests = Files.createTempDirectory("openclaw-it-manifests");
    Path state = Files.createTempDirectory("openclaw-it-state");
    Files.writeString(manifests.resolve("gateway.yaml"), m.gateway(""));
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlist("*.openai.com"));
    Files.writeString(manifests.resolve("policy.yaml"), m.policy(policyBase));
    op = OperatorHarness.start(docker, manifests, state);
    waitFor("the gateway and the policy to be Ready", Duration.ofSeconds(120), () -> op.ready(m.policyKey()) && op.ready(m.gatewayKey()));
    waitFor("openclaw.json in the gateway container", Duration.ofSeconds(30),
        () -> docker.api().readFile(m.container("gateway"), OpenClawConfig.PATH).isPresent());
    delivered = Yaml.JSON.readTree(docker.api().readFile(m.container("gateway"), OpenClawConfig.PATH).orElseThrow());
    assertThat(delivered.at("/agents/defaults/sandbox/workspaceRoot").asString()).as("the policy's sandboxRoot, rendered").isEqualTo(sandboxRoot);
    assertThat(delivered.at("/agents/defaults/sandbox/mode").asString()).isEqualTo("all");
  }

  @AfterAll
  static void stop() throws Exception {
    if (op != null) op.close();
    // A sandbox that missed the run's label (an OpenClaw release that runs docker another way) is still this run's if
    // it mounts a workspace under this run's directory; no one else's sandbox does.
    for (JsonNode c : list("{\"name\":[\"openclaw-sbx-\"]}", true)) {
      docker.api().inspectContainer(c.path("Id").asString())
          .filter(v -> v.mounts().stream().anyMatch(mount -> mount.source().startsWith(work + "/")))
          .ifPresent(v -> {
            System.err.println("[cleanup] removing " + v.name() + ", a sandbox of this run without the run's label");
            docker.api().remove(v.id(), true);
          });
    }
    if (model != null) model.close();
    HTTP.close();
  }

  @Test
  void aSandboxMadeFromTheRenderedConfigIsLeftAloneAndTheCommandsOutputReachesTheAgent() throws Exception {
    String session = "agent:main:" + docker.runId() + "-rendered";
    String nonce = nonce();
    Path config = config("rendered", dockerKeys -> {});
    recording = EventLog.start();

    OpenClawCli.Run turn = openclaw.turn("rendered", config, work.resolve("rendered/state"), session, FakeModel.message(nonce),
        TURN_TIMEOUT_SECONDS);

    System.out.printf("[openclaw a] rendered config, session %s: exit %d after %d ms, %s%n", session, turn.exit(), turn.millis(),
        turn.summary());
    assertThat(turn.exit()).as("the turn; log: %s", turn.stderr()).isZero();
    assertThat(turn.reply()).as("the command's output came back to the agent").contains(FakeModel.expectedOutput(nonce));
    List<ContainerView> sandboxes = sandboxesOf("rendered");
    assertThat(sandboxes).as("one sandbox for the turn").hasSize(1);
    ContainerView sandbox = sandboxes.get(0);
    assertThat(turn.reply()).as("it ran in that sandbox (its hostname is its short id)").contains(sandbox.id().substring(0, 12));
    System.out.printf("[openclaw a] sandbox %s (session label %s): image %s, cap-drop %s, network %s, memory %d/%d, pids %d, binds %s%n",
        sandbox.name(), sandbox.label(Labels.SESSION_KEY), sandbox.image(), sandbox.capDrop(), sandbox.networkMode(), sandbox.memory(),
        sandbox.memorySwap(), sandbox.pidsLimit(),
        sandbox.mounts().stream().map(mv -> mv.source() + ":" + mv.destination() + (mv.readWrite() ? "" : ":ro")).toList());

    waitFor("the policy to count the sandbox as conforming", Duration.ofSeconds(60), () -> host().path("conforming").asInt() >= 1);
    ContainerView now = docker.api().inspectContainer(sandbox.id()).orElseThrow();
    assertThat(now.running()).as("left running").isTrue();
    assertThat(actionsOn(sandbox.name())).as("no action on it").isEmpty();
    List<Event> events = recording.stop();
    System.out.printf("[openclaw a] events of the sandbox: %s; OpenClaw started it %d ms after creating it%n", actionsOf(events, sandbox.id()),
        (time(events, sandbox.id(), "start") - time(events, sandbox.id(), "create")) / 1_000_000);
    assertThat(actionsOf(events, sandbox.id())).contains("create", "start").doesNotContain("kill", "die", "destroy");
    assertThat(actionsOf(events, sandbox.id())).anyMatch(a -> a.startsWith("exec_start"));
  }

  @Test
  void aCarelessConfigsSandboxNeverRunsACommandAndItsRecurrenceNamesTheOpenClawKey() throws Exception {
    String session = "agent:main:" + docker.runId() + "-careless";
    // Capabilities kept, no PIDs limit, the default bridge, 4 GiB (and swap left to the daemon): not privileged,
    // since this engine refuses to start privileged containers at all.
    Path config = config("careless", dockerKeys -> {
      dockerKeys.putArray("capDrop");
      dockerKeys.remove("pidsLimit");
      dockerKeys.put("network", "bridge");
      dockerKeys.put("memory", "4g");
      dockerKeys.remove("memorySwap");
    });
    Path stateDir = work.resolve("careless/state");
    recording = EventLog.start();
    for (int attempt = 1; attempt <= 2; attempt++) {
      String nonce = nonce();
      OpenClawCli.Run turn = openclaw.turn("careless", config, stateDir, session, FakeModel.message(nonce), TURN_TIMEOUT_SECONDS);
      System.out.printf("[openclaw b] careless config, session %s, try %d: exit %d after %d ms, %s%n", session, attempt, turn.exit(),
          turn.millis(), turn.summary());
      System.out.printf("[openclaw b] try %d: error classes in OpenClaw's log %s; the model was asked %d times, tool results it saw: %s%n",
          attempt, turn.errorNames(), model.requestsFor(nonce), model.toolResults(nonce));
      assertThat(turn.exit()).as("the turn fails; output: %s", turn.stdout()).isNotZero();
      assertThat(turn.error()).as("OpenClaw's own error").isNotEmpty();
      assertThat(turn.reply() + String.join(" ", model.toolResults(nonce))).doesNotContain(FakeModel.expectedOutput(nonce));
    }
    List<Event> events = recording.stop();
    Map<String, List<String>> bySandbox = new LinkedHashMap<>();
    java.util.Set<String> sandboxSessions = new java.util.TreeSet<>();
    for (Event e : events) {
      if (!e.turn().equals("careless")) continue;
      bySandbox.computeIfAbsent(e.id(), id -> new ArrayList<>()).add(e.action());
      sandboxSessions.add(e.sessionKey());
    }
    bySandbox.forEach((id, actions) -> System.out.printf("[openclaw b] sandbox %s: %s%n", id.substring(0, 12), actions));
    assertThat(bySandbox).as("OpenClaw made a sandbox on each try").hasSizeGreaterThanOrEqualTo(2);
    assertThat(bySandbox.values()).as("none ran a command").allSatisfy(actions -> assertThat(actions).noneMatch(a -> a.startsWith("exec_")));
    for (String id : bySandbox.keySet()) assertThat(docker.api().inspectContainer(id)).as("removed").isEmpty();
    for (String id : bySandbox.keySet()) {
      List<String> rules = host().path("lastActions").valueStream().filter(a -> a.path("containerId").asString().equals(id))
          .map(a -> a.path("action").asString() + " for " + a.path("rule").asString()).toList();
      System.out.printf("[openclaw b] operator on %s: %s%n", id.substring(0, 12), rules);
      assertThat(rules).as("the operator removed it for an isolation breach").isNotEmpty();
    }

    waitFor("the recurrence condition", Duration.ofSeconds(60), () -> condition("BreachRecurring").path("status").asString().equals("True"));
    String message = condition("BreachRecurring").path("message").asString();
    System.out.println("[openclaw b] BreachRecurring: " + message);
    // OpenClaw's session label is its sandbox scope key: with the default scope (agent) the agent and its workspace.
    assertThat(sandboxSessions).as("one sandbox scope for both tries").hasSize(1);
    assertThat(message).contains(sandboxSessions.iterator().next()).contains("agents.defaults.sandbox.docker.");
  }

  @Test
  void tenSessionsAtOnceSettleAtTheCap() throws Exception {
    int sessions = 10;
    int cap = 3;
    String yaml = m.policy(policyBase + "maxConcurrent: " + cap + "\n");
    op.write("policy.yaml", yaml);
    waitFor("maxConcurrent " + cap + " in force", Duration.ofSeconds(30), () -> op.applied(m.policyKey(), yaml));

    // One state directory and agent workspace per turn: an embedded turn locks its state directory.
    List<String> sessionKeys = new ArrayList<>();
    List<String> nonces = new ArrayList<>();
    List<Path> configs = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      sessionKeys.add("agent:main:" + docker.runId() + "-burst-" + i);
      nonces.add(nonce());
      configs.add(config("burst-" + i, dockerKeys -> {}));
    }
    RunningSampler sampler = new RunningSampler(cap);
    Thread sampling = new Thread(sampler, "running-sandbox-sampler");
    sampling.start();
    recording = EventLog.start();
    long t = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(sessions);
    List<Future<OpenClawCli.Run>> turns = new ArrayList<>();
    try {
      for (int i = 0; i < sessions; i++) {
        int n = i;
        turns.add(pool.submit(() -> openclaw.turn("burst-" + n, configs.get(n), work.resolve("burst-" + n + "/state"),
            sessionKeys.get(n), FakeModel.message(nonces.get(n)), TURN_TIMEOUT_SECONDS)));
      }
      for (Future<OpenClawCli.Run> f : turns) f.get();
      timing(sessions + " concurrent openclaw agent --local turns", t);
      waitFor("the host to settle at or below the cap for 5 s", Duration.ofSeconds(120), () -> sampler.atOrBelowCapForMillis() >= 5000);
    } finally {
      sampler.stop();
      sampling.join();
      pool.shutdownNow();
    }

    List<Event> events = recording.stop();
    Timeline timeline = Timeline.of(events, cap);
    System.out.printf("[openclaw c] sampled %d times (every %.0f ms on average): at most %d running at once (cap %d); above the cap %d times"
        + " for %d ms in all, longest %d ms%n", sampler.samples, sampler.averageIntervalMillis(), sampler.max, cap, sampler.excesses,
        sampler.excessMillis, sampler.longestExcessMillis);
    System.out.printf("[openclaw c] from the daemon's events: %d sandboxes created, %d started, at most %d running at once; above the cap"
        + " %d times for %d ms in all, longest %d ms%n", timeline.created, timeline.started, timeline.max, timeline.excesses,
        timeline.excessMillis, timeline.longestExcessMillis);
    Map<String, String> capRemovals = new LinkedHashMap<>();
    for (JsonNode a : host().path("lastActions")) {
      if (a.path("rule").asString().equals("sandbox.max_concurrent")) {
        capRemovals.put(a.path("containerId").asString(), a.path("container").asString());
      }
    }
    int withOutput = 0;
    for (int i = 0; i < sessions; i++) {
      OpenClawCli.Run run = turns.get(i).get();
      boolean output = run.reply().contains(FakeModel.expectedOutput(nonces.get(i)));
      if (output) withOutput++;
      String turn = "burst-" + i;
      long created = events.stream().filter(e -> e.turn().equals(turn) && e.action().equals("create")).count();
      long removedForCap = events.stream().filter(e -> e.turn().equals(turn) && e.action().equals("create"))
          .filter(e -> capRemovals.containsKey(e.id())).count();
      System.out.printf("[openclaw c] %s (%s): %d sandbox(es) made, %d removed for the cap; exit %d after %d ms, output %s; %s%n", turn,
          sessionKeys.get(i), created, removedForCap, run.exit(), run.millis(), output ? "came back" : "did not come back", run.summary());
    }
    long removedBeforeStart = capRemovals.keySet().stream()
        .filter(id -> events.stream().noneMatch(e -> e.id().equals(id) && e.action().equals("start"))).count();
    System.out.printf("[openclaw c] %d of %d turns got their command's output; %d removals for the cap in status, %d of them before the"
        + " sandbox's start%n", withOutput, sessions, capRemovals.size(), removedBeforeStart);

    assertThat(timeline.created).as("more sandboxes made than the cap allows, or the cap was never tested").isGreaterThan(cap);
    assertThat(runningNow()).as("the host settles at or below the cap").isLessThanOrEqualTo(cap);
    assertThat(capRemovals).as("the cap's removals in the policy's status").isNotEmpty();
    assertThat(withOutput).as("the sandboxes within the cap ran their commands").isPositive();
  }

  // ---- helpers

  /** The delivered openclaw.json plus what a turn here needs; {@code dockerKeys} may change agents.defaults.sandbox.docker. */
  private static Path config(String name, Consumer<ObjectNode> dockerKeys) throws Exception {
    ObjectNode config = (ObjectNode) delivered.deepCopy();
    ObjectNode models = object(config, "models");
    models.put("mode", "replace");
    object(models, "providers").set(FakeModel.PROVIDER, model.providerConfig());
    ObjectNode defaults = object(object(config, "agents"), "defaults");
    object(defaults, "model").put("primary", FakeModel.PROVIDER + "/" + FakeModel.MODEL);
    defaults.put("workspace", Files.createDirectories(work.resolve(name).resolve("workspace")).toString());
    ObjectNode sandboxDocker = object(object(defaults, "sandbox"), "docker");
    sandboxDocker.put("image", DockerHost.SANDBOX_IMAGE);
    dockerKeys.accept(sandboxDocker);
    // As the operator delivers it: mode 0600 (it may hold tokens).
    Path file = work.resolve(name + ".json");
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, Yaml.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
    return file;
  }

  private static ObjectNode object(ObjectNode parent, String field) {
    return parent.get(field) instanceof ObjectNode o ? o : parent.putObject(field);
  }

  private static String nonce() { return HexFormat.of().formatHex(RANDOM.generateSeed(6)); }

  private static JsonNode host() {
    for (JsonNode h : op.status(m.policyKey()).path("hosts")) return h;
    return Yaml.JSON.missingNode();
  }

  private static JsonNode condition(String type) {
    return host().path("conditions").valueStream().filter(c -> c.path("type").asString().equals(type)).findFirst()
        .orElse(Yaml.JSON.missingNode());
  }

  private static List<JsonNode> actionsOn(String container) {
    return host().path("lastActions").valueStream().filter(a -> a.path("container").asString().equals(container)).toList();
  }

  /** This run's sandboxes (running or not) that this turn created. */
  private static List<ContainerView> sandboxesOf(String turn) {
    List<ContainerView> out = new ArrayList<>();
    for (JsonNode c : listOurSandboxes(true)) {
      if (!c.path("Labels").path(OpenClawCli.TURN_LABEL).asString("").equals(turn)) continue;
      docker.api().inspectContainer(c.path("Id").asString()).ifPresent(out::add);
    }
    return out;
  }

  private static int runningNow() { return listOurSandboxes(false).size(); }

  /** The daemon's list filtered by this run's sandbox labels: one cheap call, no inspect. */
  private static List<JsonNode> listOurSandboxes(boolean all) {
    return list("{\"label\":[\"" + Labels.SANDBOX + "=1\",\"" + DockerHost.TEST_LABEL + "=" + docker.runId() + "\"]}", all);
  }

  private static List<JsonNode> list(String filters, boolean all) {
    String path = "/containers/json?all=" + all + "&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8);
    DockerHttpClient.Request request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET).path(path).build();
    try (DockerHttpClient.Response r = HTTP.execute(request)) {
      return Yaml.JSON.readTree(r.getBody().readAllBytes()).valueStream().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final DockerHttpClient HTTP = docker.endpoint().requestClient();

  /** One container event of this run's containers, from the daemon's own record. */
  record Event(long timeNanos, String id, String action, String sessionKey, String turn) {}

  static EventLog recording;

  @AfterEach
  void stopRecording() {
    if (recording != null) recording.stop();
  }

  /**
   * The daemon's container events for this run's sandboxes, followed live: the daemon keeps only its last 256 events
   * for {@code --since}, which a shared engine overwrites within minutes.
   */
  static final class EventLog {
    private final Process process;
    private final Thread reader;
    private final List<Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    private EventLog(Process process) {
      this.process = process;
      this.reader = new Thread(this::read, "sandbox-events");
      reader.start();
    }

    static EventLog start() throws Exception {
      Process p = new ProcessBuilder("docker", "events", "--filter", "type=container", "--filter",
          "label=" + DockerHost.TEST_LABEL + "=" + docker.runId(), "--filter", "label=" + Labels.SANDBOX + "=1", "--format", "{{json .}}")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      // The subscription needs a moment; OpenClaw's first create comes many seconds into a turn.
      Thread.sleep(1000);
      assertThat(p.isAlive()).as("docker events is following").isTrue();
      return new EventLog(p);
    }

    private void read() {
      try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.isBlank()) continue;
          JsonNode e = Yaml.JSON.readTree(line);
          JsonNode attributes = e.at("/Actor/Attributes");
          events.add(new Event(e.path("timeNano").asLong(), e.path("id").asString(), e.path("Action").asString(),
              attributes.path(Labels.SESSION_KEY).asString(""), attributes.path(OpenClawCli.TURN_LABEL).asString("")));
        }
      } catch (java.io.IOException e) {
        // the process was stopped
      }
    }

    /** Stops following (after a second for the last events to arrive) and returns what was seen, in order. */
    List<Event> stop() {
      if (process.isAlive()) {
        try {
          Thread.sleep(1000);
          process.destroy();
          reader.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return List.copyOf(events);
    }
  }

  private static long time(List<Event> events, String id, String action) {
    return events.stream().filter(e -> e.id().equals(id) && e.action().equals(action)).mapToLong(Event::timeNanos).findFirst().orElse(0);
  }

  private static List<String> actionsOf(List<Event> events, String id) {
    return events.stream().filter(e -> e.id().equals(id)).map(Event::action).map(a -> a.startsWith("exec_") ? a.split(":")[0] : a).toList();
  }

  /** How many of the run's sandboxes ran at once, replayed from start and die events. */
  record Timeline(int created, int started, int max, int excesses, long excessMillis, long longestExcessMillis) {
    static Timeline of(List<Event> events, int cap) {
      java.util.Set<String> running = new java.util.HashSet<>();
      java.util.Set<String> started = new java.util.HashSet<>();
      long created = events.stream().filter(e -> e.action().equals("create")).count();
      int max = 0;
      int excesses = 0;
      long excessNanos = 0;
      long longest = 0;
      long excessSince = -1;
      for (Event e : events) {
        if (e.action().equals("start")) {
          running.add(e.id());
          started.add(e.id());
        } else if (e.action().equals("die") || e.action().equals("destroy")) {
          running.remove(e.id());
        } else {
          continue;
        }
        max = Math.max(max, running.size());
        if (running.size() > cap && excessSince < 0) {
          excessSince = e.timeNanos();
          excesses++;
        } else if (running.size() <= cap && excessSince >= 0) {
          excessNanos += e.timeNanos() - excessSince;
          longest = Math.max(longest, e.timeNanos() - excessSince);
          excessSince = -1;
        }
      }
      return new Timeline((int) created, started.size(), max, excesses, excessNanos / 1_000_000, longest / 1_000_000);
    }
  }

  /** Samples the number of this run's running sandboxes as fast as the daemon answers a filtered list. */
  static final class RunningSampler implements Runnable {
    private final int cap;
    private volatile boolean stopped;
    volatile int samples;
    volatile int max;
    volatile int excesses;
    volatile long excessMillis;
    volatile long longestExcessMillis;
    private volatile long belowSince = -1;
    private long first;
    private long last;

    RunningSampler(int cap) {
      this.cap = cap;
    }

    @Override
    public void run() {
      long excessSince = -1;
      first = System.nanoTime();
      while (!stopped) {
        int n;
        try {
          n = runningNow();
        } catch (RuntimeException e) {
          continue;
        }
        long now = System.nanoTime();
        last = now;
        samples++;
        max = Math.max(max, n);
        if (n > cap) {
          belowSince = -1;
          if (excessSince < 0) {
            excessSince = now;
            excesses++;
          }
        } else {
          if (belowSince < 0) belowSince = now;
          if (excessSince >= 0) {
            long lasted = (now - excessSince) / 1_000_000;
            excessMillis += lasted;
            longestExcessMillis = Math.max(longestExcessMillis, lasted);
            excessSince = -1;
          }
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long atOrBelowCapForMillis() {
      long since = belowSince;
      return since < 0 ? 0 : (System.nanoTime() - since) / 1_000_000;
    }

    double averageIntervalMillis() { return samples < 2 ? 0 : (last - first) / 1e6 / (samples - 1); }

    void stop() { stopped = true; }
  }
}
